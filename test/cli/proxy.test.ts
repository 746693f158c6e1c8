// `corsica proxy` as operators start it: options from a config file, CORSICA_* variables and flags
// (each overriding the one before), every problem reported at start-up, and a running server.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { proxyOptions } from '../../src/cli/proxy.js';
import { startProxyCommand } from '../helpers/cli.js';

describe('corsica proxy options', () => {
  it('a config file, then the environment, then flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-'));
    const file = join(dir, 'proxy.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 9000, rateLimit: '100/1m', allowTarget: ['api.example.com'], timeout: 5000 }),
    );
    const options = await proxyOptions(
      {
        config: file,
        port: '9100',
        allowOrigin: ['https://a.example', 'https://b.example'],
        requireHeader: [],
      },
      {
        CORSICA_RATE_LIMIT: '50/1m',
        CORSICA_PORT: '9050',
        CORSICA_ALLOW_PRIVATE_TARGET: 'localhost:3000,10.0.0.0/8',
      },
    );
    assert.deepEqual(options, {
      port: 9100,
      rateLimit: '50/1m',
      allowTarget: ['api.example.com'],
      timeout: 5000,
      allowPrivateTarget: ['localhost:3000', '10.0.0.0/8'],
      allowOrigin: ['https://a.example', 'https://b.example'],
    });
  });

  it('--require-header none turns the Origin requirement off', async () => {
    assert.deepEqual(await proxyOptions({ requireHeader: ['none'] }, {}), { requireHeader: [] });
  });

  it('unknown keys in the config file are refused by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ port: 1, originWhitelist: [] }));
    await assert.rejects(proxyOptions({ config: file }, {}), /unknown option originWhitelist/);
  });
});

describe('corsica proxy (the command)', () => {
  it('reports every configuration problem with its fix and exits 2', async () => {
    const run = await startProxyCommand([
      '--port',
      'eighty',
      '--rate-limit',
      'fast',
      '--allow-origin',
      'example.com',
      '--allow-private-target',
      '10.0.0.0/99',
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /port: must be a whole number from 0 to 65535, not "eighty"/);
    assert.match(run.stderr, /rateLimit: 'fast' is not <requests>\/<window>/);
    assert.match(run.stderr, /allowOrigin \(origin\[0\]\): 'example\.com' has no scheme/);
    assert.match(run.stderr, /allowPrivateTarget\[0\]: '10\.0\.0\.0\/99' is not a CIDR range/);
  });

  it('starts, prints its address, serves the help page and stops on SIGTERM', async () => {
    const run = await startProxyCommand(['--port', '0']);
    try {
      // The address it listens on, as it listens (localhost may resolve to ::1, where it does not).
      const match =
        /^corsica proxy on (http:\/\/127\.0\.0\.1:\d+\/) \(help page at \1; try \1https:\/\/example\.com\/\)$/m.exec(
          run.stdout,
        );
      assert.ok(match, run.stdout + run.stderr);
      const help = await fetch(match[1]!);
      assert.match(await help.text(), /corsica proxy/);
    } finally {
      run.stop();
    }
  });
});
