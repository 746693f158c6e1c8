// Bad ports are usage errors: `--port abc` and a port already in use give one line
// and exit 2 for `corsica proxy` and `corsica playground`, never a stack trace, and the command
// does not stay running.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';

const corsica = (...args: string[]) => runCli(args, { timeout: 15_000 });

describe('corsica proxy and playground: bad ports', () => {
  it('--port abc: a usage error, exit 2', async () => {
    for (const command of ['proxy', 'playground']) {
      const r = await corsica(command, '--port', 'abc');
      assert.equal(r.code, 2, command);
      assert.match(r.stderr, /port/i, command);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${command}: no stack trace`);
    }
  });

  it('a port in use: says so, exit 2, and the command ends', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as { port: number }).port);
    try {
      for (const command of ['proxy', 'playground']) {
        const r = await corsica(command, '--port', port);
        assert.equal(r.code, 2, command);
        assert.match(
          r.stderr,
          new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
          command,
        );
        assert.doesNotMatch(r.stderr, /\n\s+at /, `${command}: no stack trace`);
      }
    } finally {
      busy.close();
    }
  });

  it('--page-origin takes only a loopback http origin, and not with --port', async () => {
    const far = await corsica('playground', '--page-origin', 'https://app.example.com');
    assert.equal(far.code, 2);
    assert.match(
      far.stderr,
      /--page-origin must be http:\/\/localhost:<port> or http:\/\/127\.0\.0\.1:<port>/,
    );
    const both = await corsica('playground', '--page-origin', 'http://localhost:5173', '--port', '5173');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --port or --page-origin/);
  });
});

describe('the addresses the commands cannot have, and the npm scripts', () => {
  it('an address this machine does not have, with --port 0: named without a made-up port', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine; nothing is sent to it.
    const r = await corsica('proxy', '--host', '192.0.2.1', '--port', '0');
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: corsica proxy cannot listen on 192.0.2.1: no such address on this machine. Check --host.\n',
    );
  });

  const root = new URL('../../', import.meta.url);
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

  it('npm start, npm run proxy and npm run demo listen on different ports, so they run together', async () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const help = (await corsica('playground', '--help')).stdout;
    const playground = /--port <port> +port of the page \(default (\d+)\)/.exec(help)?.[1];
    const proxy = /proxy --port (\d+)/.exec(scripts.proxy!)?.[1];
    assert.match(scripts.start!, /playground$/);
    assert.match(scripts.demo!, /src\/demo\/server\.ts$/);
    const demo = Number(/process\.env\.PORT \?\? (\d+)/.exec(read('src/demo/server.ts'))?.[1]);
    const ports = [Number(playground), Number(proxy), demo, demo + 1];
    assert.equal(new Set(ports).size, 4, `ports ${ports.join(', ')}`);
  });

  it('npm run demo on a port in use: one line and exit 2, no stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/demo/server.ts'], {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PAGE_PORT: String(port + 1) },
        timeout: 15_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      assert.equal(run.code, 2);
      assert.equal(
        run.stderr,
        `corsica demo: the API cannot listen on 127.0.0.1:${port}: the port is in use. Choose free ports: PORT=<api> PAGE_PORT=<page> npm run demo\n`,
      );
    } finally {
      busy.close();
    }
  });

  it("npm pack's tarball is git-ignored", async () => {
    const ignored = await promisify(execFile)('git', ['check-ignore', '-q', 'corsica-0.1.0.tgz'], {
      cwd: root,
    }).then(
      () => true,
      () => false,
    );
    assert.ok(ignored, '*.tgz is not in .gitignore');
  });
});
