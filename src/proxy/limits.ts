// Rate limits with rate-limiter-flexible: in memory for one machine, in Redis for many (every
// instance then shares the counts). Keyed by the client address (X-Forwarded-For only from trusted
// proxies in front). An optional second limit per address and Origin only narrows a client's share:
// Origins are whatever the client says (cors-anywhere #98), so they never open a bucket of their own.
//
// Shared through Redis, an instance takes a client's points in leases (leased.ts): one round trip
// per lease instead of one per request, and none once the client is over its limit.

import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { LeasedLimit, leaseSize } from './leased.js';
import type { RateLimit } from './options.js';

/** Null when the request may go on; otherwise the seconds until it may. */
export type Verdict = number | null;

export interface Limiter {
  /** The verdict, at once when this instance knows it, or once the shared store answered. */
  consume(address: string, origin: string | undefined): Verdict | Promise<Verdict>;
  /** Resolves when the shared store is connected, or after `ms` (memory stands in meanwhile). */
  ready(ms: number): Promise<void>;
  close(): Promise<void>;
}

type Consume = (key: string) => Verdict | Promise<Verdict>;

export function createLimiter(rate: RateLimit, byOrigin: RateLimit | null, redisUrl: string | null): Limiter {
  if (redisUrl === null) {
    const memory = (r: RateLimit, prefix: string): Consume => {
      const store = new RateLimiterMemory({ points: r.points, duration: r.seconds, keyPrefix: prefix });
      return (key) => consume(store, key);
    };
    return {
      consume: both(memory(rate, 'corsica'), byOrigin === null ? null : memory(byOrigin, 'corsica-origin')),
      ready: async () => {},
      close: async () => {},
    };
  }
  const client = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  // Without a reachable Redis, limits fall back to this process's memory rather than failing open.
  const shared = (r: RateLimit, prefix: string): Consume => {
    const store = new RateLimiterRedis({
      storeClient: client,
      points: r.points,
      duration: r.seconds,
      keyPrefix: prefix,
      insuranceLimiter: new RateLimiterMemory({
        points: r.points,
        duration: r.seconds,
        keyPrefix: `${prefix}-fallback`,
      }),
    });
    const leased = new LeasedLimit(store, r.points, leaseSize(r.points));
    return (key) => leased.consume(key);
  };
  client.on('error', () => {
    // Reported by the insurance limiter taking over; ioredis reconnects on its own.
  });
  return {
    consume: both(shared(rate, 'corsica'), byOrigin === null ? null : shared(byOrigin, 'corsica-origin')),
    ready: (ms) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            client.once('ready', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
    close: async () => {
      client.disconnect();
    },
  };
}

/** The per-address limit, then (when set) the per-address-and-Origin one. */
function both(perAddress: Consume, perOrigin: Consume | null): Limiter['consume'] {
  if (perOrigin === null) return (address) => perAddress(address);
  return (address, origin) => {
    const then = (wait: Verdict) => wait ?? perOrigin(`${address} ${origin ?? ''}`);
    const first = perAddress(address);
    return first instanceof Promise ? first.then(then) : then(first);
  };
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}
