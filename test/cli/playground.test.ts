// The built command serves the playground as a user gets it from the package: the page, and its
// script compiled at build time (dist/page-script.js), without esbuild, which only the sources use.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { send } from '../helpers/http.js';

test('corsica playground (built) serves the page and its compiled script', async () => {
  const child = spawn(
    process.execPath,
    ['dist/cli.js', 'playground', '--port', '0', '--allowed-host', 'dev.example.test'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 10_000);
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const found = /corsica playground on (\S+)/.exec(out);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
    });
    const page = await (await fetch(url)).text();
    assert.match(page, /<script type="module" src="\/page-script\.js"><\/script>/);
    assert.match(page, /<script type="application\/json" id="gallery-data">\[\{"title":/);
    const script = await fetch(new URL('/page-script.js', url));
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const code = await script.text();
    assert.match(code, /function renderCode\(\)/, 'compiled from page-script.ts');
    assert.doesNotMatch(code, /^import /m, 'no import left for the browser to resolve');
    assert.doesNotMatch(code, /: ServerSpec|interface /, 'the types are gone');
    // The Host allow-list: the name given with --allowed-host is answered, a rebound name is not.
    const port = new URL(url).port;
    assert.equal((await send(url, 'GET', { host: `dev.example.test:${port}` })).status, 200);
    const rebound = await send(url, 'GET', { host: `attacker.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /--allowed-host/);
  } finally {
    child.kill();
    await once(child, 'exit');
  }
});
