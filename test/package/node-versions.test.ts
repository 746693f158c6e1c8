// The adapter tests (test/adapters/ and test/node/: every framework, cors's drop-in contract) on
// Node 22, 24 and 26 as well as the suite's own Node 20, each run by that Node's own test runner
// from the sources (through tsx). The packed packages are run on every version by
// test/package/tarball.test.ts.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { nodeBinaries, OTHER_LINES } from '../helpers/node-versions.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = ['test/adapters', 'test/node'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`),
);

const found = await nodeBinaries();

describe('the adapter tests on every tested Node', () => {
  for (const line of OTHER_LINES) {
    it(`pass on Node ${line}`, { skip: 'skip' in found ? found.skip : false, timeout: 600_000 }, async () => {
      if (!('binaries' in found)) return;
      // Without the outer runner's NODE_TEST_CONTEXT, the inner one reports as a runner of its own.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const result = await promisify(execFile)(
        found.binaries[line],
        ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...FILES],
        { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
      const version = await promisify(execFile)(found.binaries[line], ['--version']);
      assert.match(version.stdout, new RegExp(`^v${line}\\.`));
      const failures = result.stdout.split('\n').filter((l) => /✖/.test(l));
      assert.equal(result.code, 0, `Node ${line}:\n${failures.join('\n')}`);
      assert.match(result.stdout, /ℹ fail 0/);
    });
  }
});
