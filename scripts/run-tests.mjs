// Runs every test file under test/ with node's test runner through tsx.
// Node 20's --test does not expand globs or pick up .ts files, so we list them here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The files that pack and install both packages or run suites on other Node versions: a build
// and several installs take minutes, past the 2-minute limit that catches a hung test elsewhere
// (the limit applies to each file as a whole). They run after the others, with 15 minutes.
const SLOW = ['test/package/tarball.test.ts', 'test/package/node-versions.test.ts'];

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const filter = process.argv.slice(2);
const files = findTests('test').filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}

function run(batch, timeout) {
  if (batch.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      `--test-timeout=${timeout}`,
      '--test-reporter=spec',
      ...batch,
    ],
    { stdio: 'inherit' },
  );
  return result.status ?? 1;
}

const quick = run(
  files.filter((f) => !SLOW.includes(f)),
  120_000,
);
const slow = run(
  files.filter((f) => SLOW.includes(f)),
  900_000,
);
process.exit(quick !== 0 ? quick : slow);
