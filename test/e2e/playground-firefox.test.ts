// The playground in real Firefox: the page says which engine it runs in, and compares
// Firefox's real verdict with corsica's model of Firefox, not of Chromium, for every scenario of
// its gallery.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GALLERY } from '../../src/playground/gallery.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { type FirefoxPage, firefoxSkipReason, openFirefoxPage } from '../helpers/firefox.js';

const skip = firefoxSkipReason();

describe('the playground in Firefox', { skip }, () => {
  let firefox: FirefoxPage;
  let playground: Playground;

  before(async () => {
    playground = await startPlayground();
    firefox = await openFirefoxPage();
    await firefox.page.goto(playground.pageUrl);
    await firefox.page.waitForSelector('body[data-ready="yes"]');
  });
  after(async () => {
    await firefox?.close();
    await playground?.close();
  });

  it('every gallery scenario: the page names Firefox, and its model agrees with the real Firefox', async () => {
    const page = firefox.page;
    const disagreements: string[] = [];
    for (const scenario of GALLERY) {
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
      const shown = await page.evaluate(() => ({
        engine: document.querySelector('#engine')?.textContent,
        real: document.querySelector('#realVerdict')?.textContent,
        model: document.querySelector('#modelVerdict')?.textContent,
        label: document.querySelector('#modelVerdict')?.parentElement?.textContent ?? '',
        disagree: document.querySelector('#disagree') !== null,
        lines: document.querySelector('#engineMessage')?.textContent ?? null,
      }));
      assert.equal(shown.engine, 'Firefox', scenario.title);
      assert.match(shown.label, /corsica's model of Firefox/, scenario.title);
      if (shown.real !== shown.model || shown.disagree)
        disagreements.push(`${scenario.title}: Firefox ${shown.real}, model ${shown.model}`);
      // A blocked request shows Firefox's own console line, as Firefox prints it.
      if (shown.model === 'blocked')
        assert.match(shown.lines ?? '', /Cross-Origin Request Blocked|CORS/, scenario.title);
    }
    assert.deepEqual(disagreements, []);
  });
});
