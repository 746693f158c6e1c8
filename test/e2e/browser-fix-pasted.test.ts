// Real Chromium on a fix `corsica check` printed: a page sends a credentialed JSON POST with
// Authorization to an Express 5 API whose corsica/node configuration lists Content-Type only.
// Chromium blocks it; the corsica fix `check` prints, pasted as printed in place of the
// configuration, makes the same fetch readable, credentials included.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import corsica from '../../src/adapters/node/index.js';
import { chromiumSkipReason, type OpenPage, openPage } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { expressWith, printedFixes, routes } from '../helpers/pasted-fix.js';

const skip = chromiumSkipReason();

describe('Chromium: the corsica fix check prints, pasted as printed, makes the fetch readable', {
  skip,
}, () => {
  let page: OpenPage;
  const servers: Server[] = [];
  const serve = async (app: ReturnType<typeof express>) => {
    const { server, url } = await listen(app as never);
    servers.push(server);
    // The page is on 127.0.0.1: localhost is another origin.
    return url.replace('127.0.0.1', 'localhost');
  };
  const fetchFromPage = (url: string) =>
    page.page.evaluate(async (target) => {
      try {
        const res = await fetch(target, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
          body: '{}',
        });
        return { status: res.status, body: await res.text() };
      } catch (err) {
        return { error: String(err) };
      }
    }, url);

  before(async () => {
    page = await openPage();
  });
  after(async () => {
    await page?.close();
    for (const s of servers) await close(s);
  });

  it('a refused Authorization header: blocked, then readable with the pasted fix', async () => {
    const broken = express();
    broken.use(corsica({ origin: page.origin, credentials: true, allowedHeaders: ['Content-Type'] }));
    routes(broken);
    const brokenUrl = `${await serve(broken)}/api/items`;
    assert.deepEqual(await fetchFromPage(brokenUrl), { error: 'TypeError: Failed to fetch' });

    const run = await runCli([
      'check',
      brokenUrl,
      '--origin',
      page.origin,
      '--method',
      'POST',
      '--header',
      'Content-Type: application/json',
      '--header',
      'Authorization: Bearer t',
      '--credentials',
      '--data',
      '{}',
    ]);
    assert.equal(run.code, 1, run.stdout);
    const line = printedFixes(run.stdout).corsica;
    const fixed = `${await serve(expressWith(line, corsica, false))}/api/items`;
    assert.deepEqual(await fetchFromPage(fixed), { status: 200, body: '{"items":[]}' }, line);
  });
});
