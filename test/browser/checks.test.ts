// The browser model's checks on answers:
// - the CORS check, https://fetch.spec.whatwg.org/#cors-check;
// - the preflight's checks, https://fetch.spec.whatwg.org/#cors-preflight-fetch (step 7);
// - max-age, https://fetch.spec.whatwg.org/#cors-preflight-cache;
// - what a page may read, https://fetch.spec.whatwg.org/#concept-filtered-response-cors.
// Where Chromium and the standard differ, both are tested and the difference named.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BrowserRequest,
  type Classification,
  checkPreflight,
  classifyRequest,
  corsCheck,
  parseMaxAge,
  readableHeaders,
} from '../../src/browser/index.js';

const PAGE = 'https://app.example.com';

function classify(request: Partial<BrowserRequest>): Classification {
  const result = classifyRequest({ url: 'https://api.example.com/x', origin: PAGE, ...request });
  assert.ok(result.ok);
  return result.value;
}

const answer = (headers: [string, string][], status = 200) => ({ status, headers });
const allowed = (extra: [string, string][] = []): [string, string][] => [
  ['Access-Control-Allow-Origin', PAGE],
  ...extra,
];

describe('#cors-check (Chromium cors.cc CheckAccess diagnostics)', () => {
  const cases: [string, [string, string][], boolean, string | null, string][] = [
    ['the exact origin passes', allowed(), false, null, ''],
    ["'*' passes without credentials", [['Access-Control-Allow-Origin', '*']], false, null, ''],
    [
      "'*' fails with credentials",
      [['Access-Control-Allow-Origin', '*']],
      true,
      'WildcardOriginNotAllowed',
      '',
    ],
    ['no header fails', [], false, 'MissingAllowOriginHeader', ''],
    [
      'a trailing slash is a mismatch',
      [['Access-Control-Allow-Origin', `${PAGE}/`]],
      false,
      'AllowOriginMismatch',
      `${PAGE}/`,
    ],
    [
      'upper case is a mismatch',
      [['Access-Control-Allow-Origin', PAGE.toUpperCase()]],
      false,
      'AllowOriginMismatch',
      PAGE.toUpperCase(),
    ],
    [
      "'null' is a mismatch for a real origin",
      [['Access-Control-Allow-Origin', 'null']],
      false,
      'AllowOriginMismatch',
      'null',
    ],
    [
      'two header lines are multiple values',
      [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Origin', PAGE],
      ],
      false,
      'MultipleAllowOriginValues',
      `${PAGE}, ${PAGE}`,
    ],
    [
      'a space means multiple values',
      [['Access-Control-Allow-Origin', `${PAGE} https://b`]],
      false,
      'MultipleAllowOriginValues',
      `${PAGE} https://b`,
    ],
    [
      'a value that is no URL is invalid',
      [['Access-Control-Allow-Origin', 'app.example.com']],
      false,
      'InvalidAllowOriginValue',
      'app.example.com',
    ],
    ['credentials need Allow-Credentials: true', allowed(), true, 'InvalidAllowCredentials', ''],
    [
      "'True' is not 'true'",
      allowed([['Access-Control-Allow-Credentials', 'True']]),
      true,
      'InvalidAllowCredentials',
      'True',
    ],
    ['credentials with true pass', allowed([['Access-Control-Allow-Credentials', 'true']]), true, null, ''],
    [
      'Allow-Credentials is ignored without credentials',
      allowed([['Access-Control-Allow-Credentials', 'nope']]),
      false,
      null,
      '',
    ],
  ];
  for (const [name, headers, credentialed, code, hint] of cases) {
    it(name, () => {
      const f = corsCheck(answer(headers), PAGE, credentialed);
      assert.equal(f?.code ?? null, code);
      if (f !== null) assert.equal(f.hint, hint);
    });
  }
});

describe('#cors-preflight-fetch: the preflight answer', () => {
  const put = classify({ method: 'PUT', headers: [['X-A', '1']] });

  it('the CORS check comes before the status', () => {
    assert.equal(checkPreflight(put, answer([], 404), PAGE).ok, false);
    const noOrigin = checkPreflight(put, answer([], 404), PAGE);
    assert.equal(noOrigin.ok ? null : noOrigin.failure.code, 'PreflightMissingAllowOriginHeader');
    const badStatus = checkPreflight(put, answer(allowed(), 404), PAGE);
    assert.equal(badStatus.ok ? null : badStatus.failure.code, 'PreflightInvalidStatus');
  });

  it('unparsable allow lists fail the whole preflight', () => {
    const methods = checkPreflight(
      put,
      answer(allowed([['Access-Control-Allow-Methods', 'PUT DELETE']])),
      PAGE,
    );
    assert.equal(methods.ok ? null : methods.failure.code, 'InvalidAllowMethodsPreflightResponse');
    const headers = checkPreflight(
      put,
      answer(
        allowed([
          ['Access-Control-Allow-Methods', 'PUT'],
          ['Access-Control-Allow-Headers', 'x-a;b'],
        ]),
      ),
      PAGE,
    );
    assert.equal(headers.ok ? null : headers.failure.code, 'InvalidAllowHeadersPreflightResponse');
  });

  it('methods compare byte for byte; empty list items are fine', () => {
    const lower = checkPreflight(
      classify({ method: 'patch' }),
      answer(allowed([['Access-Control-Allow-Methods', 'PATCH']])),
      PAGE,
    );
    assert.deepEqual(lower.ok ? null : lower.failure, {
      code: 'MethodDisallowedByPreflightResponse',
      hint: 'patch',
    });
    const spaced = checkPreflight(
      classify({ method: 'PATCH' }),
      answer(allowed([['Access-Control-Allow-Methods', ',, PATCH ,']])),
      PAGE,
    );
    assert.equal(spaced.ok, true);
  });

  it("'*' allows any method and header without credentials, and nothing special with them", () => {
    const star: [string, string][] = [
      ['Access-Control-Allow-Methods', '*'],
      ['Access-Control-Allow-Headers', '*'],
    ];
    assert.equal(checkPreflight(put, answer(allowed(star)), PAGE).ok, true);
    const credentialed = classify({ method: 'PUT', headers: [['X-A', '1']], credentials: 'include' });
    const refused = checkPreflight(
      credentialed,
      answer(allowed([...star, ['Access-Control-Allow-Credentials', 'true']])),
      PAGE,
    );
    assert.equal(refused.ok ? null : refused.failure.code, 'MethodDisallowedByPreflightResponse');
  });

  it("Authorization under '*': Chromium 156 lets it through, the standard does not", () => {
    const star = answer(allowed([['Access-Control-Allow-Headers', '*']]));
    const chromium = classify({ headers: [['Authorization', 'Bearer t']] });
    assert.equal(checkPreflight(chromium, star, PAGE).ok, true);
    const standard = classify({ headers: [['Authorization', 'Bearer t']], engine: 'standard' });
    const refused = checkPreflight(standard, star, PAGE);
    assert.deepEqual(refused.ok ? null : refused.failure, {
      code: 'HeaderDisallowedByPreflightResponse',
      hint: 'authorization',
    });
  });

  it('header names compare case-insensitively; every refused one is reported', () => {
    const request = classify({
      headers: [
        ['X-B', '1'],
        ['X-A', '1'],
        ['X-C', '1'],
      ],
    });
    assert.equal(
      checkPreflight(request, answer(allowed([['Access-Control-Allow-Headers', 'X-A, x-b, X-C']])), PAGE).ok,
      true,
    );
    const partly = checkPreflight(request, answer(allowed([['Access-Control-Allow-Headers', 'x-b']])), PAGE);
    assert.deepEqual(partly.ok ? null : partly.failure, {
      code: 'HeaderDisallowedByPreflightResponse',
      hint: 'x-a',
      refused: ['x-a', 'x-c'],
    });
  });

  it('max-age: 5 s when absent or unreadable, 0 when negative, at most 7200 s (Chromium)', () => {
    assert.equal(parseMaxAge(null), 5);
    assert.equal(parseMaxAge('abc'), 5);
    assert.equal(parseMaxAge('1.5'), 5);
    assert.equal(parseMaxAge('-1'), 0);
    assert.equal(parseMaxAge('600'), 600);
    assert.equal(parseMaxAge('86400'), 7200);
  });

  it('max-age in Firefox: 5 s when absent, not cached when unreadable or 0, at most 86400 s', () => {
    assert.equal(parseMaxAge(null, 'firefox'), 5);
    assert.equal(parseMaxAge('', 'firefox'), 5, 'an empty value is absent, as in the standard');
    assert.equal(parseMaxAge('abc', 'firefox'), 0);
    assert.equal(parseMaxAge('-1', 'firefox'), 0);
    assert.equal(parseMaxAge('0', 'firefox'), 0);
    assert.equal(parseMaxAge('600', 'firefox'), 600);
    assert.equal(parseMaxAge('100000', 'firefox'), 86400);
  });
});

describe('#cors-filtered-response: what the page can read', () => {
  const headers: [string, string][] = [
    ['Content-Type', 'application/json'],
    ['Content-Length', '2'],
    ['X-Total', '7'],
    ['X-Trace', 'a'],
    ['Set-Cookie', 'a=b'],
  ];

  it('safelisted names always; others only when exposed; Set-Cookie never', () => {
    assert.deepEqual(readableHeaders(answer(headers), false), ['content-length', 'content-type']);
    const exposed = answer([...headers, ['Access-Control-Expose-Headers', 'X-Total, set-cookie']]);
    assert.deepEqual(readableHeaders(exposed, false), ['content-length', 'content-type', 'x-total']);
  });

  it("'*' exposes everything without credentials, and only a header named '*' with them", () => {
    const star = answer([...headers, ['Access-Control-Expose-Headers', '*']]);
    assert.deepEqual(readableHeaders(star, false), [
      'access-control-expose-headers',
      'content-length',
      'content-type',
      'x-total',
      'x-trace',
    ]);
    assert.deepEqual(readableHeaders(star, true), ['content-length', 'content-type']);
  });

  it('an unparsable expose list exposes nothing', () => {
    assert.deepEqual(
      readableHeaders(answer([...headers, ['Access-Control-Expose-Headers', 'x-total;']]), false),
      ['content-length', 'content-type'],
    );
  });
});
