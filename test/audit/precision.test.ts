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
  ['an origin function with startsWith', ['suffix-match', 'substring-match', 'special-characters']],
  ['/example\\.com$/ (cors#408)', ['prefix-match', 'substring-match', 'unescaped-dot', 'special-characters']],
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
        const report = await audit(running.url, { origin: SITE });
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
