// Failures in people's words: Chromium's console line (cors_error_string.cc), Firefox's reason
// name, the cause and the fix. The Chromium texts are checked verbatim; real Chromium confirms them
// in test/e2e/browser-model.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixFor } from '../../src/advice/fixes.js';
import type { AdviceContext } from '../../src/advice/granted.js';
import { encodeHint } from '../../src/browser/errors.js';
import { type CorsFailureCore, explainFailure, type FailureContext } from '../../src/browser/index.js';

const ctx: FailureContext = {
  url: 'https://api.example.com/items',
  initialUrl: 'https://api.example.com/items',
  origin: 'https://app.example.com',
  method: 'PUT',
  credentialed: false,
  initiator: 'fetch',
  requestHeaders: ['x-api-key'],
};

/** The browser's words for a failure (src/browser/) with the advice on it (src/advice/). */
const explain = (f: CorsFailureCore, over: Partial<AdviceContext> = {}) => {
  const context: AdviceContext = { ...ctx, ...over };
  return { ...explainFailure(f, context), ...fixFor(f, context) };
};

describe("Chromium's console messages", () => {
  it('frames the detail with the URL and origin', () => {
    const f = explain({ code: 'MissingAllowOriginHeader', hint: '' });
    assert.equal(
      f.consoleMessage,
      "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
    assert.equal(f.firefox, 'CORSMissingAllowOrigin');
  });

  it("Firefox's reason, as real Firefox 153 prints it: one allow-origin line with several values is a mismatch, several lines CORSMultipleAllowOriginNotAllowed, a user:password redirect only 'did not succeed'", () => {
    assert.equal(
      explain({ code: 'MultipleAllowOriginValues', hint: 'a, b' }).firefox,
      'CORSAllowOriginNotMatchingOrigin',
    );
    assert.equal(
      explain({
        code: 'MultipleAllowOriginValues',
        hint: 'a, a',
        engineKey: 'CORSMultipleAllowOriginNotAllowed',
      }).firefox,
      'CORSMultipleAllowOriginNotAllowed',
    );
    assert.equal(
      explain({ code: 'RedirectContainsCredentials', hint: 'https://u:p@b.example/' }).firefox,
      'CORSDidNotSucceed',
    );
  });

  it('prefixes preflight failures, and names the first URL after redirects', () => {
    const f = explain(
      { code: 'PreflightAllowOriginMismatch', hint: 'https://app.example.com/' },
      { url: 'https://b.example/x', initialUrl: 'https://a.example/x' },
    );
    assert.equal(
      f.consoleMessage,
      "Access to fetch at 'https://b.example/x' (redirected from 'https://a.example/x') from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
    );
    assert.match(f.cause, /trailing slash/);
  });

  it('fetch() and XMLHttpRequest get their own endings', () => {
    const multiple = { code: 'MultipleAllowOriginValues', hint: 'a, b' } as const;
    assert.equal(
      explain(multiple).message,
      "The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed. Have the server send the header with a valid value.",
    );
    assert.equal(
      explain(multiple, { initiator: 'xhr' }).message,
      "The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed.",
    );
    const wildcard = explain(
      { code: 'WildcardOriginNotAllowed', hint: '' },
      { initiator: 'xhr', credentialed: true },
    );
    assert.match(wildcard.consoleMessage, /^Access to XMLHttpRequest at /);
    assert.match(wildcard.message, /controlled by the withCredentials attribute\.$/);
  });

  it('every failure has its exact detail text', () => {
    const details: [CorsFailureCore, string][] = [
      [
        { code: 'InvalidAllowOriginValue', hint: 'x' },
        "The 'Access-Control-Allow-Origin' header contains the invalid value 'x'. Have the server send the header with a valid value.",
      ],
      [
        { code: 'InvalidAllowCredentials', hint: '' },
        "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
      ],
      [
        { code: 'PreflightInvalidStatus', hint: '' },
        "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
      ],
      [
        { code: 'PreflightDisallowedRedirect', hint: '' },
        "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
      ],
      [
        { code: 'InvalidAllowMethodsPreflightResponse', hint: '' },
        'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
      ],
      [
        { code: 'InvalidAllowHeadersPreflightResponse', hint: '' },
        'Cannot parse Access-Control-Allow-Headers response header field in preflight response.',
      ],
      [
        { code: 'MethodDisallowedByPreflightResponse', hint: 'patch' },
        'Method patch is not allowed by Access-Control-Allow-Methods in preflight response.',
      ],
      [
        { code: 'HeaderDisallowedByPreflightResponse', hint: 'x-api-key' },
        'Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.',
      ],
      [
        { code: 'RedirectContainsCredentials', hint: 'https://u:p@b.example/' },
        "Redirect location 'https://u:p@b.example/' contains a username and password, which is disallowed for cross-origin requests.",
      ],
    ];
    for (const [failure, text] of details) assert.equal(explain(failure).message, text, failure.code);
  });

  it('control and non-ASCII characters in quoted values are printed as \\uXXXX', () => {
    assert.equal(encodeHint('a\tb\u00e9'), 'a\\u0009b\\u00E9');
    assert.match(
      explain({ code: 'AllowOriginMismatch', hint: 'https://caf\u00e9.example' }).message,
      /https:\/\/caf\\u00E9\.example/,
    );
  });
});

describe('causes and fixes', () => {
  it('a refused header: the fix lists what the preflight allowed plus what the request needs', () => {
    const f = explain(
      { code: 'HeaderDisallowedByPreflightResponse', hint: 'x-api-key', refused: ['x-api-key'] },
      {
        allowedMethods: ['GET', 'PUT'],
        allowedHeaders: ['Content-Type'],
        granted: {
          origins: ['https://app.example.com'],
          credentials: false,
          preflightAnswered: true,
          methodsWildcard: false,
          headersWildcard: false,
          exposedWildcard: false,
          reflectsHeaders: false,
          exposed: [],
          maxAge: '600',
        },
      },
    );
    assert.equal(f.firefox, 'CORSMissingAllowHeaderFromPreflight');
    // The whole configuration the answers showed, plus the header: pasted alone, it keeps the rest.
    const options =
      "origin: [/* any other origins you allow, */ 'https://app.example.com'], methods: ['GET', 'PUT'], allowedHeaders: ['Content-Type', 'x-api-key'], maxAge: 600";
    assert.equal(f.fix.corsica, `app.use(cors({ ${options} }))  // import cors from 'corsica/node'`);
    assert.equal(
      f.fix.fastify,
      `await fastify.register(cors, { ${options} })  // import cors from '@fastify/cors'`,
    );
    assert.match(f.fix.nginx, /add_header Access-Control-Allow-Headers "Content-Type, x-api-key";/);
    assert.match(f.fix.nginx, /add_header Access-Control-Allow-Methods "GET, PUT";/);
  });

  it('a lower-case method: the cause explains normalization', () => {
    const f = explain(
      { code: 'MethodDisallowedByPreflightResponse', hint: 'patch' },
      { method: 'patch', allowedMethods: ['GET', 'PATCH'] },
    );
    assert.match(f.cause, /'patch' is sent as written/);
    assert.match(f.fix.cors, /methods: \['GET', 'PATCH', 'patch'\]/);
  });

  it('a wildcard with credentials: name the origin and allow credentials', () => {
    const f = explain({ code: 'WildcardOriginNotAllowed', hint: '' }, { credentialed: true });
    assert.equal(f.firefox, 'CORSNotSupportingCredentials');
    assert.match(f.fix.corsica, /origin: \[[^\]]*'https:\/\/app\.example\.com'\], credentials: true/);
    assert.match(f.fix.nginx, /Access-Control-Allow-Credentials "true"/);
  });

  it('a preflight with a bad status points at OPTIONS handling and authentication', () => {
    const f = explain({ code: 'PreflightInvalidStatus', hint: '' }, { status: 401 });
    assert.match(f.cause, /status 401/);
    assert.match(f.cause, /preflights never carry cookies or Authorization/);
    assert.equal(f.firefox, 'CORSPreflightDidNotSucceed');
  });
});
