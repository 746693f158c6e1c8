// The proxy over HTTP against the other proxies a Node.js user would pick: @fastify/reply-from and
// node-http-proxy (each doing a CORS proxy's least work: the target from the path, pooled
// keep-alive connections, Access-Control-Allow-Origin), and cors-anywhere, the CORS proxy corsica
// replaces. Each pair is an A/B of bench/ab.ts (A B B A rounds on one pinned core, medians and
// spreads); then the upstream directly, and a 1 GiB response through corsica proxy, watching the
// proxy's resident memory.
//
//   npm run build && npx tsx bench/proxy.ts
//   BENCH_ROUNDS=4 BENCH_SECONDS=3 BENCH_CONNECTIONS=50 BENCH_BIG_BYTES=1073741824 npx tsx bench/proxy.ts
//
// Goals: corsica ≥ 1.5x the best Node proxy's req/s, ≥ 4x cors-anywhere's with a p99 ≥ 100x lower,
// ≥ 25% of direct, no errors; a 1 GiB response grows the proxy's RSS by less than 64 MiB.

import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type AbResult, abSettings, type Contestant, formatAb, pin, runAb } from './ab.js';
import { mark } from './harness.js';
import { startChild, stopChild } from './processes.js';

const settings = abSettings({ rounds: 4, seconds: 3, warmupSeconds: 1, connections: 50 });
const bigBytes = Number(process.env.BENCH_BIG_BYTES ?? 2 ** 30);
const servers = fileURLToPath(new URL('./proxy-servers.mjs', import.meta.url));
const ORIGIN = 'https://app.example.com';

console.log(`proxy: node ${process.version}, autocannon; each server in its own process\n`);

const up = await startChild(servers, ['upstream']);
pin(process.pid, 0);
pin(up.child.pid!, 0);
const target = `http://127.0.0.1:${up.port}/data`;
const contestant = (mode: string, label: string): Contestant => ({
  label,
  async start() {
    const { child, port } = await startChild(servers, [mode, String(up.port)]);
    return { port, pid: child.pid!, stop: () => stopChild(child) };
  },
});
const corsica = contestant('corsica', 'corsica proxy');
const load = { url: (port: number) => `http://127.0.0.1:${port}/${target}`, headers: { origin: ORIGIN } };
const results = new Map<string, AbResult>();
try {
  for (const [mode, label] of [
    ['reply-from', '@fastify/reply-from 12'],
    ['http-proxy', 'http-proxy 1.18'],
    ['cors-anywhere', 'cors-anywhere 0.4.4'],
  ] as const) {
    const result = await runAb(corsica, contestant(mode, label), load, settings);
    results.set(mode, result);
    console.log(`${formatAb(`corsica proxy / ${label}`, result, settings)}\n`);
  }
} finally {
  await stopChild(up.child);
}

// The upstream alone, as a yardstick: what share of it the proxy keeps.
const direct = await startChild(servers, ['upstream']);
const alone = await autocannon({ url: `http://127.0.0.1:${direct.port}/data`, connections: 50, duration: 3 });
await stopChild(direct.child);

const ratio = (mode: string) => results.get(mode)!.rpsRatio.median;
/** How many times the CPU per request the other proxy spends (the per-round ratios' median, inverted). */
const thrift = (mode: string) => 1 / results.get(mode)!.cpuRatio.median;
const [best, bestRatio] = ['reply-from', 'http-proxy']
  .map((mode) => [mode, ratio(mode)] as const)
  .sort((x, y) => x[1] - y[1])[0]!;
const anywhere = results.get('cors-anywhere')!;
const latency = anywhere.b.p99.median / Math.max(anywhere.a.p99.median, 1);
const share = results.get('reply-from')!.a.rps.median / alone.requests.average;
const failures = [...results.values()].reduce((n, r) => n + r.failures.a, 0);
console.log(
  `corsica / the best Node proxy (${best}): ${bestRatio.toFixed(2)}x req/s (goal 1.5x: ${mark(bestRatio >= 1.5)}); it spends ${thrift(best).toFixed(2)}x corsica's CPU per request`,
);
console.log(
  `corsica / cors-anywhere: ${ratio('cors-anywhere').toFixed(1)}x req/s (goal 4x: ${mark(ratio('cors-anywhere') >= 4)}); it spends ${thrift('cors-anywhere').toFixed(1)}x corsica's CPU per request`,
);
console.log(`cors-anywhere p99 / corsica p99: ${latency.toFixed(0)}x (goal 100x: ${mark(latency >= 100)})`);
console.log(
  `corsica / direct: ${(share * 100).toFixed(0)}% (goal 25%: ${mark(share >= 0.25)}); corsica's failed answers: ${failures} (goal 0: ${mark(failures === 0)})`,
);

// A large response, streamed: the proxy's resident memory, sampled while it streams.
const big = await startChild(servers, ['big', String(bigBytes)]);
const proxy = await startChild(servers, ['corsica', String(big.port)]);
const rssOf = (pid: number) =>
  Number(
    execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
      .toString()
      .trim(),
  ) * 1024;
// Warm the proxy up first, so that the baseline includes its one-time start-up (JIT, pools, parser).
for (let i = 0; i < 200; i++) {
  await new Promise<void>((resolve, reject) => {
    get(
      `http://127.0.0.1:${proxy.port}/http://127.0.0.1:${big.port}/small`,
      { headers: { origin: ORIGIN } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    ).on('error', reject);
  });
}
const before = rssOf(proxy.child.pid!);
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, rssOf(proxy.child.pid!));
}, 50);
const started = performance.now();
const received = await new Promise<number>((resolve, reject) => {
  get(
    `http://127.0.0.1:${proxy.port}/http://127.0.0.1:${big.port}/big`,
    { headers: { origin: ORIGIN } },
    (res) => {
      let n = 0;
      res.on('data', (chunk: Buffer) => {
        n += chunk.length;
      });
      res.on('end', () => resolve(n));
      res.on('error', reject);
    },
  ).on('error', reject);
});
clearInterval(sampler);
const elapsed = (performance.now() - started) / 1000;
await stopChild(proxy.child);
await stopChild(big.child);
const growth = (peak - before) / 2 ** 20;
console.log(
  `\n${(received / 2 ** 30).toFixed(2)} GiB through corsica proxy in ${elapsed.toFixed(1)} s (${(received / 2 ** 20 / elapsed).toFixed(0)} MiB/s); RSS ${(before / 2 ** 20).toFixed(0)} MiB → peak ${(peak / 2 ** 20).toFixed(0)} MiB, growth ${growth.toFixed(0)} MiB (goal < 64: ${mark(received === bigBytes && growth < 64)})`,
);
