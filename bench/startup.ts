// Start-up time of the command line (`corsica check` and `corsica audit` must start
// fast): the wall time of `node dist/cli.js <command> --help`, and of a real `check` and `audit`
// of a local server (in its own process), against `node -e 0` (the floor: a Node process that
// loads nothing) and a script that runs one fetch(). Runs are interleaved, medians of ROUNDS;
// the ratios to `node -e 0` are what count on these shared machines. Needs a build (npm run
// build), or CLI=<path to a built cli.js>.
// Run: node --import tsx bench/startup.ts

import { spawn, spawnSync } from 'node:child_process';
import { once as onceEvent } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = process.env.CLI ?? `${ROOT}dist/cli.js`;

if (!existsSync(CLI)) {
  process.stderr.write('dist/cli.js is missing: run npm run build first\n');
  process.exit(2);
}

// A server in another process: this one blocks in spawnSync while the commands run.
const server = spawn(
  process.execPath,
  [
    '-e',
    "require('http').createServer((q, s) => { s.setHeader('Access-Control-Allow-Origin', '*'); s.end('ok'); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); })",
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const [chunk] = (await onceEvent(server.stdout!, 'data')) as [Buffer];
const url = `http://127.0.0.1:${chunk.toString().trim()}/items`;

const CASES: Readonly<Record<string, readonly string[]>> = {
  'node -e 0': ['-e', '0'],
  'node: one fetch()': ['-e', `fetch('${url}').then((r) => r.text())`],
  'corsica --version': [CLI, '--version'],
  'corsica check --help': [CLI, 'check', '--help'],
  'corsica audit --help': [CLI, 'audit', '--help'],
  'corsica explain --help': [CLI, 'explain', '--help'],
  'corsica check <local url>': [CLI, 'check', url, '--origin', 'https://www.example.com'],
  'corsica audit <local url>': [CLI, 'audit', url, '--origin', 'https://www.example.com'],
};

function once(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  // audit exits 1 on findings (this server answers '*': info only, so 0).
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
// One warm-up of each (file cache), then interleaved rounds.
for (const args of Object.values(CASES)) once(args);
for (let round = 0; round < ROUNDS; round++)
  for (const [name, args] of Object.entries(CASES)) times[name]!.push(once(args));

const floor = median(times['node -e 0']!);
process.stdout.write(`start-up, median of ${ROUNDS} interleaved runs (Node ${process.version})\n\n`);
process.stdout.write('| command | median | / node -e 0 |\n|---|---:|---:|\n');
for (const name of Object.keys(CASES)) {
  const m = median(times[name]!);
  process.stdout.write(`| \`${name}\` | ${m.toFixed(1)} ms | ${(m / floor).toFixed(2)}x |\n`);
}
server.kill();
