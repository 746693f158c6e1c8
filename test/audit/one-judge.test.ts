// One judge of CORS answers: audit asks the browser model what a browser does with each answer,
// as `corsica check` does, so the two name the same failure the same way. For every gallery
// server whose answers browsers refuse, the finding's browserCode is the code check reports for a
// page on the proof's origin.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/index.js';
import { probe } from '../../src/check/index.js';
import { FLAWED, SITE } from './gallery.js';
import { auditOptionsOf } from './gallery-servers.js';

/** Broken classes that no browser error names: what the answers lack, not a value refused. */
const BY_WHAT_IT_LACKS: readonly string[] = [
  'preflight-only-cors',
  'actual-only-cors',
  'vary-origin-missing-cached',
  'policy-drift-vary-stripped',
];

describe('audit and check name a refused answer alike', () => {
  for (const server of FLAWED.filter((s) => s.severity === 'broken')) {
    it(`${server.expected}: ${server.name}`, async () => {
      const running = await server.start();
      try {
        const report = await audit(running.url, auditOptionsOf(server));
        const found = report.findings.find((f) => f.class === server.expected);
        assert.ok(found, report.findings.map((f) => f.class).join(', '));
        if (found.browserCode === null) {
          // Broken by what it lacks (a missing preflight answer, a Vary a cache needs), not by a
          // value browsers refuse.
          assert.ok(BY_WHAT_IT_LACKS.includes(found.class), found.class);
          return;
        }
        // A misspelt allow-list is refused to the site's own page, which is what check is asked.
        const origin = found.proof.kind === 'misspelled' ? (server.site ?? SITE) : found.origin!;
        // A refused preflight: check is asked for the request that preflight was for.
        const asked = (name: string) =>
          found.proof.request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
        const method =
          found.proof.request.method === 'OPTIONS' ? asked('access-control-request-method') : undefined;
        const preflighted = (asked('access-control-request-headers') ?? '')
          .split(',')
          .filter((n) => n !== '')
          .map((n) => `${n}: ${n === 'content-type' ? 'application/json' : '1'}`);
        const { report: checked } = await probe(found.proof.request.url, {
          origin,
          credentials: found.class === 'wildcard-with-credentials',
          header: method === undefined ? (server.headers ?? []).slice() : preflighted,
          ...(method === undefined ? {} : { method }),
        });
        assert.equal(checked.verdict, 'blocked');
        assert.equal(checked.error?.code, found.browserCode);
      } finally {
        await running.close();
      }
    });
  }
});
