// docs/migrating-from-cors-anywhere.md, checked: cors-anywhere (the real package) and corsica proxy
// side by side, in front of one upstream, configured alike (cors-anywhere's public demo: a request
// needs Origin or X-Requested-With). What the doc says is the same is the same; each difference in
// its table is shown here on both proxies, and every row of the table has a test.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProxy } from '../../src/proxy/index.js';
import { close, type RawResponse, send } from '../helpers/http.js';
import { type Upstream, upstream } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';
const DOC = readFileSync(new URL('../../docs/migrating-from-cors-anywhere.md', import.meta.url), 'utf8');

interface Closable {
  close(cb: () => void): void;
}

describe('migrating from cors-anywhere (docs/migrating-from-cors-anywhere.md)', () => {
  let up: Upstream;
  let anywhere: Closable;
  let anywhereBase: string;
  let corsica: ReturnType<typeof createProxy>;
  let corsicaBase: string;
  /** The same path on both proxies. */
  const both = async (path: string, headers: Record<string, string> = {}, method = 'GET') => ({
    anywhere: await send(`${anywhereBase}${path}`, method, headers),
    corsica: await send(`${corsicaBase}${path}`, method, headers),
  });
  const covered: string[] = [];
  /** A test for one row of the doc's table of differences. */
  const difference = (row: string, fn: () => Promise<void>) => {
    covered.push(row);
    it(`difference "${row}"`, fn);
  };

  before(async () => {
    up = await upstream();
    up.routes.set('/moved', (_req, res) => {
      res.writeHead(302, { location: '/landing' });
      res.end();
    });
    up.routes.set('/cookie', (_req, res) => {
      res.setHeader('Set-Cookie', 'session=1');
      res.setHeader('X-Total', '3');
      res.end('ok');
    });
    up.routes.set('/broken', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const require = createRequire(import.meta.url);
    const { createServer } = require('cors-anywhere') as {
      createServer(
        options: object,
      ): Closable & { listen(p: number, h: string, cb: () => void): void; address(): AddressInfo };
    };
    const server = createServer({
      requireHeader: ['origin', 'x-requested-with'],
      removeHeaders: ['cookie', 'cookie2'],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    anywhere = server;
    anywhereBase = `http://127.0.0.1:${server.address().port}/`;
    corsica = createProxy({
      port: 0,
      rateLimit: 'off',
      requireHeader: ['origin', 'x-requested-with'],
      maxRedirects: 5,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    ({ url: corsicaBase } = await corsica.listen());
  });
  after(async () => {
    await corsica.close();
    await new Promise<void>((resolve) => anywhere.close(() => resolve()));
    await close(up.server);
  });

  const target = (path: string) => `http://127.0.0.1:${up.port}${path}`;

  it('the same: x-request-url and x-final-url, every upstream header readable, Set-Cookie dropped', async () => {
    const r = await both(`${target('/cookie')}`, { origin: ORIGIN });
    for (const [name, res] of Object.entries(r)) {
      assert.equal(res.status, 200, name);
      assert.equal(res.headers['x-request-url'], target('/cookie'), name);
      assert.equal(res.headers['x-final-url'], target('/cookie'), name);
      assert.equal(res.headers['set-cookie'], undefined, name);
      assert.match(String(res.headers['access-control-expose-headers']), /x-total/, name);
      assert.equal(res.headers['access-control-allow-origin'], '*', name);
    }
  });

  it('the same: a followed redirect is reported in X-CORS-Redirect-1 and X-Final-URL', async () => {
    const r = await both(target('/moved'), { origin: ORIGIN });
    for (const [name, res] of Object.entries(r)) {
      assert.equal(res.status, 200, name);
      assert.equal(res.headers['x-cors-redirect-1'], `302 ${target('/landing')}`, name);
      assert.equal(res.headers['x-final-url'], target('/landing'), name);
      assert.equal(JSON.parse(res.body).path, '/landing', name);
    }
  });

  it('the same: requireHeader means one of the headers', async () => {
    const withOne = await both(target('/x'), { 'x-requested-with': 'XMLHttpRequest' });
    assert.equal(withOne.anywhere.status, 200);
    assert.equal(withOne.corsica.status, 200);
    const withNone = await both(target('/x'));
    assert.equal(withNone.anywhere.status, 400);
    assert.equal(withNone.corsica.status, 400);
  });

  it('the same: /favicon.ico is a 404 with CORS headers, never a request to a host named favicon.ico', async () => {
    const r = await both('favicon.ico');
    for (const [name, res] of Object.entries(r)) {
      assert.equal(res.status, 404, name);
      assert.equal(res.headers['access-control-allow-origin'], '*', name);
    }
  });

  difference('Refusals and errors', async () => {
    const r = await both(target('/x'));
    assert.match(r.anywhere.body, /^Missing required request header/);
    const refusal = JSON.parse(r.corsica.body) as { error: { rule: string; message: string; fix: string } };
    assert.equal(refusal.error.rule, 'missing-header');
    assert.match(refusal.error.fix, /Origin/);
  });

  difference('Preflight status', async () => {
    const r = await both(target('/x'), { origin: ORIGIN, 'access-control-request-method': 'PUT' }, 'OPTIONS');
    assert.equal(r.anywhere.status, 200);
    assert.equal(r.corsica.status, 204);
    assert.equal(r.corsica.headers['access-control-allow-origin'], '*');
  });

  difference('Private and loopback targets', async () => {
    const loopback = `http://127.0.0.1:${up.port + 1}/`;
    const r = await both(loopback, { origin: ORIGIN });
    assert.notEqual(r.anywhere.status, 403, 'cors-anywhere tries any address');
    assert.equal(r.corsica.status, 403);
    assert.equal(JSON.parse(r.corsica.body).error.rule, 'private-target');
  });

  difference('Redirects by default', async () => {
    const fresh = createProxy({ port: 0, rateLimit: 'off', allowPrivateTarget: [`127.0.0.1:${up.port}`] });
    const { url } = await fresh.listen();
    try {
      const handedBack = await send(`${url}${target('/moved')}`, 'GET', { origin: ORIGIN });
      assert.equal(handedBack.status, 302);
      assert.equal(handedBack.headers.location, `${url}${target('/landing')}`);
    } finally {
      await fresh.close();
    }
    const followed = await send(`${anywhereBase}${target('/moved')}`, 'GET', { origin: ORIGIN });
    assert.equal(followed.status, 200);
  });

  difference('Allowed origins', async () => {
    const listed = createProxy({
      port: 0,
      rateLimit: 'off',
      allowOrigin: [ORIGIN],
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await listed.listen();
    try {
      const r = await send(`${url}${target('/x')}`, 'GET', { origin: ORIGIN });
      assert.equal(r.headers['access-control-allow-origin'], ORIGIN);
      assert.match(String(r.headers.vary), /origin/i);
      const stranger = await send(`${url}${target('/x')}`, 'GET', { origin: 'https://evil.example' });
      assert.equal(stranger.status, 403);
    } finally {
      await listed.close();
    }
  });

  difference('X-Request-URL', async () => {
    // A port written with a leading zero: the same port to both, serialized differently.
    const written = `http://127.0.0.1:0${up.port}/x`;
    const r = await both(written, { origin: ORIGIN });
    assert.equal(r.anywhere.headers['x-request-url'], written);
    assert.equal(r.corsica.headers['x-request-url'], target('/x'));
  });

  difference('Unusable targets', async () => {
    const r = await both('http://:1234', { origin: ORIGIN });
    assert.equal(r.anywhere.status, 200);
    assert.match(r.anywhere.body, /This API enables cross-origin requests/);
    assert.equal(r.corsica.status, 400);
    assert.equal(JSON.parse(r.corsica.body).error.rule, 'bad-target');
  });

  difference('/iscorsneeded', async () => {
    const r = await both('iscorsneeded', { origin: ORIGIN });
    assert.equal(r.anywhere.body, 'no');
    assert.equal(r.corsica.status, 400);
  });

  difference('Origin and Referer', async () => {
    up.seen.length = 0;
    await both(target('/seen'), { origin: ORIGIN, referer: `${ORIGIN}/page` });
    const [viaAnywhere, viaCorsica] = up.seen;
    assert.equal(viaAnywhere!.headers.origin, ORIGIN);
    assert.equal(viaCorsica!.headers.origin, undefined);
    assert.equal(viaCorsica!.headers.referer, undefined);
  });

  difference('A broken upstream body', async () => {
    await assert.rejects(
      send(`${corsicaBase}${target('/broken')}`, 'GET', { origin: ORIGIN }) as Promise<RawResponse>,
    );
  });

  difference('Requests with cookies', async () => {
    up.seen.length = 0;
    const r = await both(target('/cookie'), { origin: ORIGIN, cookie: 'session=1' });
    assert.equal(r.anywhere.status, 200);
    assert.equal(r.anywhere.headers['access-control-allow-origin'], '*');
    assert.equal(r.corsica.status, 403);
    assert.equal(JSON.parse(r.corsica.body).error.rule, 'credentials-refused');
    assert.equal(up.seen.length, 1, 'only cors-anywhere forwarded it');
  });

  difference('Proxied pages', async () => {
    const r = await both(target('/x'), { origin: ORIGIN });
    assert.equal(r.anywhere.headers['content-security-policy'], undefined);
    assert.equal(r.corsica.headers['content-security-policy'], "default-src 'none'; sandbox");
  });

  it('every difference the doc lists has a test here, and every test names a row of the doc', () => {
    const rows = [...DOC.matchAll(/^\| \*\*(.+?)\*\* \|/gm)].map((m) => m[1]!);
    assert.ok(rows.length >= covered.length);
    for (const row of covered) assert.ok(rows.includes(row), `the doc has no row "${row}"`);
    const untested = rows.filter((row) => !covered.includes(row) && !DOC.includes(`| **${row}** | (option)`));
    assert.deepEqual(untested, [], 'rows without a test');
  });
});
