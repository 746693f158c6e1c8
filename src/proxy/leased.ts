// A rate limit shared through Redis, taken in leases: an instance takes up to `size` of a client's
// points in one round trip and hands them out itself, so a request costs a round trip once per
// `size` requests instead of every time (each cost the proxy about a quarter of its throughput).
//
// Precision, across any number N of instances: every point is counted in Redis before it is used,
// so a client never gets more than the limit in one of Redis's windows, whatever N. While other
// instances hold points they leased and have not used, a client may be refused up to
// (N − 1) × (size − 1) requests before its limit; such points lapse with the window. Below 128
// points a lease is one point: each request asks Redis, and the limit is exact.
//
// Once Redis has counted a client up to its limit, the instance refuses it by itself until the
// window ends, as rate-limiter-flexible's inMemoryBlockOnConsumed does: a client hammering past its
// limit costs no round trips. (That option's own refusal does not say how many points a lease got,
// so the block is kept here.) Without Redis, rate-limiter-flexible's insurance limiter answers from
// this process's memory, and the same leases hold each instance to the limit on its own.

import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { remember } from '../policy/bounded.js';

/** Clients whose leases one instance keeps; past it the map starts again empty (their points lapse). */
const MAX_CLIENTS = 10_000;
/** The most points one lease takes. */
const MAX_LEASE = 64;

/** Points per lease: a 64th of the limit, at least 1 (below 128 points: exact), at most 64. */
export function leaseSize(points: number): number {
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(points / 64)));
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

interface Lease {
  /** Points leased and not yet used. */
  left: number;
  /** When the window these points were counted in ends (Date.now() milliseconds). */
  until: number;
  /** Redis counted the client up to its limit: once `left` is spent, it is refused until `until`. */
  spent: boolean;
  /** Set while a lease is being taken: requests meanwhile wait for it. */
  pending: Promise<void> | null;
}

export class LeasedLimit {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly store: RateLimiterRedis,
    private readonly points: number,
    private readonly size: number,
  ) {}

  /** Null when the request may go on; otherwise the seconds until it may. */
  consume(key: string): number | null | Promise<number | null> {
    const lease = this.leases.get(key);
    if (lease !== undefined) {
      if (lease.pending !== null) return lease.pending.then(() => this.consume(key));
      const now = Date.now();
      if (now < lease.until) {
        if (lease.left > 0) {
          lease.left--;
          return null;
        }
        if (lease.spent) return seconds(lease.until - now);
      }
    }
    return this.take(key);
  }

  private take(key: string): Promise<number | null> {
    const lease: Lease = { left: 0, until: 0, spent: false, pending: null };
    remember(this.leases, key, lease, MAX_CLIENTS);
    const verdict = this.store.consume(key, this.size).then(
      (res) => this.grant(lease, res),
      (err: unknown) => {
        if (err instanceof RateLimiterRes) return this.grant(lease, err);
        if (this.leases.get(key) === lease) this.leases.delete(key);
        throw err;
      },
    );
    const settled = () => {
      lease.pending = null;
    };
    lease.pending = verdict.then(settled, settled);
    return verdict;
  }

  /** The points of a lease that fit under the limit; the request that took it uses the first. */
  private grant(lease: Lease, res: RateLimiterRes): number | null {
    const before = res.consumedPoints - this.size;
    const granted = Math.max(0, Math.min(this.size, this.points - before));
    lease.until = Date.now() + res.msBeforeNext;
    lease.spent = res.consumedPoints >= this.points;
    if (granted === 0) return seconds(res.msBeforeNext);
    lease.left = granted - 1;
    return null;
  }
}
