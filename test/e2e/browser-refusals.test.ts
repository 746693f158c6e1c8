// Real Chromium on the app-wide strict preflight policy of test/helpers/refusing-app.ts: a strict
// `app.options('*', cors(strict))` in front of a public router with its own `cors()`. With `cors`,
// the strict origin function's refusal falls through to the router, which allows the preflight; the
// one-line swap to corsica/node must keep the public API readable, on Express 4 and 5.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import corsPackage from 'cors';
import corsica from '../../src/adapters/node/index.js';
import { chromiumSkipReason, type OpenPage, openPage } from '../helpers/chromium.js';
import { close, listen } from '../helpers/http.js';
import { buildRefusingApp, type CorsFactory, EXPRESS, type ExpressName } from '../helpers/refusing-app.js';

const skip = chromiumSkipReason();
const LIBRARIES = { cors: corsPackage, 'corsica/node': corsica } as unknown as Record<string, CorsFactory>;

describe('Chromium: a strict app-wide preflight policy in front of a public router', { skip }, () => {
  let page: OpenPage;
  const servers: Server[] = [];
  const apis = new Map<string, string>();

  before(async () => {
    page = await openPage();
    for (const name of Object.keys(EXPRESS) as ExpressName[])
      for (const [library, factory] of Object.entries(LIBRARIES)) {
        const { server, url } = await listen(buildRefusingApp(name, factory) as never);
        servers.push(server);
        // The page is on 127.0.0.1: localhost is another origin.
        apis.set(`${library} on ${name}`, url.replace('127.0.0.1', 'localhost'));
      }
  });
  after(async () => {
    await page?.close();
    for (const s of servers) await close(s);
  });

  for (const name of Object.keys(EXPRESS) as ExpressName[])
    for (const library of Object.keys(LIBRARIES))
      it(`a preflighted PUT to the public router is readable with ${library} (${name})`, async () => {
        const api = apis.get(`${library} on ${name}`)!;
        const outcome = await page.page.evaluate(async (url) => {
          try {
            const res = await fetch(url, {
              method: 'PUT',
              headers: { 'Content-Type': 'application/json' },
              body: '{}',
            });
            return { status: res.status, body: await res.text() };
          } catch (err) {
            return { error: String(err) };
          }
        }, `${api}/public/items`);
        assert.deepEqual(outcome, { status: 200, body: '{"updated":true}' }, page.consoleErrors.join('\n'));
      });
});
