// The proxy over HTTP: autocannon against the upstream directly, through corsica proxy, and through
// cors-anywhere, each server in its own process; then a 1 GiB response through corsica proxy,
// watching the proxy's resident memory.
//
//   npm run build && npx tsx bench/proxy.ts
//   BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=2 BENCH_CONNECTIONS=50 BENCH_BIG_BYTES=1073741824 npx tsx bench/proxy.ts
//
// Goals (from the issue): corsica >= 6x cors-anywhere's req/s with a p99 >= 100x lower, >= 25% of
// direct, no errors; a 1 GiB response grows the proxy's RSS by less than 64 MiB.

import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { mark, table } from './harness.js';
import { type Child, startChild, stopChild } from './processes.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const bigBytes = Number(process.env.BENCH_BIG_BYTES ?? 2 ** 30);
const servers = fileURLToPath(new URL('./proxy-servers.mjs', import.meta.url));
const ORIGIN = 'https://app.example.com';

interface Result {
  readonly name: string;
  readonly rps: number;
  readonly p99: number;
  readonly errors: number;
}

async function load(name: string, url: string): Promise<Result> {
  const options = { url, connections, headers: { origin: ORIGIN } };
  if (warmup > 0) await autocannon({ ...options, duration: warmup });
  const r = await autocannon({ ...options, duration: seconds });
  return { name, rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

console.log(
  `proxy: node ${process.version}, autocannon ${connections} connections, ${seconds} s after ${warmup} s warm-up, each server in its own process\n`,
);

const up = await startChild(servers, ['upstream']);
const target = `http://127.0.0.1:${up.port}/data`;
const results: Result[] = [await load('direct', target)];
for (const mode of ['corsica', 'cors-anywhere']) {
  const proxy: Child = await startChild(servers, [mode, String(up.port)]);
  try {
    results.push(
      await load(
        mode === 'corsica' ? 'corsica proxy' : 'cors-anywhere 0.4.4',
        `http://127.0.0.1:${proxy.port}/${target}`,
      ),
    );
  } finally {
    await stopChild(proxy.child);
  }
}
await stopChild(up.child);

const [direct, ours, theirs] = results as [Result, Result, Result];
console.log(
  table([
    ['', 'req/s', 'p99 ms', 'errors'],
    ...results.map((r) => [r.name, r.rps.toFixed(0), String(r.p99), String(r.errors)]),
  ]),
);
const speedup = ours.rps / theirs.rps;
const latency = theirs.p99 / Math.max(ours.p99, 1);
const share = ours.rps / direct.rps;
console.log(`\ncorsica / cors-anywhere: ${speedup.toFixed(1)}x req/s (goal 6x: ${mark(speedup >= 6)})`);
console.log(`cors-anywhere p99 / corsica p99: ${latency.toFixed(0)}x (goal 100x: ${mark(latency >= 100)})`);
console.log(
  `corsica / direct: ${(share * 100).toFixed(0)}% (goal 25%: ${mark(share >= 0.25)}); errors: ${ours.errors} (goal 0: ${mark(ours.errors === 0)})`,
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
