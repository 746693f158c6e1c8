// The browser extension in real Firefox ESR (puppeteer-core over WebDriver BiDi, installed as a
// temporary add-on): a page on one origin fetches an API on another, across seeded raw-header
// scenarios (preflights, redirects, other schemes) and the playground's gallery, and for each
// request the extension's requests.html must give Firefox's real outcome: the verdict, and the key
// of the first line Firefox's console printed for it (its security.properties key).

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GALLERY } from '../../src/playground/gallery.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { buildExtension, type ListedRequest, waitForListed } from '../helpers/extension.js';
import {
  type FirefoxLine,
  type FirefoxPage,
  firefoxSkipReason,
  openFirefoxPage,
} from '../helpers/firefox.js';
import { close, listen } from '../helpers/http.js';
import { fetchRequest, makeScenarios, type Scenario, scenarioHandler } from '../helpers/scenarios.js';

const skip = firefoxSkipReason();
const SEED = Number(process.env.CORSICA_DIFF_SEED ?? 20261127);
const COUNT = Number(process.env.CORSICA_EXTENSION_COUNT ?? 300);
/** A host the extension may not watch until the user allows it. */
const OTHER_SITE = 'api.corsica.test';

/** The scenario a line is about: its URL names /x/<id> (or /x/<id>/next); ids are dashed words. */
const scenarioOf = (text: string) => /\/x\/([a-z0-9]+(?:-[a-z0-9]+)+)/.exec(text)?.[1] ?? null;

/**
 * Firefox's real outcome: whether the fetch succeeded, and the key of the first error line its
 * console printed about the URL (null when it printed none). Firefox tells a page nothing more: a
 * CORS refusal and a network error are the same TypeError, so the key is what names the failure.
 */
function realOutcome(ok: boolean, lines: readonly FirefoxLine[]): { allowed: boolean; code: string | null } {
  const first = lines.find((l) => l.level === 'error');
  return { allowed: ok, code: ok ? '' : (first?.key ?? null) };
}

/** The extension's record agrees with Firefox's outcome (its code, or the other reading it keeps). */
function agrees(got: ListedRequest | undefined, real: { allowed: boolean; code: string | null }): boolean {
  if (got === undefined || (got.verdict === 'allowed') !== real.allowed) return false;
  return real.code === null || got.code === real.code || got.altCode === real.code;
}

describe('the extension in Firefox agrees with Firefox', { skip }, () => {
  let built: Awaited<ReturnType<typeof buildExtension>>;
  let firefox: FirefoxPage;
  let requests: { evaluate(expression: string): Promise<unknown> };
  let apiServer: Server;
  let playground: Playground;
  const lines: FirefoxLine[] = [];

  /** Reads Firefox's console service until nothing more arrives. */
  async function settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const more = await firefox.drain();
      lines.push(...more);
      quiet = more.length === 0 ? quiet + 1 : 0;
    }
  }

  before(async () => {
    built = await buildExtension();
    const manifest = JSON.parse(readFileSync(join(built.firefox, 'manifest.json'), 'utf8'));
    firefox = await openFirefoxPage({
      extension: { path: built.firefox, id: manifest.browser_specific_settings.gecko.id },
      prefs: {
        // A site beyond loopback for the per-site opt-in: a name that resolves to 127.0.0.1 ...
        'network.dns.localDomains': OTHER_SITE,
        // ... and the permission prompt answered yes, as a user would (Firefox's testing preference).
        'extensions.webextOptionalPermissionPrompts': false,
      },
    });
    requests = await firefox.extensionPage('requests.html');
    playground = await startPlayground();
  });

  after(async () => {
    await firefox?.close();
    await playground?.close();
    if (apiServer) await close(apiServer);
    if (built) rmSync(built.dir, { recursive: true, force: true });
  });

  it(`seeded scenarios: requests.html gives Firefox's verdict and reason key for each (seed ${SEED}, ${COUNT})`, async () => {
    const byId = new Map<string, Scenario>();
    ({ server: apiServer } = await listen(scenarioHandler(byId, new Map())));
    const api = `http://localhost:${(apiServer.address() as { port: number }).port}`;
    const scenarios = makeScenarios(SEED, COUNT, firefox.origin, 'https://other.example', {
      otherSchemes: true,
    });
    for (const s of scenarios) byId.set(s.id, s);
    const batch = scenarios.map((s) => fetchRequest(s, `${api}/x/${s.id}`));
    const results = (await firefox.page.evaluate(async (list) => {
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
    }, batch)) as Record<string, boolean>;
    await settle();
    const listed = await waitForListed(requests, (r) => r.url.startsWith(`${api}/x/`), COUNT);
    const byUrl = new Map(listed.map((r) => [r.url, r]));
    const tally: Record<string, number> = {};
    const wrong: string[] = [];
    for (const s of scenarios) {
      const url = `${api}/x/${s.id}`;
      const mine = lines.filter((l) => scenarioOf(l.text) === s.id);
      const real = realOutcome(results[s.id]!, mine);
      const got: ListedRequest | undefined = byUrl.get(url);
      const kind = got?.verdict ?? 'missing';
      tally[kind] = (tally[kind] ?? 0) + 1;
      if (got?.altCode) tally.twoReadings = (tally.twoReadings ?? 0) + 1;
      if (!agrees(got, real) || got?.initiator !== firefox.origin)
        wrong.push(
          `${s.id}: Firefox ${JSON.stringify(real)} ${JSON.stringify(mine.map((l) => l.key))}, extension ${JSON.stringify(got)}\n  ${JSON.stringify(s)}`,
        );
    }
    console.log(
      `extension in Firefox ${firefox.version}: ${scenarios.length} requests, ${JSON.stringify(tally)}`,
    );
    assert.equal(listed.length, COUNT, 'one item per request, and only cross-origin ones');
    assert.ok((tally.allowed ?? 0) > COUNT / 10 && (tally.blocked ?? 0) > COUNT / 10, JSON.stringify(tally));
    assert.deepEqual(wrong.slice(0, 6), [], `${wrong.length} of ${COUNT} disagree`);
  });

  it("the playground's gallery: each request's verdict and key equal Firefox's", async () => {
    const page = firefox.page;
    await page.goto(playground.pageUrl);
    await page.waitForSelector('body[data-ready="yes"]');
    const wrong: string[] = [];
    for (const [index, scenario] of GALLERY.entries()) {
      await page.evaluate(() => {
        document.querySelector('#output')!.innerHTML = '';
      });
      await page.evaluate((title: string) => {
        const button = Array.from(document.querySelectorAll('#gallery button')).find(
          (b) => b.textContent === title,
        );
        (button as HTMLButtonElement).click();
      }, scenario.title);
      await page.waitForSelector('#realVerdict', { timeout: 15_000 });
      const real = await page.evaluate(() => document.querySelector('#realVerdict')?.textContent);
      await settle();
      const listed = await waitForListed(requests, (r) => r.url.startsWith(playground.apiUrl), index + 1);
      const got = listed.at(-1);
      const expected = realOutcome(
        real === 'allowed',
        lines.filter((l) => got !== undefined && l.text.includes(got.url)),
      );
      if (!agrees(got, expected))
        wrong.push(
          `${scenario.title}: Firefox ${JSON.stringify(expected)}, extension ${JSON.stringify(got)}`,
        );
    }
    assert.deepEqual(wrong, []);
  });

  it('a site beyond loopback is watched only once the user allows it in the popup', async () => {
    const port = (apiServer.address() as { port: number }).port;
    const other = (name: string) => `http://${OTHER_SITE}:${port}/x/${name}`;
    const fetchFromPage = (url: string) =>
      firefox.page.evaluate(
        (u: string) =>
          fetch(u).then(
            () => 'answered',
            () => 'refused',
          ),
        url,
      );
    await firefox.page.goto(`${firefox.origin}/`);
    await fetchFromPage(other('before-opt-in'));
    const popup = await firefox.extensionPage('popup.html');
    const granted = () => popup.evaluate('browser.permissions.contains({ origins: ["*://*/*"] })');
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
    };
    // The popup is ready once it has counted the tab's requests.
    await until(async () =>
      /cross-origin request/.test(
        String(await popup.evaluate("document.getElementById('summary').textContent")),
      ),
    );
    assert.equal(await granted(), false);
    await popup.click('#watchAll');
    await until(async () => (await granted()) === true);
    assert.equal(await granted(), true);
    await fetchFromPage(other('after-opt-in'));
    const seen = await waitForListed(requests, (r) => r.url.includes(OTHER_SITE), 1);
    assert.deepEqual(
      seen.map((r) => r.url),
      [other('after-opt-in')],
    );
  });
});
