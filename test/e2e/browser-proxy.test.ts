// corsica proxy as a page uses it, in real Chromium: an API without any CORS header becomes
// readable through the proxy (body and headers), preflighted requests work, and refusals are
// readable JSON rather than opaque network errors.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createProxy } from '../../src/proxy/index.js';
import { chromiumSkipReason, type OpenPage, openPage } from '../helpers/chromium.js';
import { close } from '../helpers/http.js';
import { type Upstream, upstream } from '../helpers/upstream.js';

const skip = chromiumSkipReason();

describe('Chromium through corsica proxy', { skip }, () => {
  let open: OpenPage;
  let page: Page;
  let up: Upstream;
  let proxy: ReturnType<typeof createProxy>;
  let proxyBase: string;

  before(async () => {
    up = await upstream();
    up.routes.set('/api/items', (req, res) => {
      req.resume();
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Total-Count', '2');
      res.end(JSON.stringify({ method: req.method, key: req.headers['x-api-key'] ?? null }));
    });
    proxy = createProxy({
      port: 0,
      host: '127.0.0.1',
      rateLimit: 'off',
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await proxy.listen();
    // The page is on 127.0.0.1; the proxy is addressed as localhost: another origin.
    proxyBase = url.replace('127.0.0.1', 'localhost');
    open = await openPage();
    page = open.page;
  });
  after(async () => {
    await open?.close();
    await proxy?.close();
    if (up) await close(up.server);
  });

  it('a page reads an API that sends no CORS headers, headers included, preflight included', async () => {
    const api = `http://127.0.0.1:${up.port}/api/items`;
    const results = await page.evaluate(
      async ({ base, api }) => {
        const simple = await fetch(base + api);
        const put = await fetch(base + api, {
          method: 'PUT',
          headers: { 'X-Api-Key': 'k', 'Content-Type': 'application/json' },
          body: '{}',
        });
        return {
          simple: {
            status: simple.status,
            body: await simple.json(),
            total: simple.headers.get('x-total-count'),
            finalUrl: simple.headers.get('x-final-url'),
          },
          put: await put.json(),
        };
      },
      { base: proxyBase, api },
    );
    assert.deepEqual(results.simple, {
      status: 200,
      body: { method: 'GET', key: null },
      total: '2',
      finalUrl: api,
    });
    assert.deepEqual(results.put, { method: 'PUT', key: 'k' });
  });

  it('a refusal is readable JSON with the rule and the fix, not an opaque network error', async () => {
    const refusal = await page.evaluate(async (base) => {
      const res = await fetch(`${base}http://169.254.169.254/latest/meta-data/`);
      return { status: res.status, body: await res.json() };
    }, proxyBase);
    assert.equal(refusal.status, 403);
    assert.equal(refusal.body.error.rule, 'private-target');
    assert.match(refusal.body.error.fix, /--allow-private-target/);
  });

  it("credentials: 'include' is readable from a --cookies target, and refused readably, before forwarding, elsewhere", async () => {
    const credentialed = createProxy({
      port: 0,
      host: '127.0.0.1',
      rateLimit: 'off',
      cookies: ['127.0.0.1'],
      allowOrigin: [open.origin],
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    // On 127.0.0.1 like the page, on another port: cross-origin, yet the same site, so that the
    // browser's cookie for the proxy's host (cookies ignore ports) rides on credentialed requests.
    const { url: base } = await credentialed.listen();
    await page
      .context()
      .addCookies([{ name: 'session', value: 'abc', domain: '127.0.0.1', path: '/', sameSite: 'Lax' }]);
    up.routes.set('/api/me', (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
    });
    try {
      const seenBefore = up.seen.length;
      const results = await page.evaluate(
        async ({ base, port }) => {
          // No named helper in here: the test runner's transform would refer to a name the page lacks.
          const out: { status: number; body: { cookie?: string; error?: { rule: string } } }[] = [];
          for (const target of [`http://127.0.0.1:${port}/api/me`, `http://localhost:${port}/api/me`]) {
            const res = await fetch(base + target, { credentials: 'include' });
            out.push({ status: res.status, body: await res.json() });
          }
          return { cookieTarget: out[0]!, otherTarget: out[1]! };
        },
        { base, port: up.port },
      );
      assert.deepEqual(results.cookieTarget, { status: 200, body: { cookie: 'session=abc' } });
      assert.equal(results.otherTarget.status, 403);
      assert.equal(results.otherTarget.body.error?.rule, 'credentials-refused');
      assert.equal(up.seen.length, seenBefore + 1, 'only the --cookies target was asked');
    } finally {
      await page.context().clearCookies();
      await credentialed.close();
    }
  });
});
