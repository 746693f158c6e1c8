// The playground attacked from another site in real Chromium, as a red-team run did: a page on
// attacker.test (a name this Chromium resolves to 127.0.0.1, as DNS would for a rebinding attack)
// tries to drive the developer's playground into a device on the local network, here a recording
// server standing for http://192.168.1.1. Before the fix, one text/plain POST made the playground
// send the device a chosen POST, one POST to /api/audit sent it ~95 requests, and the rebound name
// read the playground's API. The raw-request version of these attacks is
// test/playground/security.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { chromiumSkipReason, launchChromium } from '../helpers/chromium.js';
import { close, listen } from '../helpers/http.js';

const skip = chromiumSkipReason();

describe('the playground attacked from a page on another site, in Chromium', { skip }, () => {
  let browser: Browser;
  let playground: Playground;
  /** What the "LAN device" received: method, path and body. */
  const device: string[] = [];
  let deviceUrl: string;
  let stopDevice: () => Promise<void>;
  let stopAttacker: () => Promise<void>;
  let attacker: Page;
  let attackerOrigin: string;
  let pagePort: string;

  before(async () => {
    playground = await startPlayground();
    pagePort = new URL(playground.pageUrl).port;
    const lan = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        device.push(`${req.method} ${req.url} ${body}`);
        res.end('rebooting');
      });
    });
    deviceUrl = lan.url;
    stopDevice = () => close(lan.server);
    const site = await listen((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<!doctype html><title>a page anyone can write</title><iframe id="frame" src="${playground.pageUrl}"></iframe>`,
      );
    });
    stopAttacker = () => close(site.server);
    attackerOrigin = `http://attacker.test:${new URL(site.url).port}`;
    browser = await launchChromium([
      '--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebind.test 127.0.0.1',
    ]);
    attacker = await browser.newPage();
    await attacker.goto(`${attackerOrigin}/`);
  });
  after(async () => {
    await browser?.close();
    await playground?.close();
    await stopDevice?.();
    await stopAttacker?.();
  });

  /** A run that makes the playground itself send `method` to the device, with a body. */
  const intoTheLan = (method: string) => ({
    server: { mode: 'raw', preflight: { status: 204, headers: [] }, actual: { status: 200, headers: [] } },
    request: {
      method,
      headers: [],
      body: 'confirm=1',
      credentials: false,
      target: `${deviceUrl}/admin/reboot?confirm=1`,
    },
    origin: attackerOrigin,
  });

  it('a cross-site text/plain POST to /api/explain or /api/audit sends nothing into the LAN', async () => {
    // (No named function inside: tsx would wrap it in a helper the page does not have.)
    const statuses = await attacker.evaluate(
      async (calls) =>
        Promise.all(
          calls.map(([url, body]) =>
            fetch(url, { method: 'POST', mode: 'no-cors', body: JSON.stringify(body) }).then(
              () => 'sent',
              (e: Error) => e.message,
            ),
          ),
        ),
      [
        [new URL('/api/explain', playground.pageUrl).href, intoTheLan('POST')],
        [new URL('/api/audit', playground.pageUrl).href, intoTheLan('GET')],
      ] as [string, unknown][],
    );
    assert.deepEqual(statuses, ['sent', 'sent'], 'the browser sent both (no preflight for text/plain)');
    // An opaque answer arrives after the playground is done with the request (explain and audit
    // answer after their own requests): it answered 403, and the device heard nothing.
    assert.equal(device.length, 0, device.join(', '));
  });

  it('the token header cannot be sent from another site: its preflight gets no grant', async () => {
    const result = await attacker.evaluate(async (page) => {
      try {
        await fetch(new URL('/api/run', page), {
          method: 'POST',
          headers: { 'X-Corsica-Playground-Token': 'guessed' },
          body: '{}',
        });
        return 'read';
      } catch (e) {
        return (e as Error).message;
      }
    }, playground.pageUrl);
    assert.equal(result, 'Failed to fetch');
  });

  it('a rebound name (rebind.test → 127.0.0.1) gets 403 for the page and its API', async () => {
    const tab = await browser.newPage();
    try {
      const res = await tab.goto(`http://rebind.test:${pagePort}/`);
      assert.equal(res?.status(), 403);
      assert.match((await tab.textContent('body')) ?? '', /is not this playground's/);
      const seen = await tab.evaluate(async () => (await fetch('/api/seen?id=r1')).status);
      assert.equal(seen, 403);
    } finally {
      await tab.close();
    }
  });

  it('the playground cannot be framed by the page (its Send button cannot be clickjacked)', async () => {
    const frame = attacker.frames().find((f) => f !== attacker.mainFrame());
    assert.ok(frame !== undefined);
    const ready = await frame.evaluate(() => document.body?.dataset.ready ?? null).catch(() => null);
    assert.equal(ready, null, 'the framed playground never ran');
  });

  it('a shared link that probes another URL shows the request and sends nothing until Send', async () => {
    const state = {
      mode: 'policy',
      options: '{}',
      method: 'POST',
      headers: '',
      body: 'confirm=1',
      credentials: false,
      target: `${deviceUrl}/admin/reboot?confirm=1`,
    };
    const link = `${playground.pageUrl}#${Buffer.from(JSON.stringify(state)).toString('base64')}`;
    const tab = await browser.newPage();
    try {
      await tab.goto(link);
      await tab.waitForSelector('#confirmTarget');
      await tab.waitForLoadState('networkidle');
      assert.match(
        (await tab.textContent('#confirmTarget')) ?? '',
        /asks to send POST to .*\/admin\/reboot\?confirm=1.*Nothing has been sent/,
      );
      assert.equal(device.length, 0, `nothing before the click: ${device.join(', ')}`);
      await tab.click('#send');
      await tab.waitForSelector('#realVerdict');
      assert.ok(
        device.some((line) => line.startsWith('POST /admin/reboot?confirm=1')),
        device.join('\n'),
      );
    } finally {
      await tab.close();
    }
  });
});
