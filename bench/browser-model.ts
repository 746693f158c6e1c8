// The browser model's speed: classifying a request and checking answers, in process; and
// `corsica check` as a user runs it (a new process, a preflight and a request over loopback).
//
//   npm run build && npx tsx bench/browser-model.ts
//
// Goals (from the issue): the model classifies and checks in microseconds; `corsica check` against
// a local server answers well under a second.

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { checkPreflight, classifyRequest, corsCheck, readableHeaders } from 'corsica/browser';
import { cors } from 'corsica/node';
import { checksum, type Measured, measure, measureOptions, type Series, table } from './harness.js';

const PAGE = 'https://app.example.com';
const options = measureOptions({ rounds: 11, roundMs: 25, warmupMs: 300 });

const request = {
  url: 'https://api.example.com/items/42',
  origin: PAGE,
  method: 'PUT',
  headers: [
    ['Content-Type', 'application/json'],
    ['Authorization', 'Bearer abc'],
    ['X-Request-Id', '7f3a'],
  ] as [string, string][],
  credentials: 'include' as const,
};
const preflightAnswer = {
  status: 204,
  headers: [
    ['Access-Control-Allow-Origin', PAGE],
    ['Access-Control-Allow-Credentials', 'true'],
    ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE'],
    ['Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Request-Id'],
    ['Access-Control-Max-Age', '600'],
  ] as [string, string][],
};
const actualAnswer = {
  status: 200,
  headers: [
    ['Content-Type', 'application/json'],
    ['Access-Control-Allow-Origin', PAGE],
    ['Access-Control-Allow-Credentials', 'true'],
    ['Access-Control-Expose-Headers', 'X-Total-Count'],
    ['X-Total-Count', '3'],
  ] as [string, string][],
};

const classified = classifyRequest(request);
if (!classified.ok) throw new Error(classified.message);
const c = classified.value;

function series(name: string, op: () => number): Series {
  return {
    name,
    run: (n) => {
      let sink = 0;
      for (let i = 0; i < n; i++) sink += op();
      return sink;
    },
  };
}

const all = [
  series('classify a preflighted request', () => {
    const r = classifyRequest(request);
    return r.ok ? r.value.unsafeHeaderNames.length : 0;
  }),
  series('check the preflight answer', () => (checkPreflight(c, preflightAnswer, PAGE).ok ? 1 : 0)),
  series('CORS check + readable headers', () =>
    corsCheck(actualAnswer, PAGE, true) === null ? readableHeaders(actualAnswer, true).length : 0,
  ),
  series('all three (one whole fetch)', () => {
    const r = classifyRequest(request);
    if (!r.ok || !checkPreflight(r.value, preflightAnswer, PAGE).ok) return 0;
    return corsCheck(actualAnswer, PAGE, true) === null ? readableHeaders(actualAnswer, true).length : 0;
  }),
];

console.log(`browser model: node ${process.version}, ${options.rounds} interleaved rounds, medians\n`);
const measured = measure(all, options) as Measured[];
console.log(table([['operation', 'µs'], ...measured.map((m) => [m.name, (m.median / 1000).toFixed(2)])]));
const whole = measured[3]!.median / 1000;
console.log(
  `\nmodel goal (microseconds per fetch): ${whole < 100 ? 'met' : 'MISSED'} at ${whole.toFixed(2)} µs`,
);

// corsica check, end to end: a real server with corsica/node, the built CLI in a new process.
const middleware = cors({
  origin: [PAGE],
  credentials: true,
  allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id'],
});
const server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items/42`;
const args = ['dist/cli.js', 'check', url, '--origin', PAGE, '--method', 'PUT', '--credentials', '--json'];
for (const [n, v] of request.headers) args.push('--header', `${n}: ${v}`);
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, args);
  times.push(performance.now() - start);
  if (JSON.parse(stdout).verdict !== 'allowed') throw new Error(`unexpected verdict: ${stdout}`);
}
server.close();
times.sort((a, b) => a - b);
const median = times[2]!;
console.log(
  `\ncorsica check (new process, preflight + request over loopback): median ${median.toFixed(0)} ms of 5 runs`,
);
console.log(`check goal (well under a second): ${median < 500 ? 'met' : 'MISSED'} (checksum ${checksum()})`);
