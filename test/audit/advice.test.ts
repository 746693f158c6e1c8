// audit's fixes are pasted as printed, so they may name only what the user gave: the site's own
// origin (--origin, or the URL's) and its registrable domain. A red-team newcomer pasted the old
// allow-list, which added 'https://admin.example.com' for any site: a stranger trusted with
// credentials. Every class's fix is filled in for a site that is not example.com, and read back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classInfo, FINDING_CLASSES, type FindingClass, fixForSite } from '../../src/audit/codes.js';
import { siteOf } from '../../src/audit/probes.js';

const SITE = siteOf('https://shop.mysite.test');

describe("audit's fixes name only the site the user gave", () => {
  for (const c of Object.keys(FINDING_CLASSES) as FindingClass[]) {
    it(c, () => {
      const fix = fixForSite(classInfo(c).fix, SITE);
      for (const [tool, text] of Object.entries(fix)) {
        assert.doesNotMatch(text, /\{(site|scheme|domain)/, `${tool}: a placeholder left`);
        assert.doesNotMatch(text, /example\.com|you\.github\.io|admin\./, `${tool}: ${text}`);
        for (const [, host] of text.matchAll(/https?:\/\/([a-z0-9*.-]*[a-z0-9*])/g))
          assert.ok(
            host === 'shop.mysite.test' || host === '*.mysite.test',
            `${tool} names ${host}: ${text}`,
          );
        // Every RegExp literal it prints compiles, takes the site and refuses a look-alike.
        for (const [, source] of text.matchAll(/\/(\^.*?\$)\//g)) {
          const re = new RegExp(source!);
          assert.ok(re.test(SITE.origin) || re.test('https://www.mysite.test'), `${tool}: ${source}`);
          assert.ok(
            !re.test('https://attackermysite.test') && !re.test('https://shop.mysite.test.attacker.net'),
            source,
          );
        }
      }
    });
  }
});
