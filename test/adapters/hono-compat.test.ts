// hono/cors's behaviour as data, run against hono/cors itself (which proves the table) and against
// corsica/hono on real Hono (app.request). hono ships no tests in its npm package: the cases are
// hono's own (honojs/hono src/middleware/cors/index.test.ts, named after them), its docs
// (hono.dev/docs/middleware/builtin/cors) and its source (hono/dist/middleware/cors/index.js,
// hono 4.13). Where corsica answers differently on purpose, the case says so with a difference id;
// docs/hono.md lists the same ids, and no difference may let a browser read what hono/cors refuses
// (checked with corsica's browser model on both servers).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { CorsConfigError, cors as corsica, type HonoCorsOptions } from '../../src/adapters/hono/index.js';
import { simulateFetch, type Transport } from '../../src/browser/index.js';
import {
  assertDocListsDifferences,
  assertNoWider,
  corsicaWant,
  type PeerCase,
  pageRequest,
  type Want,
} from '../helpers/peer-compare.js';
import { warningsDuring } from '../helpers/warnings.js';

/** Why corsica answers differently; each id is a row of docs/hono.md's differences table. */
const DIFFERENCES = {
  'options-not-preflight':
    'An OPTIONS request is a preflight only with Origin and Access-Control-Request-Method (https://fetch.spec.whatwg.org/#http-requests); others reach the routes.',
  'wildcard-with-credentials':
    "'*' with credentials is refused: browsers never accept it on credentialed requests (https://fetch.spec.whatwg.org/#cors-check).",
  'scheme-less-origin': 'An origin without a scheme never matches what browsers send: refused at start-up.',
  'reflected-names-lower-case':
    'Reflected request headers are parsed as a header list and answered lower-case (names are case-insensitive).',
  'expose-on-actual-only':
    'Access-Control-Expose-Headers only on actual responses, where browsers read it (https://fetch.spec.whatwg.org/#http-responses).',
  'refused-origin-no-header': 'A refused origin gets no CORS header at all, not credentials or methods.',
  'no-origin':
    'A request without Origin is not a CORS request: no header, and the origin function is not asked.',
  'other-origin':
    'An origin function answering another origin: browsers refuse that value anyway (https://fetch.spec.whatwg.org/#cors-check); corsica sends none.',
  'null-origin': "The 'null' origin is refused unless allowNullOrigin: any page can send it.",
  vary: 'Vary names what the answer depends on: Access-Control-Request-Headers whenever they are reflected.',
  'origin-function-non-string':
    "An origin function answering a non-string (corsica's true/false form): a TypeError (500) that says so.",
  'allow-methods-string':
    'allowMethods given as a string: hono/cors ignores it (no Access-Control-Allow-Methods); refused at start-up.',
} as const;
type Difference = keyof typeof DIFFERENCES;

/** `vary-before`: an earlier middleware appends Vary: Accept-Encoding; `twice`: the middleware is used twice. */
type Case = PeerCase<HonoCorsOptions, Difference, 'vary-before' | 'twice'>;

const EX = 'http://example.com';
const ORIGIN = { origin: EX };
const preflight = (method: string, extra: Record<string, string> = {}) => ({
  method: 'OPTIONS',
  headers: { origin: EX, 'access-control-request-method': method, ...extra },
});
const API2: HonoCorsOptions = {
  origin: EX,
  allowHeaders: ['X-Custom-Header', 'Upgrade-Insecure-Requests'],
  allowMethods: ['POST', 'GET', 'OPTIONS'],
  exposeHeaders: ['Content-Length', 'X-Kuma-Revision'],
  maxAge: 600,
  credentials: true,
};
const API3: HonoCorsOptions = { origin: [EX, 'http://example.org', 'http://example.dev'] };
const API4: HonoCorsOptions = {
  origin: (origin) => (origin.endsWith('.example.com') ? origin : EX),
};
const API7: HonoCorsOptions = {
  origin: (origin) => (origin === EX ? origin : '*'),
  allowMethods: (origin) => (origin === EX ? ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'] : ['GET', 'HEAD']),
};
const API9: HonoCorsOptions = {
  origin: async (origin) => (origin === EX ? origin : '*'),
  allowMethods: async (origin) =>
    origin === EX ? ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'] : ['GET', 'HEAD'],
};
const STAR_OR_SUB: HonoCorsOptions = { origin: (o) => (o.endsWith('.example.com') ? o : '*') };
const BY_PATH: HonoCorsOptions = {
  origin: (origin, c: Context) => (c.req.path.startsWith('/private') ? null : origin),
};
const DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH,QUERY';
const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACEH = 'access-control-expose-headers';

const CASES: readonly Case[] = [
  {
    name: 'GET default',
    options: {},
    path: '/api/abc',
    expect: { status: 200, headers: { [ACAO]: '*', vary: null } },
  },
  {
    name: 'Preflight default (as hono sends it: no Origin, no Access-Control-Request-Method)',
    options: {},
    method: 'OPTIONS',
    headers: { 'access-control-request-headers': 'X-PINGOTHER, Content-Type' },
    expect: { status: 204, headers: { [ACAM]: DEFAULT_METHODS, [ACAH]: 'X-PINGOTHER,Content-Type' } },
    corsica: { why: 'options-not-preflight', status: 404, headers: { [ACAM]: null, [ACAH]: null } },
  },
  {
    name: 'Preflight default, as browsers send it',
    options: {},
    ...preflight('PUT', { 'access-control-request-headers': 'X-PINGOTHER, Content-Type' }),
    expect: {
      status: 204,
      headers: {
        [ACAO]: '*',
        [ACAM]: DEFAULT_METHODS,
        [ACAH]: 'X-PINGOTHER,Content-Type',
        vary: 'Access-Control-Request-Headers',
      },
    },
    corsica: { why: 'reflected-names-lower-case', headers: { [ACAH]: 'x-pingother,content-type' } },
  },
  {
    name: 'QUERY is one of the default methods (honojs/hono#5115)',
    options: {},
    ...preflight('QUERY'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: DEFAULT_METHODS } },
  },
  {
    name: 'Preflight without an Access-Control-Request-Method is still a preflight for hono/cors',
    options: {},
    method: 'OPTIONS',
    headers: ORIGIN,
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: DEFAULT_METHODS } },
    corsica: { why: 'options-not-preflight', status: 404, headers: { [ACAM]: null } },
  },
  {
    name: 'Preflight with options (as hono sends it: no Access-Control-Request-Method)',
    options: API2,
    method: 'OPTIONS',
    headers: ORIGIN,
    expect: { status: 204, headers: { [ACAO]: EX, [ACAM]: 'POST,GET,OPTIONS', [ACAC]: 'true' } },
    corsica: { why: 'options-not-preflight', status: 404, headers: { [ACAM]: null } },
  },
  {
    name: 'Preflight with options',
    options: API2,
    ...preflight('POST'),
    expect: {
      status: 204,
      headers: {
        [ACAO]: EX,
        [ACAH]: 'X-Custom-Header,Upgrade-Insecure-Requests',
        [ACAM]: 'POST,GET,OPTIONS',
        [ACEH]: 'Content-Length,X-Kuma-Revision',
        'access-control-max-age': '600',
        [ACAC]: 'true',
      },
    },
    corsica: { why: 'expose-on-actual-only', headers: { [ACEH]: null } },
  },
  {
    name: 'Disallow an unmatched origin',
    options: API2,
    ...preflight('POST', { origin: 'http://example.net' }),
    expect: { status: 204, headers: { [ACAO]: null, [ACAC]: 'true' } },
    corsica: { why: 'refused-origin-no-header', headers: { [ACAC]: null } },
  },
  {
    name: 'Allow multiple origins',
    options: API3,
    headers: { origin: 'http://example.org' },
    expect: { headers: { [ACAO]: 'http://example.org' } },
  },
  {
    name: 'Allow multiple origins: a request without Origin is disallowed',
    options: API3,
    expect: { headers: { [ACAO]: null } },
  },
  {
    name: 'Allow multiple origins: a Referer is not an Origin',
    options: API3,
    headers: { referer: 'http://example.net/' },
    expect: { headers: { [ACAO]: null } },
  },
  {
    name: 'Set "Origin" to Vary header',
    options: API3,
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: EX, vary: 'Origin' } },
  },
  {
    name: 'Keep original Vary header',
    options: {},
    path: '/api/vary-header',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*', vary: 'X-Custom-Vary-Value' } },
  },
  {
    name: 'Append "Origin" to Vary header, if response has some Vary header',
    options: API3,
    path: '/api/vary-header',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: EX, vary: 'X-Custom-Vary-Value, Origin' } },
  },
  {
    name: 'Allow origins by function',
    options: API4,
    headers: { origin: 'http://subdomain.example.com' },
    expect: { headers: { [ACAO]: 'http://subdomain.example.com' } },
  },
  {
    name: 'Allow origins by function: without Origin, the function answers for ""',
    options: API4,
    expect: { headers: { [ACAO]: EX } },
    corsica: { why: 'no-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'Allow origins by function: another origin gets the fixed answer',
    options: API4,
    headers: { origin: 'http://evil-example.com' },
    expect: { headers: { [ACAO]: EX } },
    corsica: { why: 'other-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'Allow origins by promise returning function',
    options: { origin: async (o) => (o.endsWith('.example.com') ? o : EX) },
    headers: { origin: 'http://subdomain.example.com' },
    expect: { headers: { [ACAO]: 'http://subdomain.example.com' } },
  },
  {
    name: 'Allow origins by promise returning function: another origin',
    options: { origin: async (o) => (o.endsWith('.example.com') ? o : EX) },
    headers: { origin: 'http://evil-example.com' },
    expect: { headers: { [ACAO]: EX } },
    corsica: { why: 'other-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'With raw Response object',
    options: {},
    path: '/api/raw',
    expect: { headers: { [ACAO]: '*', vary: null } },
  },
  {
    name: 'Should not return duplicate header values',
    options: { origin: EX },
    app: 'twice',
    headers: ORIGIN,
    expect: { headers: { [ACAO]: EX } },
  },
  {
    name: 'Allow methods by function (as hono sends it: no Access-Control-Request-Method)',
    options: API7,
    method: 'OPTIONS',
    headers: ORIGIN,
    expect: { headers: { [ACAO]: EX, [ACAM]: 'GET,HEAD,POST,PATCH,DELETE' } },
    corsica: { why: 'options-not-preflight', status: 404, headers: { [ACAO]: EX, [ACAM]: null } },
  },
  {
    name: 'Allow methods by function',
    options: API7,
    ...preflight('PATCH'),
    expect: { status: 204, headers: { [ACAO]: EX, [ACAM]: 'GET,HEAD,POST,PATCH,DELETE' } },
  },
  {
    name: 'Allow methods by function: another origin',
    options: API7,
    ...preflight('PATCH', { origin: 'http://example.org' }),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: 'GET,HEAD' } },
  },
  {
    name: 'Allow methods by promise returning function',
    options: API9,
    ...preflight('DELETE'),
    expect: { status: 204, headers: { [ACAO]: EX, [ACAM]: 'GET,HEAD,POST,PATCH,DELETE' } },
  },
  {
    name: 'Allow methods by promise returning function: another origin',
    options: API9,
    ...preflight('DELETE', { origin: 'http://example.org' }),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: 'GET,HEAD' } },
  },
  {
    name: 'Emits the wildcard, not the reflected origin, when credentials is true with wildcard origin',
    options: { origin: '*', credentials: true },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*', [ACAC]: 'true', vary: null } },
    corsica: { why: 'wildcard-with-credentials', throws: /origin '\*' cannot be used with credentials/ },
  },
  {
    name: 'Should not reflect an arbitrary Origin when credentials is true with default origin',
    options: { credentials: true },
    headers: { origin: 'https://attacker.example' },
    expect: { headers: { [ACAO]: '*' } },
    corsica: { why: 'wildcard-with-credentials', throws: /credentials: true needs an explicit origin/ },
  },
  {
    name: 'Options without origin fall back to wildcard default',
    options: { allowMethods: ['GET', 'POST'] },
    expect: { status: 200, headers: { [ACAO]: '*' } },
  },
  {
    name: 'Options without origin fall back to wildcard default: OPTIONS without Origin',
    options: { allowMethods: ['GET', 'POST'] },
    method: 'OPTIONS',
    expect: { status: 204, headers: { [ACAM]: 'GET,POST' } },
    corsica: { why: 'options-not-preflight', status: 404, headers: { [ACAM]: null } },
  },
  {
    name: 'Vary: Origin when the origin function answers "*" (hono 4.13 always varies on a function)',
    options: STAR_OR_SUB,
    headers: { origin: 'http://untrusted-site.com' },
    expect: { headers: { [ACAO]: '*', vary: 'Origin' } },
  },
  {
    name: 'Should set Vary: Origin when dynamic origin function resolves to an explicit origin',
    options: STAR_OR_SUB,
    headers: { origin: 'http://sub.example.com' },
    expect: { headers: { [ACAO]: 'http://sub.example.com', vary: 'Origin' } },
  },
  {
    name: 'A dynamic origin function resolving to null allows nothing',
    options: { origin: () => null },
    headers: { origin: 'http://evil.com' },
    expect: { headers: { [ACAO]: null, vary: 'Origin' } },
  },
  {
    name: 'Preflight Vary when the origin function answers "*" and no header is requested',
    options: STAR_OR_SUB,
    ...preflight('PUT', { origin: 'http://untrusted-site.com' }),
    expect: { status: 204, headers: { [ACAO]: '*', vary: 'Origin' } },
    corsica: { why: 'vary', headers: { vary: 'Origin, Access-Control-Request-Headers' } },
  },
  {
    name: 'Should append Vary: Origin on preflight without overwriting existing Vary headers',
    options: { origin: EX },
    app: 'vary-before',
    ...preflight('PUT', { 'access-control-request-headers': 'X-A' }),
    expect: {
      status: 204,
      headers: { [ACAO]: EX, vary: 'Accept-Encoding, Origin, Access-Control-Request-Headers' },
    },
    corsica: { why: 'reflected-names-lower-case', headers: { [ACAH]: 'x-a' } },
  },
  {
    name: 'allowHeaders: [] (the default) reflects the requested headers',
    options: { origin: EX, allowHeaders: [] },
    ...preflight('PUT', { 'access-control-request-headers': 'X-Api-Key' }),
    expect: { status: 204, headers: { [ACAO]: EX, [ACAH]: 'X-Api-Key' } },
    corsica: { why: 'reflected-names-lower-case', headers: { [ACAH]: 'x-api-key' } },
  },
  {
    name: "hono/cors's two-parameter origin function answers (it once hung)",
    options: { origin: (origin, _c: Context) => (origin === EX ? origin : null) },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: EX } },
  },
  {
    name: 'The origin function gets the context: refused by path',
    options: BY_PATH,
    path: '/private/x',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: null } },
  },
  {
    name: 'The origin function gets the context: allowed by path',
    options: BY_PATH,
    path: '/public/x',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: EX } },
  },
  {
    name: 'The async origin function gets the context, on a preflight',
    options: { origin: async (origin, c: Context) => (c.req.path === '/api/abc' ? origin : undefined) },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAO]: EX, [ACAM]: DEFAULT_METHODS } },
  },
  {
    name: 'An origin function answering "" refuses',
    options: { origin: () => '' },
    headers: ORIGIN,
    expect: { headers: { [ACAO]: null } },
  },
  {
    name: 'An origin function answering true (not a string)',
    options: { origin: (() => true) as unknown as HonoCorsOptions['origin'] },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: 'true' } },
    corsica: { why: 'origin-function-non-string', status: 500, headers: { [ACAO]: null } },
  },
  {
    name: 'A reflecting origin function and Origin: null',
    options: { origin: (origin) => origin },
    headers: { origin: 'null' },
    expect: { headers: { [ACAO]: 'null' } },
    corsica: { why: 'null-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'maxAge: 0 is sent',
    options: { maxAge: 0 },
    ...preflight('PUT'),
    expect: { status: 204, headers: { 'access-control-max-age': '0' } },
  },
  {
    name: 'exposeHeaders on an actual response',
    options: { origin: EX, exposeHeaders: ['X-Total'] },
    headers: ORIGIN,
    expect: { headers: { [ACAO]: EX, [ACEH]: 'X-Total' } },
  },
  {
    name: 'credentials with a list of origins',
    options: { origin: [EX], credentials: true },
    headers: ORIGIN,
    expect: { headers: { [ACAO]: EX, [ACAC]: 'true', vary: 'Origin' } },
  },
  {
    name: 'credentials with a list of origins: a refused origin',
    options: { origin: [EX], credentials: true },
    headers: { origin: 'http://example.net' },
    expect: { headers: { [ACAO]: null, [ACAC]: 'true' } },
    corsica: { why: 'refused-origin-no-header', headers: { [ACAC]: null } },
  },
  {
    name: 'A method outside allowMethods: the list is sent, the browser refuses',
    options: { allowMethods: ['GET'] },
    ...preflight('DELETE'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: 'GET' } },
  },
  {
    name: 'allowMethods() answering something else than an array is an error',
    options: { allowMethods: (() => 'GET') as unknown as HonoCorsOptions['allowMethods'] },
    ...preflight('GET'),
    expect: { status: 500 },
  },
  {
    name: 'allowMethods as a string is ignored by hono/cors',
    options: { allowMethods: 'GET,PUT' as unknown as string[] },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: null } },
    corsica: {
      why: 'allow-methods-string',
      throws: /allowMethods must be an array of methods or a function/,
    },
  },
  {
    name: 'An origin without a scheme never matches',
    options: { origin: 'example.com' },
    headers: { origin: 'https://example.com' },
    expect: { headers: { [ACAO]: null } },
    corsica: { why: 'scheme-less-origin', throws: /'example\.com' has no scheme/ },
  },
  {
    name: 'OPTIONS with Access-Control-Request-Method but no Origin',
    options: {},
    method: 'OPTIONS',
    headers: { 'access-control-request-method': 'PUT' },
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: DEFAULT_METHODS } },
    corsica: { why: 'options-not-preflight', status: 404, headers: { [ACAM]: null } },
  },
];

function appWith(make: () => MiddlewareHandler, shape: Case['app']): Hono {
  const app = new Hono();
  if (shape === 'vary-before') {
    app.use('*', async (c, next) => {
      c.header('Vary', 'Accept-Encoding', { append: true });
      await next();
    });
  }
  app.use('*', make());
  if (shape === 'twice') app.use('*', make());
  app.get('/api/vary-header', () => new Response('{}', { headers: { Vary: 'X-Custom-Vary-Value' } }));
  app.get('/api/raw', () => new Response('{}'));
  app.get('*', (c) => c.json({ success: true }));
  app.onError((_err, c) => c.text('Internal Server Error', 500));
  return app;
}

const peerApp = (c: Case) => appWith(() => honoCors(c.options as Parameters<typeof honoCors>[0]), c.app);
// Warnings are corsica's business, not this table's.
const corsicaApp = (c: Case) => appWith(() => corsica({ ...c.options, silence: true }), c.app);

/** One request, failing fast instead of hanging (an origin function once hung the request). */
async function request(app: Hono, c: Case): Promise<Response> {
  const answer = app.request(`http://localhost${c.path ?? '/api/abc'}`, {
    method: c.method ?? 'GET',
    headers: c.headers ?? {},
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2000);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function check(res: Response, want: Want): void {
  if (want.status !== undefined) assert.equal(res.status, want.status, 'status');
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    assert.equal(res.headers.get(name), value, name);
  }
}

describe('hono/cors itself answers as the table says', () => {
  for (const c of CASES) {
    it(c.name, async () => check(await request(peerApp(c), c), c.expect));
  }
});

describe('corsica/hono answers as hono/cors, but for the listed differences', () => {
  for (const c of CASES) {
    const d = c.corsica;
    const label = d === undefined ? c.name : `${c.name} [differs: ${d.why}]`;
    it(label, async () => {
      const want = corsicaWant(c);
      if (want === null) {
        const expected = (d as { throws: RegExp }).throws;
        assert.throws(
          () => corsica(c.options),
          (err) => err instanceof CorsConfigError && expected.test(err.message),
        );
        return;
      }
      check(await request(corsicaApp(c), c), want);
    });
  }
});

/** The URL a case's request goes to on the in-process Hono app. */
const caseUrl = (c: Case) => `http://localhost${c.path ?? '/api/abc'}`;

const transport =
  (app: Hono): Transport =>
  async (wire) => {
    const res = await app.request(wire.url, {
      method: wire.method,
      headers: wire.headers.map(([n, v]) => [n, v] as [string, string]),
    });
    const pairs: [string, string][] = [];
    res.headers.forEach((value, name) => {
      pairs.push([name, value]);
    });
    return { status: res.status, headers: pairs };
  };

describe('no difference lets a browser read what hono/cors refuses', () => {
  for (const c of CASES) {
    if (c.corsica !== undefined && 'throws' in c.corsica) continue;
    if (pageRequest(c, caseUrl(c), 'omit') === null) continue;
    it(c.name, async () => {
      for (const mode of ['omit', 'include'] as const) {
        const page = pageRequest(c, caseUrl(c), mode)!;
        const ours = await simulateFetch(page, transport(corsicaApp(c)));
        const theirs = await simulateFetch(page, transport(peerApp(c)));
        assertNoWider(ours, theirs, mode, 'hono/cors');
      }
    });
  }
});

describe('what hono/cors never matched warns', () => {
  it('a pattern or RegExp in origin warns CORSICA_WIDER_THAN_PLUGIN at start-up, unless silenced', async () => {
    const seen = (
      await warningsDuring(() => {
        corsica({ origin: ['https://hono-silenced.example', 'https://*.silenced.example'], silence: true });
        corsica({ origin: [EX, 'https://*.hono-compat.example', /^https:\/\/hono-compat\.example$/] });
      })
    )
      .filter((w) => w.code === 'CORSICA_WIDER_THAN_PLUGIN')
      .map((w) => w.message);
    assert.equal(seen.length, 2, seen.join('\n'));
    assert.match(seen[0]!, /'https:\/\/\*\.hono-compat\.example' allows more than one origin.*hono\/cors/);
    assert.match(seen[1]!, /hono-compat.*allows more than one origin/);
  });
});

describe('docs/hono.md lists exactly the differences of the table', () => {
  it('one row per difference id, each used by a case', () => {
    const used = CASES.flatMap((c) => (c.corsica === undefined ? [] : [c.corsica.why]));
    assertDocListsDifferences('docs/hono.md', used, Object.keys(DIFFERENCES));
  });
});
