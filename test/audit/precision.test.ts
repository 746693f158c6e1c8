// Each mistake is named by its own class, not by its neighbours': a server that echoes any origin
// gets that and nothing narrower, a prefix check is not called a suffix check, and answers to a
// request without Origin (not a CORS request) never count as broken.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/index.js';
import { FLAWED, SITE } from './gallery.js';

/** For a gallery server (by name, in part): classes that must not be reported. */
const NOT: readonly (readonly [string, readonly string[]])[] = [
  [
    'Express + cors: origin: true with credentials',
    [
      'prefix-match',
      'suffix-match',
      'null-origin-trusted',
      'any-subdomain-with-credentials',
      'special-characters',
    ],
  ],
  ['or * when there is none', ['wildcard-with-credentials', 'prefix-match']],
  // One flaw, one finding: a startsWith or an endsWith is not also an unanchored RegExp.
  [
    'an origin function with startsWith',
    ['suffix-match', 'substring-match', 'special-characters', 'unanchored-regexp'],
  ],
  [
    '/example\\.com$/ (cors#408)',
    ['prefix-match', 'substring-match', 'unescaped-dot', 'special-characters', 'unanchored-regexp'],
  ],
  // The truncated names (https://www.example.co, https://xample.com) are refused: no substring-match;
  // its prefix and suffix probes pass because the RegExp is open at both ends, one flaw.
  [
    'an origin function testing /example\\.com/',
    ['substring-match', 'prefix-match', 'suffix-match', 'special-characters', 'unescaped-dot'],
  ],
  ["endsWith('app.example.com')", ['unanchored-regexp', 'prefix-match']],
  ['new RegExp(allowed)', ['unanchored-regexp', 'suffix-match', 'substring-match']],
  ['checked with includes', ['prefix-match', 'suffix-match', 'unanchored-regexp']],
  ['(the dot unescaped)', ['prefix-match', 'suffix-match', 'substring-match']],
  ['stops at the first character not allowed in hosts', ['prefix-match', 'suffix-match']],
  ['every subdomain, with credentials', ['suffix-match', 'prefix-match', 'unescaped-dot']],
  ['nginx-style OPTIONS branch', ['reflected-any-origin-with-credentials', 'reflected-any-origin']],
  ['Fastify + @fastify/cors: origin: true without credentials', ['reflected-any-origin-with-credentials']],
];

describe('corsica audit: one mistake, its own class', () => {
  for (const [part, absent] of NOT) {
    const server = FLAWED.find((s) => s.name.includes(part));
    it(`${server?.expected}: ${part} is not reported as ${absent.join(', ')}`, async () => {
      assert.ok(server, part);
      const running = await server.start();
      try {
        const report = await audit(running.url, { origin: server.site ?? SITE });
        const classes = report.findings.map((f) => f.class);
        assert.ok(classes.includes(server.expected as never), server.expected);
        for (const c of absent)
          assert.ok(!classes.includes(c as never), `${c} reported: ${classes.join(', ')}`);
      } finally {
        await running.close();
      }
    });
  }
});

describe('corsica audit: one mistake, reported once', () => {
  it('a trailing slash sent as the value and echoed as a misspelling is one origin-trailing-slash', async () => {
    const server = FLAWED.find((s) => s.name.includes("origin: 'https://www.example.com/' (trailing slash)"));
    assert.ok(server);
    const running = await server.start();
    try {
      const report = await audit(running.url, { origin: SITE });
      assert.equal(report.findings.filter((f) => f.class === 'origin-trailing-slash').length, 1);
    } finally {
      await running.close();
    }
  });
});
