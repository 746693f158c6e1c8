// One judge of CORS answers: audit asks the browser model what a browser does with each answer,
// as `corsica check` does, so the two name the same failure the same way. For every gallery
// server whose answers browsers refuse, the finding's browserCode is the code check reports for a
// page on the proof's origin.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/index.js';
import { probe } from '../../src/check/index.js';
import { FLAWED, SITE } from './gallery.js';

/** Broken classes that no browser error names: what the answers lack, not a value refused. */
const BY_WHAT_IT_LACKS: readonly string[] = [
  'preflight-only-cors',
  'actual-only-cors',
  'vary-origin-missing-cached',
];

describe('audit and check name a refused answer alike', () => {
  for (const server of FLAWED.filter((s) => s.severity === 'broken')) {
    it(`${server.expected}: ${server.name}`, async () => {
      const running = await server.start();
      try {
        const report = await audit(running.url, {
          origin: server.site ?? SITE,
          headers: server.headers ?? [],
          ...(server.operations === undefined ? {} : { operations: server.operations }),
        });
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
        // A declared operation's preflight: check is asked for that operation's request.
        const op = found.class === 'declared-preflight-refused' ? server.operations?.[0] : undefined;
        const { report: checked } = await probe(found.proof.request.url, {
          origin,
          credentials: found.class === 'wildcard-with-credentials',
          header: [...(server.headers ?? []), ...(op?.headers ?? []).map(([n, v]) => `${n}: ${v}`)],
          ...(op === undefined ? {} : { method: op.method }),
        });
        assert.equal(checked.verdict, 'blocked');
        assert.equal(checked.error?.code, found.browserCode);
      } finally {
        await running.close();
      }
    });
  }
});
