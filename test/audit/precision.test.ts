// Each mistake is named by its own class, not by its neighbours': a server that echoes any origin
// gets that and nothing narrower, a prefix check is not called a suffix check, and answers to a
// request without Origin (not a CORS request) never count as broken.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/audit/index.js';
import { CORRECT, FLAWED, SITE } from './gallery.js';

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

describe('corsica audit: authentication before CORS, both said', () => {
  it('the prefix hole shown only on preflights is found, and preflight-only-cors names authentication', async () => {
    const server = FLAWED.find((s) => s.name.includes('authentication before cors (OPTIONS let through)'));
    assert.ok(server);
    const running = await server.start();
    try {
      const report = await audit(running.url, { origin: SITE });
      const prefix = report.findings.find((f) => f.class === 'prefix-match');
      assert.ok(prefix, report.findings.map((f) => f.class).join(', '));
      assert.equal(prefix.proof.request.method, 'OPTIONS');
      const missing = report.findings.find((f) => f.class === 'preflight-only-cors');
      assert.ok(missing);
      assert.match(
        missing.message,
        /got no CORS headers \(status 401\): authentication answers before CORS does/,
      );
      assert.match(missing.fix.summary, /run CORS before authentication/);
    } finally {
      await running.close();
    }
  });

  it('with a session cookie given, the GET without it shows the 401 without CORS headers (real nginx)', {
    skip: FLAWED.find((s) => s.name.startsWith('nginx: add_header without always'))?.skip ?? false,
  }, async () => {
    const server = FLAWED.find((s) => s.name.startsWith('nginx: add_header without always'));
    assert.ok(server);
    const running = await server.start();
    try {
      const report = await audit(running.url, { origin: SITE, headers: server.headers ?? [] });
      const missing = report.findings.find((f) => f.class === 'preflight-only-cors');
      assert.ok(missing, report.findings.map((f) => f.class).join(', '));
      assert.equal(missing.proof.kind, 'site-anonymous');
      assert.ok(!missing.proof.request.headers.some(([n]) => n === 'Cookie'));
      assert.match(
        missing.message,
        /the GET without the headers given \(--header\) got no CORS headers \(status 401\)/,
      );
    } finally {
      await running.close();
    }
  });
});

describe('corsica audit: an API whose network is its credential', () => {
  const nginxPna = FLAWED.find((s) => s.expected === 'private-network-access-granted');

  it('* with a PNA grant on a loopback address, for an intranet site: both exploitable, public-wildcard gone, saying why (real nginx)', {
    skip: nginxPna?.skip ?? false,
  }, async () => {
    assert.ok(nginxPna);
    const running = await nginxPna.start();
    try {
      const report = await audit(running.url, { origin: nginxPna.site });
      const classes = report.findings.map((f) => f.class);
      assert.ok(classes.includes('private-network-access-granted'), classes.join(', '));
      assert.ok(!classes.includes('public-wildcard'), classes.join(', '));
      const open = report.findings.find((f) => f.class === 'intranet-open-to-any-origin');
      assert.ok(open, classes.join(', '));
      assert.match(open.message, /127\.0\.0\.1 is a loopback address: the network is this API's credential/);
      const pna = report.findings.find((f) => f.class === 'private-network-access-granted')!;
      assert.ok(
        pna.proof.request.headers.some(
          ([n, v]) => n === 'Access-Control-Request-Private-Network' && v === 'true',
        ),
      );
    } finally {
      await running.close();
    }
  });

  it("a public site's API on 127.0.0.1 stays public-wildcard, with a note; --intranet makes it exploitable", async () => {
    const server = CORRECT.find((s) => s.name.includes('* on a public endpoint'));
    assert.ok(server);
    const running = await server.start();
    try {
      const local = await audit(running.url, { origin: SITE });
      assert.ok(local.findings.some((f) => f.class === 'public-wildcard'));
      assert.ok(
        local.notes.some((n) =>
          /127\.0\.0\.1 is a loopback address, but the site https:\/\/www\.example\.com is public/.test(n),
        ),
        local.notes.join('\n'),
      );
      const declared = await audit(running.url, { origin: SITE, intranet: true });
      const open = declared.findings.find((f) => f.class === 'intranet-open-to-any-origin');
      assert.ok(open, declared.findings.map((f) => f.class).join(', '));
      assert.equal(open.severity, 'exploitable');
      assert.match(open.message, /--intranet says it is reachable only inside a network/);
    } finally {
      await running.close();
    }
  });

  it('any origin echoed without credentials on an intranet API is exploitable too, not reflected-any-origin', async () => {
    const server = FLAWED.find((s) => s.expected === 'reflected-any-origin');
    assert.ok(server);
    const running = await server.start();
    try {
      const report = await audit(running.url, { origin: SITE, intranet: true });
      const classes = report.findings.map((f) => f.class);
      assert.ok(classes.includes('intranet-open-to-any-origin'), classes.join(', '));
      assert.ok(!classes.includes('reflected-any-origin'), classes.join(', '));
    } finally {
      await running.close();
    }
  });
});

describe('corsica audit: development origins left in a public allow-list', () => {
  it('a http://localhost:* pattern is named as every port; one leftover port as a development origin', async () => {
    const expectations: [string, RegExp][] = [
      [
        "'http://localhost:*'",
        /^every port of localhost is trusted with credentials \(a http:\/\/localhost:\* pattern\)/,
      ],
      [
        "kept 'http://localhost:3000'",
        /^a development origin on the user’s machine is trusted with credentials: http:\/\/localhost:3000/,
      ],
    ];
    for (const [part, message] of expectations) {
      const server = FLAWED.find((s) => s.name.includes(part));
      assert.ok(server, part);
      const running = await server.start();
      try {
        const report = await audit(running.url, { origin: SITE });
        const found = report.findings.find((f) => f.class === 'localhost-trusted-with-credentials');
        assert.ok(found, report.findings.map((f) => f.class).join(', '));
        assert.match(found.message, message);
      } finally {
        await running.close();
      }
    }
  });
});
