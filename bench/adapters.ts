// corsica's adapters against each framework's own CORS plugin (@fastify/cors, @koa/cors,
// hono/cors), same configuration: requests per second over HTTP with autocannon (each server in
// its own process, alternating which goes first), and for Hono also in process with app.request.
//
//   npm run build && npx tsx bench/adapters.ts
//
// Goal (from the issue): at least equal requests per second (better: higher) on each framework.

import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cors as corsicaHono } from 'corsica/hono';
import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { spread } from './ab.js';
import { mark, table } from './harness.js';
import { startChild, stopChild } from './processes.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const pairs = Number(process.env.BENCH_PAIRS ?? 5);
const servers = fileURLToPath(new URL('./adapter-servers.ts', import.meta.url));
const ORIGIN = 'https://admin.example.com';
const REQUESTS = {
  simple: { method: 'GET' as const, headers: { origin: ORIGIN } },
  preflight: {
    method: 'OPTIONS' as const,
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,x-api-key',
    },
  },
};

async function rps(framework: string, impl: string, kind: keyof typeof REQUESTS): Promise<number> {
  const { child, port } = await startChild(servers, [framework, impl]);
  try {
    const options = { url: `http://127.0.0.1:${port}/data`, connections: 50, ...REQUESTS[kind] };
    await autocannon({ ...options, duration: 1 });
    const r = await autocannon({ ...options, duration: seconds });
    if (r.errors + r.timeouts > 0) throw new Error(`${framework} ${impl}: ${r.errors} errors`);
    return r.requests.average;
  } finally {
    await stopChild(child);
  }
}

console.log(
  `adapters: node ${process.version}, autocannon 50 connections, ${seconds} s per run, ${pairs} alternating pairs, the median of their ratios\n`,
);
const rows: string[][] = [
  ['framework', 'request', 'own plugin req/s', 'corsica req/s', 'corsica/own (IQR)', 'goal'],
];
const OWN: Record<string, string> = { fastify: '@fastify/cors', koa: '@koa/cors', hono: 'hono/cors' };
// BENCH_FRAMEWORKS=koa,fastify measures only those (more pairs for the same time).
const frameworks = (process.env.BENCH_FRAMEWORKS ?? 'fastify,koa,hono').split(',');
for (const framework of ['fastify', 'koa', 'hono'].filter((f) => frameworks.includes(f))) {
  for (const kind of ['simple', 'preflight'] as const) {
    // Alternating pairs (own, corsica, corsica, own, ...): each pair gives one ratio, and the
    // median of the ratios is reported with their IQR (runs drift with the machine's load).
    const samples: Record<string, number[]> = { own: [], corsica: [] };
    const ratios: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      for (const impl of pair % 2 === 0 ? ['own', 'corsica'] : ['corsica', 'own'])
        samples[impl]!.push(await rps(framework, impl, kind));
      ratios.push(samples.corsica!.at(-1)! / samples.own!.at(-1)!);
    }
    const ratio = spread(ratios);
    rows.push([
      `${framework} (${OWN[framework]})`,
      kind,
      spread(samples.own!).median.toFixed(0),
      spread(samples.corsica!).median.toFixed(0),
      `${ratio.median.toFixed(2)}x (${ratio.q1.toFixed(2)}–${ratio.q3.toFixed(2)})`,
      mark(ratio.median >= 1),
    ]);
  }
}
console.log(table(rows));

// Hono in process: app.request through each middleware, same configuration.
const ORIGINS = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://www.example.com',
  'https://partner.example.org',
  'http://localhost:3000',
];
const config = {
  origin: ORIGINS,
  credentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Content-Type', 'X-Api-Key'],
  exposeHeaders: ['X-Total-Count'],
  maxAge: 600,
};
const apps = {
  'hono/cors': new Hono().use('*', honoCors(config)).get('/data', (c) => c.text('ok')),
  corsica: new Hono().use('*', corsicaHono(config)).get('/data', (c) => c.text('ok')),
};
const inProcess: string[][] = [
  ['in process (app.request)', 'hono/cors µs', 'corsica µs', 'corsica/own', 'goal'],
];
for (const kind of ['simple', 'preflight'] as const) {
  // app.request is asynchronous: time batches by awaiting them.
  const time = async (app: Hono, n: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await app.request('/data', REQUESTS[kind]);
    return Number(process.hrtime.bigint() - start) / n / 1000;
  };
  for (const app of Object.values(apps)) await time(app as Hono, 20_000); // warm-up
  // Alternating batches, one ratio per round (hono/cors time over corsica time).
  const ratios: number[] = [];
  const own: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < 15; round++) {
    const order = round % 2 === 0 ? (['hono/cors', 'corsica'] as const) : (['corsica', 'hono/cors'] as const);
    const t: Record<string, number> = {};
    for (const name of order) t[name] = await time(apps[name] as Hono, 4000);
    own.push(t['hono/cors']!);
    ours.push(t.corsica!);
    ratios.push(t['hono/cors']! / t.corsica!);
  }
  const ratio = spread(ratios);
  inProcess.push([
    kind,
    spread(own).median.toFixed(2),
    spread(ours).median.toFixed(2),
    `${ratio.median.toFixed(2)}x faster (${ratio.q1.toFixed(2)}–${ratio.q3.toFixed(2)})`,
    mark(ratio.median >= 1),
  ]);
}
console.log(`\n${table(inProcess)}`);
