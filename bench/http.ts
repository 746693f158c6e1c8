// Over HTTP: a node:http server with corsica/node against the same server setting the same headers
// by hand, each in its own child process, loaded by autocannon on loopback with a simple allowed GET
// (Origin: an allowed origin). Runs alternate (hand, corsica, hand, corsica, ...) and the medians
// are compared.
//
//   npm run build && npx tsx bench/http.ts
//   BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=2 BENCH_PAIRS=3 BENCH_CONNECTIONS=50 npx tsx bench/http.ts
//
// Goal (from the issue): corsica serves at least 97% of the hand-written server's requests per second.

import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { mark, table } from './harness.js';
import { startChild, stopChild } from './processes.js';
import { ALLOWED_ORIGIN } from './scenarios.js';

const GOAL = 0.97;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
  return value;
}

const seconds = envInt('BENCH_SECONDS', 10);
const warmupSeconds = envInt('BENCH_WARMUP_SECONDS', 2);
const pairs = Math.max(1, envInt('BENCH_PAIRS', 3));
const connections = Math.max(1, envInt('BENCH_CONNECTIONS', 50));
const serverFile = fileURLToPath(new URL('./http-server.ts', import.meta.url));

type Mode = 'hand' | 'corsica';

interface Run {
  readonly mode: Mode;
  readonly rps: number;
  readonly p99: number;
  readonly errors: number;
}

const startServer = (mode: Mode) => startChild(serverFile, [mode]);

/** The CORS part of the server's answer to the benchmark's request. */
function corsHeaders(port: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', headers: { origin: ALLOWED_ORIGIN } }, (res) => {
      res.resume();
      const picked: Record<string, string> = { status: String(res.statusCode) };
      for (const [name, value] of Object.entries(res.headers)) {
        if (name.startsWith('access-control-') || name === 'vary') picked[name] = String(value);
      }
      resolve(picked);
    }).on('error', reject);
  });
}

function load(port: number, duration: number) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections,
    duration,
    headers: { origin: ALLOWED_ORIGIN },
  });
}

const answers = new Map<Mode, Record<string, string>>();

async function measureOnce(mode: Mode): Promise<Run> {
  const { child, port } = await startServer(mode);
  try {
    answers.set(mode, await corsHeaders(port));
    if (warmupSeconds > 0) await load(port, warmupSeconds);
    const result = await load(port, seconds);
    return {
      mode,
      rps: result.requests.average,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  } finally {
    await stopChild(child);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

console.log(
  `http: node ${process.version}, autocannon ${connections} connections, ${seconds} s per run after ${warmupSeconds} s of warm-up, ${pairs} alternating pairs`,
);
console.log(
  `request: GET / with Origin: ${ALLOWED_ORIGIN} (allowed); goal: corsica >= ${GOAL * 100}% of hand\n`,
);

const runs: Run[] = [];
for (let pair = 0; pair < pairs; pair++) {
  // Alternate which server goes first, so neither always follows the other.
  const order: Mode[] = pair % 2 === 0 ? ['hand', 'corsica'] : ['corsica', 'hand'];
  for (const mode of order) {
    const run = await measureOnce(mode);
    runs.push(run);
    console.log(
      `  ${mode.padEnd(7)} ${run.rps.toFixed(0).padStart(7)} req/s  p99 ${run.p99} ms  errors ${run.errors}`,
    );
  }
}

if (!isDeepStrictEqual(answers.get('hand'), answers.get('corsica'))) {
  console.error('the two servers answer differently:', answers);
  process.exitCode = 1;
}

const summarize = (mode: Mode) => {
  const mine = runs.filter((r) => r.mode === mode);
  return {
    rps: median(mine.map((r) => r.rps)),
    p99: median(mine.map((r) => r.p99)),
    errors: mine.reduce((sum, r) => sum + r.errors, 0),
  };
};
const hand = summarize('hand');
const ours = summarize('corsica');
const ratio = ours.rps / hand.rps;
console.log(`\nmedians over ${pairs} run(s) each`);
console.log(
  table([
    ['server', 'req/s', 'p99 ms', 'errors'],
    ['hand-written', hand.rps.toFixed(0), String(hand.p99), String(hand.errors)],
    ['corsica', ours.rps.toFixed(0), String(ours.p99), String(ours.errors)],
  ]),
);
console.log(`\ncorsica / hand = ${(ratio * 100).toFixed(1)}% of req/s: goal ${mark(ratio >= GOAL)}`);
console.log(`CORS answer (both servers): ${JSON.stringify(answers.get('corsica'))}`);
