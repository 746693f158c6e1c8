// The browser model, step one: what a browser makes of the request a page asks for. Each block
// names the part of the Fetch standard it follows by its anchor on https://fetch.spec.whatwg.org/.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPreflight } from '../../src/browser/flow.js';
import { type BrowserRequest, type Classification, classifyRequest } from '../../src/browser/index.js';

const PAGE = 'https://app.example.com';
const API = 'https://api.example.com/items';

function classify(request: Partial<BrowserRequest>): Classification {
  const result = classifyRequest({ url: API, origin: PAGE, ...request });
  assert.ok(result.ok, `refused: ${result.ok ? '' : result.message}`);
  return result.value;
}

function refusal(request: Partial<BrowserRequest>): string {
  const result = classifyRequest({ url: API, origin: PAGE, ...request });
  assert.ok(!result.ok, 'expected fetch() to refuse the request');
  return result.message;
}

const unsafeWhy = (c: Classification, name: string) =>
  c.reasons.find((r) => r.kind === 'header' && r.name === name) as { why: string } | undefined;

describe('#methods: normalization and safelisting', () => {
  it('GET, HEAD and POST need no preflight; other methods do', () => {
    for (const method of ['GET', 'HEAD', 'POST']) assert.equal(classify({ method }).preflight, false, method);
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PURGE']) {
      const c = classify({ method });
      assert.equal(c.preflight, true, method);
      assert.deepEqual(c.reasons, [{ kind: 'method', method }]);
    }
  });

  it('the six standard methods are upper-cased; every other method is sent as written', () => {
    assert.equal(classify({ method: 'put' }).method, 'PUT');
    assert.equal(classify({ method: 'dElEtE' }).method, 'DELETE');
    assert.equal(classify({ method: 'post' }).method, 'POST');
    assert.equal(classify({ method: 'patch' }).method, 'patch');
    assert.equal(classify({ method: 'post' }).preflight, false, 'post is POST, safelisted');
  });

  it('forbidden and malformed methods make fetch() throw', () => {
    assert.equal(refusal({ method: 'TRACE' }), "'TRACE' HTTP method is unsupported.");
    assert.equal(refusal({ method: 'connect' }), "'connect' HTTP method is unsupported.");
    assert.equal(refusal({ method: 'GE T' }), "'GE T' is not a valid HTTP method.");
    assert.equal(refusal({ method: 'GET', body: 'text' }), 'Request with GET/HEAD method cannot have body.');
  });
});

describe('#cors-safelisted-request-header: values decide, not just names', () => {
  const cases: [string, string, string | null][] = [
    ['Accept', 'application/json', null],
    ['Accept', 'text/"html"', 'unsafe-byte'],
    ['Accept', `text/${'x'.repeat(124)}`, 'value-too-long'],
    ['Accept', `text/${'x'.repeat(123)}`, null],
    ['Accept-Language', 'en-US,en;q=0.9', null],
    ['Accept-Language', 'en_US', 'language-characters'],
    ['Content-Language', 'de-DE', null],
    ['Content-Type', 'text/plain', null],
    ['Content-Type', 'text/plain;garbage', null],
    ['Content-Type', 'Text/Plain; charset=utf-8', null],
    ['Content-Type', 'multipart/form-data; boundary=x', null],
    ['Content-Type', 'application/x-www-form-urlencoded', null],
    ['Content-Type', 'application/json', 'content-type-not-simple'],
    ['Content-Type', 'text/plain,', 'content-type-unparsable'],
    ['Content-Type', 'text /plain', 'content-type-unparsable'],
    ['Content-Type', 'text/plain; a="b"', 'unsafe-byte'],
    ['Range', 'bytes=0-99', null],
    ['Range', 'bytes=100-', null],
    ['Range', 'bytes=-100', 'range-not-simple'],
    ['Range', 'bytes=0-1,5-6', 'range-not-simple'],
    ['Range', 'bytes=5-1', 'range-not-simple'],
    ['Range', 'bytes = 0-1', 'range-not-simple'],
    ['X-Custom', '1', 'name-not-safelisted'],
    ['Authorization', 'Bearer t', 'name-not-safelisted'],
    // Chromium's own additions (cors.cc IsCorsSafelistedHeader): scripts can set these names.
    ['Save-Data', 'on', null],
    ['DPR', '2.5', null],
    ['Width', 'wide', 'client-hint-value'],
  ];
  for (const [name, value, why] of cases) {
    it(`${name}: ${value.length > 40 ? `${value.slice(0, 20)}… (${value.length} bytes)` : value} → ${why ?? 'safelisted'}`, () => {
      const c = classify({ headers: [[name, value]] });
      assert.equal(unsafeWhy(c, name.toLowerCase())?.why ?? null, why);
      assert.equal(c.preflight, why !== null);
    });
  }

  it('under the standard, Chromium-only names need a preflight', () => {
    const c = classify({ headers: [['Save-Data', 'on']], engine: 'standard' });
    assert.equal(unsafeWhy(c, 'save-data')?.why, 'name-not-safelisted');
  });

  it('a header named like a property of every object (Constructor, __proto__) is not safelisted, and never crashes the model', () => {
    // Chromium's extra safelisted names were once looked up as keys of a plain object, so
    // `Constructor` passed for safelisted and `__proto__` made classifyRequest throw.
    for (const engine of ['chromium', 'firefox', 'webkit', 'standard'] as const)
      for (const name of ['Constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        const c = classify({ headers: [[name, 'x']], engine });
        assert.equal(unsafeWhy(c, name.toLowerCase())?.why, 'name-not-safelisted', `${engine} ${name}`);
        assert.equal(c.preflight, true, `${engine} ${name}`);
      }
  });

  it('safelisted values adding up to more than 1024 bytes all become unsafe', () => {
    const value = 'a'.repeat(120);
    const headers: [string, string][] = [
      ['Accept', value],
      ['Accept-Language', value],
      ['Content-Language', value],
    ];
    assert.equal(classify({ headers }).preflight, false, '360 bytes are fine');
    const many = classify({
      headers: [...headers, ['Content-Type', `text/plain;${'x'.repeat(117)}`]],
      method: 'POST',
    });
    assert.equal(many.preflight, false, '488 bytes are fine');
    const c = classify({
      headers: Array.from(
        { length: 9 },
        (_, i) => [i % 2 === 0 ? 'Accept' : 'Accept-Language', 'a'.repeat(120)] as [string, string],
      ),
    });
    // Repeated names combine into one value (", "), which then exceeds 128 bytes on its own.
    assert.equal(unsafeWhy(c, 'accept')?.why, 'value-too-long');
  });

  it('the 1024-byte total counts each safelisted value once', () => {
    const c = classify({
      headers: [
        ['Accept', 'a'.repeat(128)],
        ['Accept-Language', 'b'.repeat(128)],
        ['Content-Language', 'c'.repeat(128)],
        ['Content-Type', `text/plain;${'d'.repeat(117)}`],
        ['Range', 'bytes=0-1'],
      ],
    });
    assert.equal(c.preflight, false, '521 bytes');
  });
});

describe('#cors-preflight-fetch: what the preflight asks for', () => {
  it('Access-Control-Request-Headers lists the unsafe names lower-cased, unique and sorted', () => {
    const c = classify({
      method: 'PUT',
      headers: [
        ['X-Zeta', '1'],
        ['Content-Type', 'application/json'],
        ['X-Alpha', '2'],
        ['x-zeta', '3'],
        ['Accept', 'text/plain'],
      ],
    });
    assert.deepEqual(c.unsafeHeaderNames, ['content-type', 'x-alpha', 'x-zeta']);
  });

  it('the preflight: OPTIONS, Accept */*, the method as sent, the sorted names, Origin, no credentials', () => {
    const c = classify({
      method: 'patch',
      headers: [
        ['X-B', '1'],
        ['X-A', '2'],
      ],
      credentials: 'include',
    });
    assert.deepEqual(buildPreflight(c, API, PAGE), {
      method: 'OPTIONS',
      url: API,
      headers: [
        ['Accept', '*/*'],
        ['Access-Control-Request-Method', 'patch'],
        ['Access-Control-Request-Headers', 'x-a,x-b'],
        ['Origin', PAGE],
        ['Sec-Fetch-Mode', 'cors'],
      ],
      credentials: false,
    });
    const noHeaders = buildPreflight(classify({ method: 'PUT' }), API, 'null');
    assert.deepEqual(
      noHeaders.headers.map(([n]) => n),
      ['Accept', 'Access-Control-Request-Method', 'Origin', 'Sec-Fetch-Mode'],
    );
  });

  it('forbidden request headers are dropped silently and never ask for permission', () => {
    const c = classify({
      headers: [
        ['Cookie', 'a=b'],
        ['Origin', 'https://evil'],
        ['Sec-Foo', '1'],
        ['Proxy-X', '1'],
        ['X-A', '1'],
      ],
    });
    assert.deepEqual(c.ignored, ['cookie', 'origin', 'sec-foo', 'proxy-x']);
    assert.deepEqual(c.unsafeHeaderNames, ['x-a']);
  });

  it('a body adds its default Content-Type, which may or may not need a preflight', () => {
    assert.equal(classify({ method: 'POST', body: 'text' }).preflight, false);
    assert.equal(classify({ method: 'POST', body: 'url-search-params' }).preflight, false);
    assert.equal(classify({ method: 'POST', body: 'form-data' }).preflight, false);
    const json = classify({ method: 'POST', body: 'blob', blobType: 'application/json' });
    assert.equal(unsafeWhy(json, 'content-type')?.why, 'content-type-not-simple');
    const explicit = classify({
      method: 'POST',
      body: 'text',
      headers: [['Content-Type', 'application/json']],
    });
    assert.deepEqual(explicit.headers, [['content-type', 'application/json']]);
  });

  it('a streaming body always needs a preflight', () => {
    const c = classify({ method: 'POST', body: 'stream' });
    assert.deepEqual(c.reasons, [{ kind: 'stream-body' }]);
  });

  it('a same-origin request needs no CORS at all', () => {
    const c = classify({ url: `${PAGE}/x`, method: 'PUT', headers: [['X-A', '1']] });
    assert.equal(c.crossOrigin, false);
    assert.equal(c.preflight, false);
  });

  it("credentials: 'include' is credentialed; the default 'same-origin' is not, cross-origin", () => {
    assert.equal(classify({ credentials: 'include' }).credentialed, true);
    assert.equal(classify({}).credentialed, false);
    assert.equal(classify({ credentials: 'omit' }).credentialed, false);
  });

  it('bad URLs and header values make fetch() throw', () => {
    assert.equal(refusal({ url: 'not a url' }), 'Failed to parse URL from not a url');
    assert.match(refusal({ url: 'https://u:p@api.example.com/' }), /includes credentials/);
    assert.equal(refusal({ headers: [['X A', '1']] }), "Invalid name: 'X A'");
    assert.equal(refusal({ headers: [['X-A', 'a\nb']] }), "Invalid value: 'a\nb'");
  });
});
