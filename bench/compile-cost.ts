// Where a load's time goes once Node has found the file: V8 compiling it, its top level running,
// and making the middleware the first time (V8 compiles each function on its first call), for
// corsica's dist/node.cjs against cors's main file. In process: each round compiles a fresh copy of
// each file (a comment that differs defeats V8's compilation cache), so every round is a first
// load; wall time of each phase, median and interquartile range over the rounds.
//
//   node --import tsx bench/compile-cost.ts          (after npm run build)
//   NODE=<node binary> node --import tsx bench/compile-cost.ts
//
// Knobs: ROUNDS (150). Run with another Node through NODE: the script re-runs itself there.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { spread } from './ab.js';
import { PAGES_CONFIG } from './scenarios.js';

const ROUNDS = Number(process.env.ROUNDS ?? 150);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

if (process.env.NODE !== undefined && resolve(process.env.NODE) !== process.execPath) {
  const child = spawnSync(process.env.NODE, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, NODE: undefined },
  });
  process.exit(child.status ?? 1);
}

const FILES = [
  { label: 'corsica: dist/node.cjs', file: `${ROOT}dist/node.cjs` },
  { label: 'cors: its main file', file: createRequire(`${ROOT}package.json`).resolve('cors') },
];
const PHASES = ['compile', 'top level', 'first middleware', 'second middleware'] as const;

type Middleware = (options: object) => unknown;
const now = () => performance.now();

const times = FILES.map(() => PHASES.map(() => [] as number[]));
const sources = FILES.map(({ file }) => readFileSync(file, 'utf8'));
for (let round = 0; round < ROUNDS; round++) {
  FILES.forEach(({ file }, i) => {
    // Wrapped as Node wraps a CommonJS module.
    const source = `(function (exports, require, module, __filename, __dirname) {${sources[i]}\n/* ${round} */})`;
    const t0 = now();
    const script = new Script(source, { filename: `${file}?${round}` });
    const t1 = now();
    const module = { exports: {} as Record<string, unknown> };
    script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
    const t2 = now();
    const make = (module.exports.default ?? module.exports) as Middleware;
    make(PAGES_CONFIG);
    const t3 = now();
    make({ origin: 'https://other.example.com' });
    const t4 = now();
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3].forEach((ms, phase) => {
      times[i]![phase]!.push(ms);
    });
  });
}

const lines = [
  `first load in process, wall time, ${ROUNDS} rounds (Node ${process.version});`,
  `first middleware: ${JSON.stringify(PAGES_CONFIG)}\n`,
  `| file | bytes | ${PHASES.join(' | ')} |`,
  `|---|---:|${PHASES.map(() => '---:').join('|')}|`,
];
FILES.forEach(({ label }, i) => {
  const cells = times[i]!.map((t) => {
    const { median, q1, q3 } = spread(t);
    return `${median.toFixed(2)} ms (${q1.toFixed(2)}–${q3.toFixed(2)})`;
  });
  lines.push(`| ${label} | ${sources[i]!.length} | ${cells.join(' | ')} |`);
});
process.stdout.write(`${lines.join('\n')}\n`);
