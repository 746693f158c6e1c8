// Rate limits shared through Redis against the same limits in memory: corsica proxy (this
// checkout's build) with --rate-limit alone and with --redis, an A/B of bench/ab.ts (A B B A rounds,
// medians and spreads). The limit is never reached, so every request is counted and forwarded;
// redis-server (a real one, started here) runs beside the load generator, off the proxies' core.
//
//   npm run build && npx tsx bench/proxy-redis.ts
//   BENCH_ROUNDS=8 BENCH_SECONDS=3 BENCH_RATE_LIMIT=100000000/1m ...
//   BENCH_OTHER=<built checkout> ...     that checkout's proxy instead (a build before a change)
//
// Goal: Redis-shared limits at ≥ 0.9x the in-memory throughput.

import { fileURLToPath } from 'node:url';
import { startRedis } from '../test/helpers/redis.js';
import { abSettings, type Contestant, formatAb, pin, runAb } from './ab.js';
import { otherCheckout } from './builds.js';
import { mark } from './harness.js';
import { startChild, stopChild } from './processes.js';

const servers = fileURLToPath(new URL('./proxy-servers.mjs', import.meta.url));
const settings = abSettings({ rounds: 6, seconds: 3, warmupSeconds: 1, connections: 50 });
const rateLimit = process.env.BENCH_RATE_LIMIT ?? '100000000/1m';
const other = process.env.BENCH_OTHER;
const proxyModule = other === undefined ? 'corsica-proxy' : otherCheckout(other).proxyModule;

const redis = await startRedis();
const upstream = await startChild(servers, ['upstream']);
pin(process.pid, 0);
pin(upstream.child.pid!, 0);
pin(redis.pid, 0);
try {
  const contestant = (label: string, options: object): Contestant => ({
    label,
    async start() {
      const { child, port } = await startChild(servers, [
        'corsica',
        String(upstream.port),
        proxyModule,
        JSON.stringify({ rateLimit, ...options }),
      ]);
      return { port, pid: child.pid!, stop: () => stopChild(child) };
    },
  });
  const result = await runAb(
    contestant(`--rate-limit ${rateLimit} --redis`, { redis: redis.url }),
    contestant(`--rate-limit ${rateLimit} (memory)`, {}),
    {
      url: (port) => `http://127.0.0.1:${port}/http://127.0.0.1:${upstream.port}/data`,
      headers: { origin: 'https://app.example.com' },
    },
    settings,
  );
  console.log(formatAb('Redis-shared / in-memory rate limits', result, settings));
  const ratio = result.rpsRatio.median;
  console.log(`Redis-shared / in-memory: ${ratio.toFixed(2)}x req/s (goal 0.9x: ${mark(ratio >= 0.9)})`);
} finally {
  await stopChild(upstream.child);
  await redis.stop();
}
