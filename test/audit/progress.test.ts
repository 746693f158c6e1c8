// The progress line of a long audit: written over itself on stderr when stderr is a terminal,
// nothing when it is not (CI logs, pipes). Tested on a stand-in stream, and on the real command
// under a pseudo-terminal (util-linux's script) and in a pipe.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { progressLine } from '../../src/cli/progress.js';
import { runCli } from '../helpers/cli.js';
import { CORRECT, type Running, SITE } from './gallery.js';

const SCRIPT = '/usr/bin/script';
const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));

function stream(isTTY: boolean | undefined) {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => written.push(text) };
}

describe('audit progress line', () => {
  it('on a terminal: the count and what is audited, over itself, erased at the end', () => {
    const tty = stream(true);
    const progress = progressLine(tty);
    progress.update(1, 97, 'http://127.0.0.1:3000/items\x1b]0;title\x07');
    progress.update(97, 97, 'http://127.0.0.1:3000/items');
    progress.end();
    assert.deepEqual(tty.written, [
      '\r\x1b[2Kcorsica audit: 1/97 probes, http://127.0.0.1:3000/items\\x1b]0;title\\x07',
      '\r\x1b[2Kcorsica audit: 97/97 probes, http://127.0.0.1:3000/items',
      '\r\x1b[2K',
    ]);
  });

  it('elsewhere: nothing at all', () => {
    for (const isTTY of [false, undefined]) {
      const pipe = stream(isTTY);
      const progress = progressLine(pipe);
      progress.update(1, 97, 'x');
      progress.end();
      assert.deepEqual(pipe.written, []);
    }
  });

  describe('the real command', () => {
    let server: Running;
    before(async () => {
      server = await CORRECT[0]!.start();
    });
    after(() => server.close());

    it('under a pseudo-terminal, stderr shows the progress line', {
      skip: existsSync(SCRIPT) ? false : 'script (util-linux) is not installed',
    }, async () => {
      const command = [process.execPath, '--import', 'tsx', CLI, 'audit', server.url, '--origin', SITE].join(
        ' ',
      );
      const { stdout } = await promisify(execFile)(SCRIPT, ['-qfec', command, '/dev/null'], {
        env: { ...process.env, NO_COLOR: '1' },
        encoding: 'utf8',
      });
      assert.match(stdout, /\r\x1b\[2Kcorsica audit: \d+\/\d+ probes, http:\/\/127\.0\.0\.1:\d+\/api\/items/);
      assert.match(stdout, /✔ nothing exploitable or broken/);
    });

    it('in a pipe, stderr stays empty', async () => {
      const run = await runCli(['audit', server.url, '--origin', SITE], { source: true });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
    });
  });
});
