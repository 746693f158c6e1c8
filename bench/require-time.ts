// What a serverless cold start pays to load the middleware: `require('corsica/node')` against
// `require('cors')`, each in a fresh Node process, timed around the require() call alone (CPU time:
// on a busy shared machine, the figure a preemption does not inflate), with the bytes of
// JavaScript that call made Node read (the files it added to require.cache). Also the whole cold
// start, require and creating the middleware for a typical configuration, and `import()`.
//
// Runs are interleaved (every case once per round, the order turning each round) after one warm-up
// of each (the file cache). A ratio is taken per round, corsica over cors in that same round, and
// the median and interquartile range of those ratios are reported: the machine's drift between
// rounds cancels out. Goal: corsica ≤ 2x cors.
//
//   node --import tsx bench/require-time.ts                         this checkout's dist (built first: npm run build)
//   BENCH_BASELINE=<commit> node --import tsx bench/require-time.ts   also that commit, built in a temporary worktree
//   BENCH_OTHER=<built checkout> node --import tsx bench/require-time.ts
//   NODE=<node binary> ...   children on another Node, e.g. node_modules/.cache/node-versions/node_modules/node22/bin/node
//
// Knobs: ROUNDS (21), BENCH_KEEP=1 (keep a commit's build for the next run).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Spread, spread } from './ab.js';
import { type Build, commitBuild, describe, otherCheckout } from './builds.js';
import { PAGES_CONFIG } from './scenarios.js';

const ROUNDS = Number(process.env.ROUNDS ?? 21);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = resolve(process.env.NODE ?? process.execPath);

if (!existsSync(`${ROOT}dist/node.cjs`)) {
  process.stderr.write('dist/node.cjs is missing: run npm run build first\n');
  process.exit(2);
}

const keep = process.env.BENCH_KEEP === '1';
const baseline: Build | null =
  process.env.BENCH_BASELINE !== undefined
    ? commitBuild(process.env.BENCH_BASELINE, keep)
    : process.env.BENCH_OTHER !== undefined
      ? otherCheckout(process.env.BENCH_OTHER)
      : null;

// An app whose node_modules holds the packages, so that each is found as an app finds it: through
// node_modules and its package.json (`exports` for corsica, `main` for cors).
const APP = mkdtempSync(join(tmpdir(), 'corsica-require-'));
writeFileSync(join(APP, 'package.json'), '{"name":"app","private":true}');
mkdirSync(join(APP, 'node_modules'));
symlinkSync(ROOT, join(APP, 'node_modules/corsica'), 'dir');
if (baseline !== null) symlinkSync(baseline.dir, join(APP, 'node_modules/corsica-baseline'), 'dir');
symlinkSync(join(ROOT, 'node_modules/cors'), join(APP, 'node_modules/cors'), 'dir');
symlinkSync(join(ROOT, 'node_modules/express'), join(APP, 'node_modules/express'), 'dir');
// cors's own dependencies (object-assign, vary) resolve from its real path, this repository.
// An empty package with an `exports` map: what Node itself spends on the first package it finds
// through such a map (on Node 20 and 22 it sets up its exports resolver then), the floor for any
// package that has one. cors has none.
mkdirSync(join(APP, 'node_modules/exports-probe'));
writeFileSync(
  join(APP, 'node_modules/exports-probe/package.json'),
  '{"name":"exports-probe","exports":"./index.js"}',
);
writeFileSync(join(APP, 'node_modules/exports-probe/index.js'), '');

/** cors's main file, as `require('cors')` finds it. */
const CORS_FILE = createRequire(join(APP, 'package.json')).resolve('cors');

/** The options of the cold start, as source for the child script. */
const OPTIONS = JSON.stringify(PAGES_CONFIG);

/**
 * A child script: time the load (and with `create`, making the middleware too), then report CPU
 * milliseconds and the bytes of the files the require read.
 */
const requireScript = (name: string, { after = '', create = false } = {}) => `
const { statSync } = require('node:fs');
${after === '' ? '' : `require(${JSON.stringify(after)});`}
const before = new Set(Object.keys(require.cache));
const c0 = process.cpuUsage();
const loaded = require(${JSON.stringify(name)});
${create ? `loaded(${OPTIONS});` : ''}
const c1 = process.cpuUsage(c0);
let bytes = 0;
for (const file of Object.keys(require.cache)) if (!before.has(file)) bytes += statSync(file).size;
console.log(JSON.stringify({ cpu: (c1.user + c1.system) / 1000, bytes }));
`;

// ES modules have no require.cache: the bytes are left out (the CommonJS figure says what loads).
const importScript = (name: string) => `
const c0 = process.cpuUsage();
import(${JSON.stringify(name)}).then(() => {
  const c1 = process.cpuUsage(c0);
  console.log(JSON.stringify({ cpu: (c1.user + c1.system) / 1000, bytes: null }));
});
`;

interface Case {
  readonly name: string;
  readonly script: string;
  /** The case this one is divided by, round by round (cors's counterpart). */
  readonly base?: string;
  /** The baseline's counterpart, divided by round by round too: the A/B of the two builds. */
  readonly versus?: string;
}

/**
 * The corsica builds measured: this checkout's dist as it is, and the baseline when one is named
 * (a commit is built with this process's environment, CORSICA_MINIFY included; a label names the
 * commit, not how its dist was built).
 */
const corsicas = [
  { label: 'corsica', pkg: 'corsica', dir: ROOT },
  ...(baseline === null ? [] : [{ label: 'baseline', pkg: 'corsica-baseline', dir: baseline.dir }]),
];

/** This checkout's case is also compared with the baseline's, when there is one. */
const versus = (label: string, baselineCase: string) =>
  label === 'corsica' && baseline !== null ? { versus: baselineCase } : {};

const CASES: Case[] = [
  { name: "require('cors')", script: requireScript('cors') },
  ...corsicas.map(({ label, pkg }) => ({
    name: `${label}: require('corsica/node')`,
    script: requireScript(`${pkg}/node`),
    base: "require('cors')",
    ...versus(label, "baseline: require('corsica/node')"),
  })),
  {
    name: "empty package with an exports map: require('exports-probe')",
    script: requireScript('exports-probe'),
    base: "require('cors')",
  },
  // The same files required by their path: what loading the code costs, without what Node spends
  // finding it (for corsica on Node 20 and 22, mostly the set-up of the exports resolver that the
  // empty package above shows; Node 24 and later do it at start-up).
  { name: "by path: cors's file", script: requireScript(CORS_FILE) },
  ...corsicas.map(({ label, dir }) => ({
    name: `${label}, by path: dist/node.cjs`,
    script: requireScript(join(dir, 'dist/node.cjs')),
    base: "by path: cors's file",
    ...versus(label, 'baseline, by path: dist/node.cjs'),
  })),
  // The app a cors user has: Express is loaded first. Express 5 loads some twenty packages with an
  // `exports` map, so Node's exports resolver (what the empty package above costs) is already set
  // up, as in most real apps.
  { name: "after express: require('cors')", script: requireScript('cors', { after: 'express' }) },
  ...corsicas.map(({ label, pkg }) => ({
    name: `${label}, after express: require('corsica/node')`,
    script: requireScript(`${pkg}/node`, { after: 'express' }),
    base: "after express: require('cors')",
    ...versus(label, "baseline, after express: require('corsica/node')"),
  })),
  // The cold start itself: loading, then making the middleware (corsica validates and compiles
  // the options there; cors only keeps them).
  { name: 'cold start: cors', script: requireScript('cors', { create: true }) },
  ...corsicas.map(({ label, pkg }) => ({
    name: `${label}, cold start: corsica/node`,
    script: requireScript(`${pkg}/node`, { create: true }),
    base: 'cold start: cors',
    ...versus(label, 'baseline, cold start: corsica/node'),
  })),
  ...corsicas.map(({ label, pkg }) => ({
    name: `${label}: import('corsica/node')`,
    script: importScript(`${pkg}/node`),
    base: "require('cors')",
    ...versus(label, "baseline: import('corsica/node')"),
  })),
];

interface Sample {
  /** CPU time (user and system), milliseconds. */
  readonly cpu: number;
  /** null for import(), which leaves no record of the files it read. */
  readonly bytes: number | null;
}

function once(script: string): Sample {
  const run = spawnSync(NODE, ['-e', script], { cwd: APP, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the child failed: ${run.stderr ?? run.error}`);
  return JSON.parse(run.stdout) as Sample;
}

const samples = new Map<string, Sample[]>(CASES.map((c) => [c.name, []]));
try {
  for (const c of CASES) once(c.script);
  for (let round = 0; round < ROUNDS; round++) {
    // The order turns each round, so that no case always runs right after another.
    const order = round % 2 === 0 ? CASES : [...CASES].reverse();
    for (const c of order) samples.get(c.name)!.push(once(c.script));
  }
} finally {
  rmSync(APP, { recursive: true, force: true });
  baseline?.dispose();
}

const node = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
const lines = [
  `load time in a fresh process, CPU time, ${ROUNDS} interleaved rounds (Node ${node});`,
  `corsica: this checkout (${describe(ROOT)}), dist as it is${baseline === null ? '' : `; baseline: ${baseline.label}`};`,
  'ratios: median (interquartile range) of the per-round ratios to the case named;',
  `cold start: require, then make the middleware for ${OPTIONS}\n`,
  '| case | CPU median | ratio | JavaScript read | this / baseline |',
  '|---|---:|---|---:|---|',
];
/** Per-round ratios of one case to another: the machine's drift between rounds cancels out. */
const perRound = (name: string, other: string) => {
  const base = samples.get(other)!;
  return spread(samples.get(name)!.map((s, i) => s.cpu / base[i]!.cpu));
};
const shown = (s: Spread) => `${s.median.toFixed(2)}x (${s.q1.toFixed(2)}-${s.q3.toFixed(2)})`;
const ratios = new Map<string, Spread>();
for (const c of CASES) {
  const own = samples.get(c.name)!;
  const cpu = spread(own.map((s) => s.cpu)).median;
  const bytes = own[0]!.bytes === null ? null : spread(own.map((s) => s.bytes ?? 0)).median;
  let ratio = '1 (the base)';
  if (c.base !== undefined) {
    ratios.set(c.name, perRound(c.name, c.base));
    ratio = `${shown(ratios.get(c.name)!)} of ${c.base}`;
  }
  const ab = c.versus === undefined ? '' : shown(perRound(c.name, c.versus));
  const read = bytes === null ? 'n/a' : `${(bytes / 1024).toFixed(1)} KiB`;
  lines.push(`| \`${c.name}\` | ${cpu.toFixed(2)} ms | ${ratio} | ${read} | ${ab} |`);
}
for (const prefix of ['', ', after express']) {
  const name = `corsica${prefix}: require('corsica/node')`;
  const { median } = ratios.get(name)!;
  lines.push(`\ngoal: ${name} ≤ 2x cors: ${median <= 2 ? 'met' : 'NOT met'} (${median.toFixed(2)}x)`);
}
process.stdout.write(`${lines.join('\n')}\n`);
