// Every fix `corsica check` can print is run in its real tool or, where it is words, says what it
// must: one case per failure code (and per cause a status gives a missing allow-origin), pasted
// into real apps as fixes-pasted.test.ts does; the fixes that are words, with what they must say;
// and a list of every failure code with the cases that test its fix, so that a new code without
// one fails here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixFor } from '../../src/advice/fixes.js';
import type { AdviceContext } from '../../src/advice/granted.js';
import { CORS_ERROR_CODES, type CorsErrorCode } from '../../src/browser/codes.js';
import { PAGE, scenarioTest, started } from '../helpers/check-fix-run.js';
import type { Tool } from '../helpers/pasted-fix.js';
import { CODE_SCENARIOS, FIRST_SCENARIOS, WORDS_SCENARIOS } from './fix-scenarios.js';

describe("check: each failure code's printed fix, pasted into a real app, makes the request pass", () => {
  const start = started();
  for (const s of [...CODE_SCENARIOS, ...WORDS_SCENARIOS]) scenarioTest(s, start);
});

const API = 'https://api.example.net/api/items';

/** A failure check cannot meet on a server of its own: the context the advice gets. */
const context = (over: Partial<AdviceContext>): AdviceContext => ({
  url: API,
  initialUrl: API,
  origin: PAGE,
  method: 'GET',
  credentialed: false,
  initiator: 'fetch',
  ...over,
});

const TAINTED: Record<Tool, RegExp> = {
  corsica:
    /^Request the final URL; only if you must, allow the tainted origin with .*allowNullOrigin: true\.$/,
  cors: /^Request the final URL; cors would need origin: 'null' \(which any sandboxed page can send\)\.$/,
  fastify: /^Request the final URL; @fastify\/cors would need origin: 'null' \(which any sandboxed page/,
  hono: /^Request the final URL; hono\/cors would need origin: 'null' \(which any sandboxed page/,
  nginx: /^Avoid the redirect chain; allowing "null" lets any sandboxed page in\.$/,
};

/**
 * Fixes that are words, for failures a check of one server does not meet: a page that is not
 * served over http(s), and a redirect chain across origins (the browser sends Origin: null).
 * Allowing 'null' would let any sandboxed page in, so no line is configuration to run.
 */
const WORDS: readonly {
  name: string;
  code: CorsErrorCode;
  ctx: AdviceContext;
  words: Record<Tool, RegExp>;
}[] = [
  {
    name: 'a page opened from file: (or a request to another scheme)',
    code: 'CorsDisabledScheme',
    ctx: context({ origin: 'null', url: 'file:///home/me/api.json' }),
    words: {
      corsica: /^Not a CORS option: open the page from http:\/\/localhost instead of file:\/\/\.$/,
      cors: /^Not a CORS option: open the page from http:\/\/localhost instead of file:\/\/\.$/,
      fastify: /^Not a CORS option: open the page from http:\/\/localhost instead of file:\/\/\.$/,
      hono: /^Not a CORS option: open the page from http:\/\/localhost instead of file:\/\/\.$/,
      nginx: /^Not a CORS setting: serve the page over http\(s\)\.$/,
    },
  },
  ...(
    [
      'AllowOriginMismatch',
      'MissingAllowOriginHeader',
      'PreflightAllowOriginMismatch',
      'PreflightMissingAllowOriginHeader',
    ] as const
  ).map((code) => ({
    name: `a redirect chain across origins taints the origin (${code})`,
    code,
    ctx: context({ tainted: true, initialUrl: 'https://short.example.org/x' }),
    words: TAINTED,
  })),
];

describe('check: the fixes that are words say what to do instead', () => {
  for (const row of WORDS)
    it(row.name, () => {
      const hint = row.code.includes('AllowOriginMismatch') ? 'https://app.example.com' : '';
      const { fix } = fixFor({ code: row.code, hint }, row.ctx);
      for (const [tool, words] of Object.entries(row.words) as [Tool, RegExp][])
        assert.match(fix[tool], words, `${tool}: ${fix[tool]}`);
    });
});

/** Each failure code and the cases above (or in fix-scenarios.ts) that test its fixes. */
const COVERAGE: Record<CorsErrorCode, readonly string[]> = {
  MissingAllowOriginHeader: [
    'an origin missing from the list: the fix adds it, with credentials',
    'the request answered 401 before CORS ran: the fix puts CORS first',
    'the request answered 302 before CORS ran: the fix puts CORS first',
    'the request answered 404 before CORS ran: the fix puts CORS first',
    'the request answered 500 before CORS ran: the fix puts CORS first',
    'a redirect chain across origins taints the origin (MissingAllowOriginHeader)',
  ],
  MultipleAllowOriginValues: [
    "two CORS layers (cors's '*' and a hand-written echo): the fix sends one origin",
  ],
  InvalidAllowOriginValue: [
    'an origin written without its scheme (a bare host name): the fix writes the origin',
  ],
  AllowOriginMismatch: [
    "cors's fixed origin is another one: the fix keeps it beside the page's",
    'a redirect chain across origins taints the origin (AllowOriginMismatch)',
  ],
  WildcardOriginNotAllowed: [
    "the default '*' with credentials: the fix names the origin, and keeps the exposed headers",
  ],
  InvalidAllowCredentials: ['cookies sent, credentials not allowed: the fix allows them for the origin'],
  PreflightMissingAllowOriginHeader: [
    'authentication before CORS answers the preflight 401: the fix goes first',
    "Express's own answer to OPTIONS (CORS only on the POST route): its own cause",
    'the same redirected preflight as Firefox words it (no allow-origin): the fix puts CORS first',
    'the preflight answered 404 before CORS ran: the fix puts CORS first',
    'the preflight answered 500 before CORS ran: the fix puts CORS first',
    'a redirect chain across origins taints the origin (PreflightMissingAllowOriginHeader)',
  ],
  PreflightMultipleAllowOriginValues: [
    'an origin list written as one string: the fix keeps both origins, as a list',
  ],
  PreflightInvalidAllowOriginValue: ['an origin written without its scheme, on the preflight'],
  PreflightAllowOriginMismatch: [
    "cors's fixed origin is another one, on the preflight: the fix keeps it",
    'a redirect chain across origins taints the origin (PreflightAllowOriginMismatch)',
  ],
  PreflightWildcardOriginNotAllowed: ["the default '*' with credentials, on the preflight"],
  PreflightInvalidAllowCredentials: [
    'cookies sent with a preflighted request, credentials not allowed on the preflight',
  ],
  PreflightInvalidStatus: ['preflightContinue hands the preflight to authentication, which answers 401'],
  PreflightDisallowedRedirect: [
    'a canonical-URL redirect before CORS redirects the preflight: the request goes to the final URL',
  ],
  InvalidAllowMethodsPreflightResponse: ['methods written as one string with spaces: the fix writes a list'],
  InvalidAllowHeadersPreflightResponse: ['allowed headers written with semicolons: the fix writes a list'],
  MethodDisallowedByPreflightResponse: [
    'a method missing: the fix keeps the methods, headers and max-age the preflight showed',
  ],
  HeaderDisallowedByPreflightResponse: [
    'a refused Authorization header: the fix keeps the origin, credentials and methods',
  ],
  RedirectContainsCredentials: [
    'a redirect to a URL with user:password@: every line says to change the Location',
  ],
  CorsDisabledScheme: ['a page opened from file: (or a request to another scheme)'],
};

describe("every failure code's fix is tested", () => {
  const cases = new Map<string, string>([
    ...[...FIRST_SCENARIOS, ...CODE_SCENARIOS, ...WORDS_SCENARIOS].map((s) => [s.name, s.code] as const),
    ...WORDS.map((w) => [w.name, w.code] as const),
  ]);

  it('the list names every code of the browser model, each with a case', () => {
    assert.deepEqual(Object.keys(COVERAGE).sort(), [...CORS_ERROR_CODES].sort());
    for (const code of CORS_ERROR_CODES) assert.ok(COVERAGE[code].length > 0, `${code} has no tested fix`);
  });

  it('each case listed exists and fails with the code it is listed for, and every case is listed', () => {
    const listed = new Set<string>();
    for (const [code, names] of Object.entries(COVERAGE))
      for (const name of names) {
        assert.equal(cases.get(name), code, `'${name}' is a case of ${code}`);
        listed.add(name);
      }
    assert.deepEqual(
      [...cases.keys()].filter((name) => !listed.has(name)),
      [],
      'cases no code lists',
    );
  });
});
