// `corsica audit` against the gallery (test/audit/gallery.ts): every flawed server is found with
// its class, severity and proof origin (one test per mistake), and no correct
// server gets an exploitable or broken finding.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/index.js';
import { CORRECT, FLAWED, SITE } from './gallery.js';
import { auditOptionsOf } from './gallery-servers.js';

describe('corsica audit: the gallery of flawed servers, one class each', () => {
  for (const server of FLAWED) {
    it(`${server.expected} (${server.severity}): ${server.name}`, {
      skip: server.skip ?? false,
    }, async () => {
      const running = await server.start();
      try {
        const report = await audit(running.url, { ...auditOptionsOf(server), timeout: 5000 });
        const found = report.findings.find((f) => f.class === server.expected);
        assert.ok(
          found,
          `expected ${server.expected}, found ${report.findings.map((f) => f.class).join(', ') || 'nothing'}`,
        );
        assert.equal(found.severity, server.severity);
        if (server.proof !== undefined) assert.equal(found.origin, server.proof);
        assert.equal(found.proof.origin, found.origin);
        assert.ok(found.proof.response !== null, 'the proof has its answer');
        assert.ok(found.proof.request.headers.length > 0, 'the proof has its request');
        assert.equal(report.unanswered, 0);
      } finally {
        await running.close();
      }
    });
  }
});

describe('corsica audit: correct servers get no exploitable or broken finding', () => {
  for (const server of CORRECT) {
    it(server.name, async () => {
      const running = await server.start();
      try {
        const report = await audit(running.url, { origin: SITE });
        const bad = report.findings.filter((f) => f.severity !== 'info');
        assert.deepEqual(
          bad.map((f) => `${f.class}: ${f.message}`),
          [],
        );
      } finally {
        await running.close();
      }
    });
  }
});
