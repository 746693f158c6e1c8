// Real Chromium against every framework adapter: a page on http://127.0.0.1:A fetches each
// framework's server on http://localhost:B with the same configuration; the browser must allow
// exactly what the configuration intends, and name what it refuses.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumSkipReason, type OpenPage, openPage } from '../helpers/chromium.js';
import { FRAMEWORKS, type Running } from '../helpers/frameworks.js';

const skip = chromiumSkipReason();

describe('Chromium against every adapter', { skip }, () => {
  let open: OpenPage;
  let page: Page;
  let pageOrigin: string;
  let consoleErrors: string[];
  const running: Running[] = [];

  before(async () => {
    open = await openPage();
    ({ page, origin: pageOrigin, consoleErrors } = open);
  });
  after(async () => {
    await Promise.all(running.map((r) => r.close()));
    await open?.close();
  });

  for (const [framework, build] of Object.entries(FRAMEWORKS)) {
    it(framework, async () => {
      const app = await build({
        origin: [pageOrigin],
        methods: 'GET,PUT',
        allowedHeaders: ['X-Api-Key'],
        exposedHeaders: ['X-Total'],
      });
      running.push(app);
      const api = app.url.replace('127.0.0.1', 'localhost');
      // No named functions inside evaluate: tsx would wrap them in a helper the page does not have.
      const results = await page.evaluate(async (base) => {
        const specs: [string, string, RequestInit][] = [
          ['simple', '/ok', {}],
          ['preflighted', '/ok?p', { headers: { 'X-Api-Key': 'k' } }],
          ['error', '/boom', {}],
          ['refusedHeader', '/ok?h', { headers: { 'X-Other': '1' } }],
          ['refusedMethod', '/ok?m', { method: 'DELETE' }],
        ];
        const out: Record<string, { ok: boolean; status?: number; total?: string | null; body?: string }> =
          {};
        for (const [key, path, init] of specs) {
          try {
            const res = await fetch(base + path, init);
            out[key] = {
              ok: true,
              status: res.status,
              total: res.headers.get('x-total'),
              body: await res.text(),
            };
          } catch {
            out[key] = { ok: false };
          }
        }
        return out;
      }, api);
      assert.deepEqual(results.simple, { ok: true, status: 200, total: '3', body: 'ok' });
      assert.equal(results.preflighted?.ok, true);
      assert.equal(results.error?.status, 500, 'the page reads the 500 itself');
      assert.equal(results.refusedHeader?.ok, false);
      assert.equal(results.refusedMethod?.ok, false);
      const blocked = (path: string) =>
        consoleErrors.find((m) => m.includes(`'${api}${path}'`) && m.includes('blocked by CORS policy'));
      assert.match(
        blocked('/ok?h') ?? '',
        /Request header field x-other is not allowed by Access-Control-Allow-Headers in preflight response\./,
      );
      assert.match(
        blocked('/ok?m') ?? '',
        /Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response\./,
      );
    });
  }
});
