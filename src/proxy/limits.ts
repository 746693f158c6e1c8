// Rate limits with rate-limiter-flexible: in memory for one machine, in Redis for many (every
// instance then shares the counts). Keyed by the client address (X-Forwarded-For only from trusted
// proxies in front). An optional second limit per address and Origin only narrows a client's share:
// Origins are whatever the client says (cors-anywhere #98), so they never open a bucket of their own.

import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from './options.js';

export interface Limiter {
  /** Null when the request may go on; otherwise the seconds until it may. */
  consume(address: string, origin: string | undefined): Promise<number | null>;
  /** Resolves when the shared store is connected, or after `ms` (memory stands in meanwhile). */
  ready(ms: number): Promise<void>;
  close(): Promise<void>;
}

type Store = RateLimiterMemory | RateLimiterRedis;

export function createLimiter(rate: RateLimit, byOrigin: RateLimit | null, redisUrl: string | null): Limiter {
  if (redisUrl === null) {
    const memory = (r: RateLimit, prefix: string) =>
      new RateLimiterMemory({ points: r.points, duration: r.seconds, keyPrefix: prefix });
    const perOrigin = byOrigin === null ? null : memory(byOrigin, 'corsica-origin');
    return {
      consume: both(memory(rate, 'corsica'), perOrigin),
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
  const shared = (r: RateLimit, prefix: string) =>
    new RateLimiterRedis({
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
function both(perAddress: Store, perOrigin: Store | null): Limiter['consume'] {
  if (perOrigin === null) return (address) => consume(perAddress, address);
  return async (address, origin) =>
    (await consume(perAddress, address)) ?? consume(perOrigin, `${address} ${origin ?? ''}`);
}

async function consume(limiter: Store, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}
