// What a serverless cold start pays to load the middleware: `require('corsica/node')` against
// `require('cors')`, each in a fresh Node process, timed around the require() call alone, with
// the bytes of JavaScript that call made Node read (the files it added to require.cache). Runs are
// interleaved (corsica, cors, cors, corsica, ...) after one warm-up of each (the file cache), and
// medians are compared. Also `import('corsica/node')`, the ES module build, for the record.
// Goal: corsica ≤ 2x cors. Needs a build (npm run build). NODE=<path to a node binary> runs the
// children on another Node, e.g. the test binaries: NODE=node_modules/.cache/node-versions/node_modules/node22/bin/node
// Run: node --import tsx bench/require-time.ts

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = resolve(process.env.NODE ?? process.execPath);

if (!existsSync(`${ROOT}dist/node.cjs`)) {
  process.stderr.write('dist/node.cjs is missing: run npm run build first\n');
  process.exit(2);
}

// An app whose node_modules holds both packages, so that each is found as an app finds it: through
// node_modules and its package.json (`exports` for corsica, `main` for cors).
const APP = mkdtempSync(join(tmpdir(), 'corsica-require-'));
writeFileSync(join(APP, 'package.json'), '{"name":"app","private":true}');
mkdirSync(join(APP, 'node_modules'));
symlinkSync(ROOT, join(APP, 'node_modules/corsica'), 'dir');
symlinkSync(join(ROOT, 'node_modules/cors'), join(APP, 'node_modules/cors'), 'dir');
symlinkSync(join(ROOT, 'node_modules/express'), join(APP, 'node_modules/express'), 'dir');
// cors's own dependencies (object-assign, vary) resolve from its real path, this repository.

/** A child script: time the load, then report milliseconds and the bytes of the files it read. */
const requireScript = (name: string, after = '') => `
const { statSync } = require('node:fs');
${after === '' ? '' : `require(${JSON.stringify(after)});`}
const before = new Set(Object.keys(require.cache));
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
require(${JSON.stringify(name)});
const c1 = process.cpuUsage(c0);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
let bytes = 0;
for (const file of Object.keys(require.cache)) if (!before.has(file)) bytes += statSync(file).size;
console.log(JSON.stringify({ ms, cpu: (c1.user + c1.system) / 1000, bytes }));
`;

// ES modules have no require.cache: the bytes are left out (the CommonJS figure says what loads).
const importScript = (name: string) => `
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
import(${JSON.stringify(name)}).then(() => {
  const c1 = process.cpuUsage(c0);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ ms, cpu: (c1.user + c1.system) / 1000, bytes: 0 }));
});
`;

const CASES: Readonly<Record<string, string>> = {
  "require('corsica/node')": requireScript('corsica/node'),
  "require('cors')": requireScript('cors'),
  "import('corsica/node')": importScript('corsica/node'),
  // The app a cors user has: Express is loaded first. Express 5 loads some twenty packages with an
  // `exports` map, so Node's exports resolver (which a bare process initialises on the first such
  // package, 0.4-1.5 ms depending on the Node version) is already warm, as in most real apps.
  "after express: require('corsica/node')": requireScript('corsica/node', 'express'),
  "after express: require('cors')": requireScript('cors', 'express'),
};

interface Sample {
  /** Wall time. */
  readonly ms: number;
  /** CPU time (user and system): on a busy shared machine, the figure a preemption does not inflate. */
  readonly cpu: number;
  readonly bytes: number;
}

function once(script: string): Sample {
  const run = spawnSync(NODE, ['-e', script], { cwd: APP, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the child failed: ${run.stderr ?? run.error}`);
  return JSON.parse(run.stdout) as Sample;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
for (const script of Object.values(CASES)) once(script);
const names = Object.keys(CASES);
for (let round = 0; round < ROUNDS; round++) {
  // The order turns each round, so that no contestant always runs right after another.
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) samples[name]!.push(once(CASES[name]!));
}

const med = (name: string, key: 'ms' | 'cpu' | 'bytes') => median(samples[name]!.map((s) => s[key]));
const CORS = "require('cors')";
process.stdout.write(
  `load time in a fresh process, medians of ${ROUNDS} interleaved runs (Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()})\n\n`,
);
process.stdout.write(
  '| load | wall | / cors | CPU | / cors | JavaScript read |\n|---|---:|---:|---:|---:|---:|\n',
);
for (const name of names) {
  const base = name.startsWith('after express') ? "after express: require('cors')" : CORS;
  const bytes = med(name, 'bytes');
  const read = bytes === 0 ? 'n/a' : `${(bytes / 1024).toFixed(1)} KiB`;
  const wall = med(name, 'ms');
  const cpu = med(name, 'cpu');
  process.stdout.write(
    `| \`${name}\` | ${wall.toFixed(2)} ms | ${(wall / med(base, 'ms')).toFixed(2)}x | ${cpu.toFixed(2)} ms | ${(cpu / med(base, 'cpu')).toFixed(2)}x | ${read} |\n`,
  );
}
rmSync(APP, { recursive: true, force: true });
for (const prefix of ['', 'after express: ']) {
  const ratio = med(`${prefix}require('corsica/node')`, 'cpu') / med(`${prefix}require('cors')`, 'cpu');
  process.stdout.write(
    `\ngoal: ${prefix}require('corsica/node') ≤ 2x require('cors') (CPU time): ${ratio <= 2 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`,
  );
}
process.stdout.write('\n');
