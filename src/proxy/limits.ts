// Rate limits with rate-limiter-flexible: in memory for one machine, in Redis for many (every
// instance then shares the counts). Keyed by the client address (X-Forwarded-For only from trusted
// proxies in front), optionally with the Origin: origins alone are spoofable (cors-anywhere #98).

import type { IncomingMessage } from 'node:http';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from './options.js';

export interface Limiter {
  /** Null when the request may go on; otherwise the seconds until it may. */
  consume(key: string): Promise<number | null>;
  /** Resolves when the shared store is connected, or after `ms` (memory stands in meanwhile). */
  ready(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function createLimiter(rate: RateLimit, redisUrl: string | null): Limiter {
  if (redisUrl === null) {
    const memory = new RateLimiterMemory({
      points: rate.points,
      duration: rate.seconds,
      keyPrefix: 'corsica',
    });
    return { consume: (key) => consume(memory, key), ready: async () => {}, close: async () => {} };
  }
  const client = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  // Without a reachable Redis, limits fall back to this process's memory rather than failing open.
  const insurance = new RateLimiterMemory({
    points: rate.points,
    duration: rate.seconds,
    keyPrefix: 'corsica-fallback',
  });
  const redis = new RateLimiterRedis({
    storeClient: client,
    points: rate.points,
    duration: rate.seconds,
    keyPrefix: 'corsica',
    insuranceLimiter: insurance,
  });
  client.on('error', () => {
    // Reported by the insurance limiter taking over; ioredis reconnects on its own.
  });
  return {
    consume: (key) => consume(redis, key),
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

async function consume(limiter: RateLimiterMemory | RateLimiterRedis, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}

/** The client's address: the socket's, or the one `trustProxy` proxies in front report. */
export function clientAddress(req: IncomingMessage, trustProxy: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // The last `trustProxy` entries were added by proxies we trust; the one before them is the client.
  return list[list.length - trustProxy] ?? socket;
}
