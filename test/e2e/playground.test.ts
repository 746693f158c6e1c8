// The playground in real Chromium: load the page, run every gallery scenario with one click, and
// check the real verdict, the model's verdict and the explanation the page shows. Screenshots go
// to test-output/ for a person to look at.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { GALLERY } from '../../src/playground/gallery.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { chromiumSkipReason, launchChromium } from '../helpers/chromium.js';

const skip = chromiumSkipReason();

/** What each scenario must show: the verdict of the real browser and a phrase of the explanation. */
const EXPECTED: Record<string, { verdict: 'allowed' | 'blocked'; message?: RegExp; extra?: RegExp }> = {
  'Simple request': { verdict: 'allowed', extra: /not needed: a simple request/ },
  'JSON POST (preflight)': {
    verdict: 'allowed',
    extra: /needed, because header content-type is not text\/plain/,
  },
  'Header not allowed': {
    verdict: 'blocked',
    message:
      /Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response\./,
  },
  'Credentials with *': {
    verdict: 'blocked',
    message: /must not be the wildcard '\*' when the request's credentials mode is 'include'/,
  },
  'Two origins in the header': { verdict: 'blocked', message: /contains multiple values/ },
  'Wrong port': {
    verdict: 'blocked',
    message: /No 'Access-Control-Allow-Origin' header is present/,
    // corsica's own sentence on the server side says what is wrong.
    extra: /corsica on the server: .*differs only by its port/,
  },
  // Allowed, yet wrong: the page says so with the warning's code.
  'Missing Vary': { verdict: 'allowed', extra: /⚠ Warning \(VARY_ORIGIN_MISSING, pitfall 5\)/ },
  'Unexposed header': {
    verdict: 'allowed',
    extra: /the page can read: content-length, content-type(?!.*x-total-count)/,
  },
  'Preflight 401 (auth before CORS)': {
    verdict: 'blocked',
    message: /Response to preflight request doesn't pass access control check/,
    extra: /answered 401 by authentication that runs before CORS/,
  },
  'Preflight 404 (no OPTIONS route)': { verdict: 'blocked', extra: /answered 404: no route answers OPTIONS/ },
  '500 without CORS headers': {
    verdict: 'blocked',
    extra: /failed with 500, and the error answer has no CORS headers/,
  },
  'Redirect on a preflight': {
    verdict: 'blocked',
    message: /Redirect is not allowed for a preflight request/,
  },
  'Private Network Access': { verdict: 'allowed', extra: /⚠ Warning \(PRIVATE_NETWORK_ACCESS_LEGACY\)/ },
};

describe('the playground in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  let playground: Playground;

  before(async () => {
    playground = await startPlayground();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.goto(playground.pageUrl);
    await page.waitForSelector('body[data-ready="yes"]');
    mkdirSync('test-output', { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await playground?.close();
  });

  it('every gallery scenario is in the table of expectations', () => {
    assert.deepEqual(GALLERY.map((g) => g.title).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [index, scenario] of GALLERY.entries()) {
    it(scenario.title, async () => {
      const expected = EXPECTED[scenario.title]!;
      await page.getByRole('button', { name: scenario.title, exact: true }).click();
      await page.waitForSelector('#realVerdict');
      const real = await page.textContent('#realVerdict');
      const model = await page.textContent('#modelVerdict');
      assert.equal(real, expected.verdict, 'what the browser really did');
      assert.equal(model, expected.verdict, "the model's verdict");
      assert.equal(await page.locator('#disagree').count(), 0, 'no disagreement shown');
      const output = (await page.textContent('#output')) ?? '';
      if (expected.message)
        assert.match((await page.textContent('#chromiumMessage')) ?? '', expected.message);
      if (expected.verdict === 'blocked') assert.match((await page.textContent('#cause')) ?? '', /\S/);
      if (expected.extra) assert.match(output, expected.extra);
      await page.screenshot({ path: `test-output/playground-${index + 1}.png`, fullPage: true });
    });
  }

  it('Audit this API: a policy that reflects any origin with credentials is exploitable, with its proof', async () => {
    await page.selectOption('#mode', 'policy');
    await page.fill('#options', JSON.stringify({ origin: true, credentials: true }));
    await page.dispatchEvent('#options', 'input');
    await page.click('#audit');
    await page.waitForSelector('#auditSummary', { timeout: 20_000 });
    const finding = page.locator('li[data-class="reflected-any-origin-with-credentials"]');
    assert.equal(await finding.getAttribute('data-severity'), 'exploitable');
    assert.match((await finding.textContent()) ?? '', /proof: Origin: https?:\/\/\S+/);
    assert.match((await page.textContent('#auditSummary')) ?? '', /[1-9]\d* exploitable/);
  });

  it('Audit this API: the page origin alone, with Vary, gets no exploitable or broken finding', async () => {
    await page.fill(
      '#options',
      JSON.stringify({
        origin: ['PAGE_ORIGIN'.replace('PAGE_ORIGIN', new URL(playground.pageUrl).origin)],
        credentials: true,
      }),
    );
    await page.dispatchEvent('#options', 'input');
    await page.click('#audit');
    await page.waitForFunction(
      () => /0 exploitable, 0 broken/.test(document.querySelector('#auditSummary')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );
    assert.equal(
      await page.locator('li[data-severity="exploitable"], li[data-severity="broken"]').count(),
      0,
    );
  });

  it('the state is shareable: the URL brings the same scenario back', async () => {
    await page.getByRole('button', { name: 'Header not allowed', exact: true }).click();
    await page.waitForSelector('#realVerdict');
    const shared = page.url();
    const second = await browser.newPage();
    await second.goto(shared);
    await second.waitForSelector('body[data-ready="yes"]');
    assert.equal(await second.inputValue('#headers'), 'X-Api-Key: secret');
    // The link shows its result too, not only its inputs.
    await second.waitForSelector('#realVerdict');
    assert.equal(await second.textContent('#realVerdict'), 'blocked');
    assert.match(
      (await second.textContent('#chromiumMessage')) ?? '',
      /Request header field x-api-key is not allowed/,
    );
    await second.close();
  });

  it('the code panel shows the policy for corsica, cors, Fastify, Hono, nginx and the page', async () => {
    await page.getByRole('button', { name: 'JSON POST (preflight)', exact: true }).click();
    const code = (await page.textContent('#code')) ?? '';
    for (const marker of [
      "from 'corsica/node'",
      "from 'cors'",
      '@fastify/cors',
      "from 'hono/cors'",
      'add_header Access-Control-Allow-Origin',
      'await fetch(',
    ]) {
      assert.ok(code.includes(marker), marker);
    }
  });

  it('the form writes the options: exposing X-Total-Count makes it readable', async () => {
    await page.getByRole('button', { name: 'Unexposed header', exact: true }).click();
    await page.waitForSelector('#realVerdict');
    await page.fill('#f-exposedHeaders', 'X-Total-Count');
    assert.deepEqual(JSON.parse(await page.inputValue('#options')).exposedHeaders, ['X-Total-Count']);
    await page.click('#send');
    await page.waitForSelector('#realVerdict');
    assert.match((await page.textContent('#output')) ?? '', /the page can read: .*x-total-count/);
  });

  it('probing a URL that is down says so in words, and shows the Origin it sent', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as { port: number }).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    await page.getByRole('button', { name: 'Simple request', exact: true }).click();
    await page.waitForSelector('#realVerdict');
    await page.fill('#target', `http://localhost:${port}/items`);
    await page.click('#send');
    await page.waitForSelector('#noAnswer');
    const output = (await page.textContent('#output')) ?? '';
    assert.match(output, /no answer: .*connection refused .*\(a network error, not a CORS refusal\)/);
    assert.match(output, /Origin: http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(await page.textContent('#modelVerdict'), 'network-error');
    await page.fill('#target', '');
  });

  it('the page can be served on the origin of your app (http://localhost:<port>), the API on the other name', async () => {
    const mine = await startPlayground({ pageName: 'localhost' });
    const tab = await browser.newPage();
    try {
      assert.match(mine.pageUrl, /^http:\/\/localhost:\d+\/$/);
      assert.match(mine.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      await tab.goto(mine.pageUrl);
      await tab.waitForSelector('body[data-ready="yes"]');
      await tab.getByRole('button', { name: 'Simple request', exact: true }).click();
      await tab.waitForSelector('#realVerdict');
      assert.equal(await tab.textContent('#realVerdict'), 'allowed');
      const origin = new URL(mine.pageUrl).origin;
      assert.ok(
        ((await tab.textContent('#output')) ?? '').includes(`origin: ${origin}`),
        'the server saw the chosen origin',
      );
    } finally {
      await tab.close();
      await mine.close();
    }
  });

  it("an invalid configuration is refused with corsica's reasons", async () => {
    await page.fill('#options', '{"origin": "*", "credentials": true}');
    await page.click('#send');
    await page.waitForSelector('.warn');
    assert.match((await page.textContent('#output')) ?? '', /corsica refuses this configuration/);
  });

  it('works at phone width and with the keyboard', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await phone.goto(playground.pageUrl);
    await phone.waitForSelector('body[data-ready="yes"]');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'no horizontal scrolling');
    await phone.focus('#method');
    await phone.keyboard.press('Tab');
    await phone.keyboard.press('Tab');
    const focused = await phone.evaluate(() => document.activeElement?.id);
    assert.ok(focused !== undefined && focused !== '', 'focus moves through the controls');
    await phone.screenshot({ path: 'test-output/playground-phone.png', fullPage: true });
    await phone.close();
  });
});
