// audit's fixes are pasted as printed, so they may name only what the user gave: the site's own
// origin (--origin, or the URL's) and its registrable domain. A red-team newcomer pasted the old
// allow-list, which added 'https://admin.example.com' for any site: a stranger trusted with
// credentials. Every class's fix is filled in for a site that is not example.com, and read back;
// and a real audit of a real server for that site prints nothing else either.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cors from 'cors';
import express from 'express';
import { FINDING_CLASSES, type FindingClass, type FindingFix, fixFor } from '../../src/audit/codes.js';
import { audit } from '../../src/audit/index.js';
import { siteOf } from '../../src/audit/probes.js';
import { close, listen } from '../helpers/http.js';

const SITE = siteOf('https://shop.mysite.test');

/** Every host a fix names is the site's, every RegExp it prints takes the site and refuses look-alikes. */
function assertNamesOnlyTheSite(fix: FindingFix): void {
  for (const [tool, text] of Object.entries(fix)) {
    assert.doesNotMatch(text, /\{(site|scheme|domain)/, `${tool}: a placeholder left`);
    assert.doesNotMatch(text, /example\.com|you\.github\.io|admin\./, `${tool}: ${text}`);
    for (const [, host] of text.matchAll(/https?:\/\/([a-z0-9*.-]*[a-z0-9*])/g))
      assert.ok(host === 'shop.mysite.test' || host === '*.mysite.test', `${tool} names ${host}: ${text}`);
    for (const [, source] of text.matchAll(/\/(\^.*?\$)\//g)) {
      const re = new RegExp(source!);
      assert.ok(re.test(SITE.origin) || re.test('https://www.mysite.test'), `${tool}: ${source}`);
      assert.ok(
        !re.test('https://attackermysite.test') && !re.test('https://shop.mysite.test.attacker.net'),
        source,
      );
    }
  }
}

describe("audit's fixes name only the site the user gave", () => {
  for (const c of Object.keys(FINDING_CLASSES) as FindingClass[]) {
    it(c, () => assertNamesOnlyTheSite(fixFor(c, SITE)));
  }

  it('a real audit for https://shop.mysite.test prints fixes that name no other site', async () => {
    const app = express();
    app.use(cors({ origin: /mysite\.test$/, credentials: true }));
    app.get('/api/items', (_req, res) => res.json({ items: [] }));
    const { server, url } = await listen(app as never);
    try {
      const report = await audit(`${url}/api/items`, { origin: SITE.origin });
      assert.ok(report.findings.length >= 2, report.findings.map((f) => f.class).join(', '));
      for (const f of report.findings) assertNamesOnlyTheSite(f.fix);
    } finally {
      await close(server);
    }
  });
});
