// Bad ports are usage errors (issue 13.7): `--port abc` and a port already in use give one line
// and exit 2 for `corsica proxy` and `corsica playground`, never a stack trace, and the command
// does not stay running.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
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
