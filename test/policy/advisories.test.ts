// Lessons from the peers' advisories and bug reports (each test names its advisory or issue), one test each.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPolicy, type Decision, lintOptions } from '../../src/policy/index.js';
import { compileOriginMatcher } from '../../src/policy/origin-matcher.js';
import { mergeVary } from '../../src/policy/vary.js';
import { parseTokenList, REQUEST_LIST_LIMITS } from '../../src/syntax/header-list.js';

/**
 * How many lookups, slices, searches and splits `run` makes: work that grows with the input shows
 * here as a count, where a timing would be noise.
 */
type Methods = Record<string, (...args: unknown[]) => unknown>;

function countCalls(run: () => void): number {
  const patched = [
    [Map.prototype, 'get'],
    [String.prototype, 'slice'],
    [String.prototype, 'indexOf'],
    [String.prototype, 'split'],
  ] as const;
  const originals = patched.map(([proto, name]) => (proto as never as Methods)[name]!);
  let calls = 0;
  patched.forEach(([proto, name], i) => {
    (proto as never as Methods)[name] = function (this: unknown, ...args: unknown[]) {
      calls++;
      return originals[i]!.apply(this, args);
    };
  });
  try {
    run();
  } finally {
    patched.forEach(([proto, name], i) => {
      (proto as never as Methods)[name] = originals[i]!;
    });
  }
  return calls;
}

function allowed(options: object, origin: string): boolean {
  return (createPolicy({ silence: true, ...options }).decide({ method: 'GET', origin }) as Decision).allowed;
}

describe('peer advisories', () => {
  it('cors#408: an unanchored RegExp such as /example\\.com$/ warns, since it matches https://evil-example.com', () => {
    assert.equal(
      allowed({ origin: /example\.com$/ }, 'https://evil-example.com'),
      true,
      'the RegExp really is that loose',
    );
    const warning = lintOptions({ origin: /example\.com$/ }).find(
      (p) => p.code === 'CORSICA_REGEXP_UNANCHORED',
    );
    assert.match(warning?.message ?? '', /not anchored with \^ and \$.*cors#408/);
  });

  it('cors GHSA-8gfh-8qhq-hv6f: origin: true with credentials: true warns', () => {
    assert.equal(
      lintOptions({ origin: true, credentials: true })[0]?.code,
      'CORSICA_REFLECT_ANY_WITH_CREDENTIALS',
    );
    assert.equal(lintOptions({ origin: true }).length, 0, 'reflecting without credentials is not the hole');
  });

  it("hono GHSA-q7jf-gf43-6x6p: the request's Vary is never read, so never copied", () => {
    const asked: string[] = [];
    const request = { vary: 'X-Injected' };
    const policy = createPolicy({ origin: ['https://a.example'] });
    for (const method of ['GET', 'OPTIONS']) {
      const d = policy.decideFor(method, 'https://a.example', request, (_r, name) => {
        asked.push(name);
        return name === 'access-control-request-method' ? 'PUT' : undefined;
      }) as Decision;
      assert.doesNotMatch(d.vary ?? '', /Injected/);
    }
    assert.ok(!asked.includes('vary'), `read ${asked.join(', ')}`);
  });

  it('hono CVE-2026-69207, rs/cors#170, go-chi/cors#36: hostile Access-Control-Request-Headers are refused after a bounded scan', () => {
    const megabyte = 1024 * 1024;
    for (const hostile of [','.repeat(megabyte), ' '.repeat(megabyte), 'a,'.repeat(megabyte / 2)]) {
      const parsed = parseTokenList(hostile, REQUEST_LIST_LIMITS, true);
      assert.deepEqual(
        parsed,
        { ok: false, error: 'too-long', position: REQUEST_LIST_LIMITS.maxLength },
        'refused before reading',
      );
    }
    // Within the length cap, the scan stops at the first broken budget, not at the end of the value.
    const commas = parseTokenList(','.repeat(8000), REQUEST_LIST_LIMITS, true);
    assert.deepEqual(commas, { ok: false, error: 'too-many-empty-items', position: 16 });
    const spaces = parseTokenList(`a,${' '.repeat(8000)}b`, REQUEST_LIST_LIMITS, true);
    assert.deepEqual(spaces, { ok: false, error: 'too-much-whitespace', position: 4 });
    // A thousand short names are valid syntax; the item cap stops them after the 128th.
    const names = (count: number) => Array.from({ length: count }, (_, i) => `x${i}`).join(',');
    const capped = parseTokenList(names(1000), REQUEST_LIST_LIMITS, true);
    assert.deepEqual(capped, { ok: false, error: 'too-many-items', position: names(128).length + 1 });
    const atCap = parseTokenList(names(128), REQUEST_LIST_LIMITS, true);
    assert.ok(atCap.ok && atCap.items.length === 128, 'the 128th name is still accepted');
    const d = createPolicy().decide({
      method: 'OPTIONS',
      origin: 'https://a.example',
      requestMethod: 'PUT',
      requestHeaders: ','.repeat(megabyte),
    }) as Decision;
    assert.equal(d.reason, 'malformed-request-headers');
    assert.deepEqual(d.headers, []);
  });

  it('rs/cors#184: Access-Control-Request-Headers split over several lines by a proxy is accepted', () => {
    const d = createPolicy({ allowedHeaders: ['x-a', 'x-b'] }).decide({
      method: 'OPTIONS',
      origin: 'https://a.example',
      requestMethod: 'PUT',
      requestHeaders: 'x-a, x-b',
    }) as Decision;
    assert.equal(d.allowed, true);
  });

  it('rs/cors#197: a pattern like h* is refused instead of reflecting almost any origin', () => {
    assert.throws(
      () => createPolicy({ origin: ['h*'], credentials: true }),
      /'h\*' is a wildcard without a scheme/,
    );
    assert.throws(
      () => createPolicy({ origin: ['https://h*'], credentials: true }),
      /a wildcard where none may be/,
    );
  });

  it('jub0bs/cors GHSA-vhxv-fg4m-p2w8: with https://foo.com and https://bar.com allowed, https://barfoo.com is not', () => {
    const options = { origin: ['https://foo.com', 'https://bar.com', 'https://*.foo.com'] };
    assert.equal(allowed(options, 'https://barfoo.com'), false);
    assert.equal(allowed(options, 'https://foobar.com'), false);
    assert.equal(allowed(options, 'https://bar.foo.com'), true);
  });

  it('rs/cors#198, jub0bs/cors#14: header lists handed out are frozen', () => {
    const d = createPolicy({ origin: ['https://a.example'] }).decide({
      method: 'GET',
      origin: 'https://a.example',
    }) as Decision;
    assert.ok(Object.isFrozen(d.headers));
  });

  it('tower-http#598, fastify-cors#287: stacked layers do not duplicate Vary', () => {
    const once = mergeVary('Accept-Encoding', 'Origin');
    assert.equal(once, 'Accept-Encoding, Origin');
    assert.equal(mergeVary(once, 'Origin'), null, 'already there: nothing to add');
    assert.equal(
      mergeVary('origin', 'Origin, Access-Control-Request-Headers'),
      'origin, Access-Control-Request-Headers',
    );
    assert.equal(mergeVary('*', 'Origin'), null);
  });

  it('koa/cors GHSA-qxrj-hx23-xp82: the default answers *, never the reflected Origin', () => {
    const d = createPolicy().decide({ method: 'GET', origin: 'https://evil.example' }) as Decision;
    assert.deepEqual(d.headers, ['Access-Control-Allow-Origin', '*']);
  });

  it("hono#4811: '*' with credentials is refused, never turned into reflection", () => {
    assert.throws(
      () => createPolicy({ origin: '*', credentials: true }),
      /origin '\*' cannot be used with credentials/,
    );
  });

  it('a megabyte Origin is refused without being matched or reflected', () => {
    const huge = `https://${'a'.repeat(1024 * 1024)}.example`;
    for (const origin of [true, ['https://*.example'], () => true] as const) {
      const d = createPolicy({ origin, silence: true }).decide({ method: 'GET', origin: huge });
      assert.ok(!(d instanceof Promise), 'refused before any origin function is called');
      assert.equal(d.reason, 'malformed-origin');
    }
  });

  it('a 1 KB Origin of 500 one-letter labels costs a pattern no more lookups than a short one (no string built per dot)', () => {
    const matcher = compileOriginMatcher([
      {
        type: 'pattern',
        pattern: {
          scheme: 'https',
          host: 'example.com',
          subdomains: true,
          port: '',
          source: 'https://*.example.com',
        },
      },
    ]);
    const deep = `https://${'a.'.repeat(500)}example.com`;
    const deepStranger = `https://${'a.'.repeat(500)}example.net`;
    const short = 'https://a.example.com';
    assert.equal(matcher.matches(deep), true);
    assert.equal(matcher.matches(deepStranger), false);
    const shortCost = countCalls(() => matcher.matches(short));
    assert.equal(
      countCalls(() => matcher.matches(deep)),
      shortCost,
    );
    assert.equal(
      countCalls(() => matcher.matches(deepStranger)),
      countCalls(() => matcher.matches('https://a.example.net')),
    );
  });
});
