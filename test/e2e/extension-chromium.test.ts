// The browser extension in real Chromium: a page on one origin fetches an API on another, across
// seeded raw-header scenarios (preflights, redirects, other schemes) and the playground's gallery,
// and for each request the extension's requests.html must give Chromium's real outcome: the
// verdict, and for a block the CorsError its console line names (for a network error, the net::
// code). Then the DevTools panel, loaded as a page for the playground's tab, explains a failure.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ConsoleMessage, Page } from 'playwright-core';
import { parseCorsMessage } from '../../src/browser/index.js';
import { GALLERY } from '../../src/playground/gallery.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { chromiumSkipReason } from '../helpers/chromium.js';
import {
  buildExtension,
  type ChromiumWithExtension,
  type ListedRequest,
  launchChromiumWithExtension,
  waitForListed,
} from '../helpers/extension.js';
import { close, listen } from '../helpers/http.js';
import { fetchRequest, makeScenarios, type Scenario, scenarioHandler } from '../helpers/scenarios.js';

const skip = chromiumSkipReason();
const SEED = Number(process.env.CORSICA_DIFF_SEED ?? 20261127);
const COUNT = Number(process.env.CORSICA_EXTENSION_COUNT ?? 300);

interface Outcome {
  readonly verdict: string;
  readonly code: string;
}

/** The method as Chromium sends it (and reports it to extensions): the six it normalizes upper-cased. */
const sent = (method: string) =>
  ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(method.toUpperCase())
    ? method.toUpperCase()
    : method;

/**
 * Chromium's real outcome for a request to `url`, from the page's fetch() and its console: a CORS
 * line names the failure; a failed fetch without one is a network error, whose net:: code the
 * "Failed to load resource" line of that URL gives.
 */
function realOutcome(ok: boolean, url: string, lines: readonly ConsoleMessage[]): Outcome {
  if (ok) return { verdict: 'allowed', code: '' };
  const cors = lines.find(
    (m) => m.text().includes(`'${url}'`) && m.text().includes('blocked by CORS policy'),
  );
  if (cors !== undefined) return { verdict: 'blocked', code: parseCorsMessage(cors.text())?.code ?? '?' };
  const load = lines.find((m) => m.location().url.startsWith(url) && /net::ERR_\w+/.test(m.text()));
  return { verdict: 'network-error', code: /net::ERR_\w+/.exec(load?.text() ?? '')?.[0] ?? '?' };
}

describe('the extension in Chromium agrees with Chromium', { skip }, () => {
  let built: Awaited<ReturnType<typeof buildExtension>>;
  let browser: ChromiumWithExtension;
  let apiServer: Server;
  let pageServer: Server;
  let playground: Playground;
  let page: Page;
  let requests: Page;
  let api: string;
  let origin: string;
  const lines: ConsoleMessage[] = [];

  before(async () => {
    built = await buildExtension();
    browser = await launchChromiumWithExtension(built.chromium);
    playground = await startPlayground();
    ({ server: pageServer, url: origin } = await listen((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end('<!doctype html><title>corsica extension test page</title>');
    }));
    page = await browser.context.newPage();
    page.on('console', (m) => lines.push(m));
    await page.goto(`${origin}/`);
    requests = await browser.context.newPage();
    await requests.goto(`${browser.base}requests.html`);
  });

  after(async () => {
    await browser?.close();
    await playground?.close();
    if (apiServer) await close(apiServer);
    if (pageServer) await close(pageServer);
    if (built) rmSync(built.dir, { recursive: true, force: true });
  });

  it(`seeded scenarios: requests.html gives Chromium's verdict and failure code for each (seed ${SEED}, ${COUNT})`, async () => {
    const byId = new Map<string, Scenario>();
    ({ server: apiServer } = await listen(scenarioHandler(byId, new Map())));
    api = `http://localhost:${(apiServer.address() as { port: number }).port}`;
    const allowed = { status: 200, headers: [['Access-Control-Allow-Origin', origin]] as [string, string][] };
    // Network errors, whatever the seed: a redirect to data: (net::ERR_UNSAFE_REDIRECT) and a port
    // nothing listens on (net::ERR_CONNECTION_REFUSED).
    const pinned: Scenario = {
      id: 'pin-data',
      method: 'GET',
      headers: [],
      credentials: false,
      body: null,
      preflight: allowed,
      actual: allowed,
      redirect: { status: 302, crossOrigin: false, userinfo: false, to: 'data', next: allowed },
    };
    const scenarios = [
      ...makeScenarios(SEED, COUNT, origin, 'https://other.example', { otherSchemes: true }),
      pinned,
    ];
    for (const s of scenarios) byId.set(s.id, s);
    const { server: closed, url: closedUrl } = await listen(() => {});
    await close(closed);
    const refused = closedUrl.replace('127.0.0.1', 'localhost');
    const batch = [
      ...scenarios.map((s) => fetchRequest(s, `${api}/e/${s.id}`)),
      { id: 'refused', url: `${refused}/e/refused`, init: {} },
    ];
    const results = await page.evaluate(async (list) => {
      const out: Record<string, boolean> = {};
      for (const { id, url, init } of list) {
        try {
          await (await fetch(url, init as RequestInit)).arrayBuffer();
          out[id] = true;
        } catch {
          out[id] = false;
        }
      }
      return out;
    }, batch);
    const listed = await waitForListed(requests, (r) => r.url.startsWith(`${api}/e/`), scenarios.length);
    const [gone] = await waitForListed(requests, (r) => r.url === `${refused}/e/refused`, 1);
    assert.deepEqual(
      { verdict: gone?.verdict, code: gone?.code },
      realOutcome(results.refused!, `${refused}/e/refused`, lines),
    );
    const byUrl = new Map(listed.map((r) => [r.url, r]));
    const tally: Record<string, number> = {};
    const wrong: string[] = [];
    for (const s of scenarios) {
      const url = `${api}/e/${s.id}`;
      const real = realOutcome(results[s.id]!, url, lines);
      const got: ListedRequest | undefined = byUrl.get(url);
      tally[real.verdict] = (tally[real.verdict] ?? 0) + 1;
      // Where the wire cannot show credentials (a refused preflight), the extension gives both readings.
      if (got !== undefined && got.altCode !== '' && got.altCode === real.code)
        tally.credentialsUnseen = (tally.credentialsUnseen ?? 0) + 1;
      if (
        got?.verdict !== real.verdict ||
        (got.code !== real.code && got.altCode !== real.code) ||
        got.method !== sent(s.method) ||
        got.initiator !== origin
      )
        wrong.push(
          `${s.id}: Chromium ${JSON.stringify(real)}, extension ${JSON.stringify(got)}\n  ${JSON.stringify(s)}`,
        );
    }
    assert.equal(listed.length, scenarios.length, 'one item per request, and only cross-origin ones');
    assert.ok(
      (tally.allowed ?? 0) > COUNT / 10 &&
        (tally.blocked ?? 0) > COUNT / 10 &&
        (tally['network-error'] ?? 0) > 0,
      JSON.stringify(tally),
    );
    assert.deepEqual(wrong.slice(0, 6), [], `${wrong.length} of ${scenarios.length} disagree`);
    console.log(`extension in Chromium: ${scenarios.length + 1} requests, ${JSON.stringify(tally)}`);
  });

  it("the playground's gallery: each request's verdict and code equal Chromium's", async () => {
    const play = await browser.context.newPage();
    const playLines: ConsoleMessage[] = [];
    play.on('console', (m) => playLines.push(m));
    await play.goto(playground.pageUrl);
    await play.waitForSelector('body[data-ready="yes"]');
    const wrong: string[] = [];
    for (const [index, scenario] of GALLERY.entries()) {
      await play.evaluate(() => {
        document.querySelector('#output')!.innerHTML = '';
      });
      await play.getByRole('button', { name: scenario.title, exact: true }).click();
      await play.waitForSelector('#realVerdict');
      const real = (await play.textContent('#realVerdict')) ?? '';
      const listed = await waitForListed(requests, (r) => r.url.startsWith(playground.apiUrl), index + 1);
      const got = listed.at(-1);
      const expected = realOutcome(real === 'allowed', got?.url ?? '?', playLines);
      if (got?.verdict !== expected.verdict || got.code !== expected.code)
        wrong.push(
          `${scenario.title}: Chromium ${JSON.stringify(expected)}, extension ${JSON.stringify(got)}`,
        );
    }
    assert.deepEqual(wrong, []);
    // The badge counts the tab's blocked requests.
    const tab = Number(
      (await waitForListed(requests, (r) => r.url.startsWith(playground.apiUrl), 1))[0]!.tab,
    );
    const blocked = (await waitForListed(requests, (r) => r.url.startsWith(playground.apiUrl), 1)).filter(
      (r) => r.verdict === 'blocked',
    ).length;
    const badge = await browser.worker.evaluate(
      (tabId) =>
        (
          globalThis as unknown as {
            chrome: { action: { getBadgeText(d: { tabId: number }): Promise<string> } };
          }
        ).chrome.action.getBadgeText({ tabId }),
      tab,
    );
    assert.equal(badge, String(blocked));
  });

  it('the CORS panel, for the playground tab, explains a refused header with cause, fix (corsica, cors, Fastify, Hono, nginx), other browsers and the check command', async () => {
    const listed = await waitForListed(requests, (r) => r.url.startsWith(playground.apiUrl), 1);
    const refused = listed.find((r) => r.code === 'HeaderDisallowedByPreflightResponse')!;
    const panel = await browser.context.newPage();
    await panel.setViewportSize({ width: 1200, height: 760 });
    await panel.goto(`${browser.base}panel.html?tab=${refused.tab}`);
    await panel.waitForSelector('#list li.req');
    await panel.click(`#list li[data-id="${refused.id}"]`);
    await panel.waitForSelector(`article.detail[data-id="${refused.id}"]`);
    assert.match(
      (await panel.textContent('#message')) ?? '',
      /Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response\./,
    );
    assert.match((await panel.textContent('#cause')) ?? '', /x-api-key/);
    assert.match(
      (await panel.textContent('table.fix')) ?? '',
      /allowedHeaders: \['Content-Type', 'x-api-key'\]/,
    );
    assert.match(
      (await panel.textContent('table.fix')) ?? '',
      /app\.use\('\*', cors\(\{ origin: \[.*\], allowMethods: \[.*\], allowHeaders: \['Content-Type', 'x-api-key'\] \}\)\) {2}\/\/ import \{ cors \} from 'hono\/cors'/,
    );
    assert.equal(await panel.getAttribute('#engines li[data-engine="firefox"]', 'data-verdict'), 'blocked');
    // Chromium stopped at the preflight, so the header's value never went out: a placeholder, said plainly.
    assert.equal(
      await panel.textContent('#command'),
      `corsica check '${refused.url}' --origin '${new URL(playground.pageUrl).origin}' --header 'x-api-key: <value>'`,
    );
    assert.match(
      (await panel.textContent('.caveats')) ?? '',
      /never sent the request, so its header values are unknown/,
    );
    mkdirSync('test-output', { recursive: true });
    await panel.screenshot({ path: 'test-output/extension-panel.png' });
    if (process.env.CORSICA_UPDATE_SCREENSHOT === '1')
      copyFileSync('test-output/extension-panel.png', 'docs/extension-panel.png');
    await panel.close();
  });
});
