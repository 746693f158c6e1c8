// @koa/cors 5's behaviour as data, run against @koa/cors itself (which proves the table) and against
// corsica/koa on real Koa 3 and Koa 2, over HTTP. @koa/cors ships no tests in its npm package: the
// cases are its own (koajs/cors test/cors.test.js, named after them, with v5's `'*'` default), its
// README and its source (@koa/cors/index.js). Where corsica answers differently on purpose, the
// case says so with a difference id; docs/koa.md lists the same ids, and no difference may let a
// browser read what @koa/cors refuses (checked with corsica's browser model on both servers).

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { describe, it } from 'node:test';
import koaCors from '@koa/cors';
import Koa from 'koa';
import Koa2 from 'koa2';
import { CorsConfigError, cors as corsica, type KoaCorsOptions } from '../../src/adapters/koa/index.js';
import { simulateFetch, type Transport } from '../../src/browser/index.js';
import { close, type RawResponse, send } from '../helpers/http.js';
import {
  assertDocListsDifferences,
  assertNoWider,
  corsicaWant,
  type PeerCase,
  pageRequest,
  type Want,
} from '../helpers/peer-compare.js';
import { warningsDuring } from '../helpers/warnings.js';

/** Why corsica answers differently; each id is a row of docs/koa.md's differences table. */
const DIFFERENCES = {
  'options-not-preflight':
    'An OPTIONS request is a preflight only with Origin and Access-Control-Request-Method (https://fetch.spec.whatwg.org/#http-requests); others reach the routes.',
  'wildcard-with-credentials':
    "'*' with credentials is refused, where @koa/cors reflects every origin with credentials (https://fetch.spec.whatwg.org/#cors-check, pitfall 7).",
  'scheme-less-origin': 'An origin without a scheme never matches what browsers send: refused at start-up.',
  'reflected-names-lower-case':
    'Reflected request headers are parsed as a header list and answered lower-case (names are case-insensitive).',
  'refused-origin-no-header': 'A refused origin gets no CORS header, not the configured origin.',
  'no-origin':
    'A request without Origin is not a CORS request: no header (but * under origin "*"), no origin(ctx) call.',
  'other-origin':
    'origin(ctx) answering another origin: browsers refuse that value anyway (https://fetch.spec.whatwg.org/#cors-check); corsica sends none.',
  'null-origin': "The 'null' origin is refused unless allowNullOrigin: any page can send it.",
  vary: 'Vary names what the answer depends on: no Vary: Origin under origin "*".',
  'origin-function-non-string':
    'origin(ctx) answering a non-string truthy value: a TypeError (500) that says so.',
  'refused-preflight-answered':
    'A preflight origin(ctx) refuses is ended (204, no CORS header), not passed to the routes.',
  'origin-false': "origin: false turns CORS off, where @koa/cors falls back to its default '*'.",
} as const;
type Difference = keyof typeof DIFFERENCES;

/** `vary-before`: an earlier middleware sets Vary: Accept-Encoding. (`/boom` sets X-Example and throws.) */
type Case = PeerCase<KoaCorsOptions, Difference, 'vary-before'>;

const KOAJS = 'http://koajs.com';
const ORIGIN = { origin: KOAJS };
const preflight = (method: string, extra: Record<string, string> = {}) => ({
  method: 'OPTIONS',
  headers: { origin: KOAJS, 'access-control-request-method': method, ...extra },
});
const FORBIN: KoaCorsOptions = { origin: (ctx) => (ctx.url === '/forbin' ? false : '*') };
const REFLECT: KoaCorsOptions = { origin: (ctx) => ctx.get('Origin') };
const BY_PATH: KoaCorsOptions = {
  origin: (ctx) => (ctx.path.startsWith('/private') ? false : ctx.get('Origin')),
};
const CRED_BY_PATH: KoaCorsOptions = { origin: KOAJS, credentials: (ctx) => ctx.path === '/cred' };
const DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';
const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACEH = 'access-control-expose-headers';
const MAX_AGE = 'access-control-max-age';
const COOP = 'cross-origin-opener-policy';
const COEP = 'cross-origin-embedder-policy';

const CASES: readonly Case[] = [
  {
    name: 'default options: `Access-Control-Allow-Origin` is `*` when request Origin header missing',
    options: {},
    expect: { status: 200, headers: { [ACAO]: '*' } },
  },
  {
    name: 'default options: `Access-Control-Allow-Origin` is `*` for a request with Origin',
    options: {},
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*' } },
  },
  {
    name: 'default options: should 204 on Preflight Request',
    options: {},
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: DEFAULT_METHODS } },
  },
  {
    name: 'default options: should not Preflight Request if request missing Access-Control-Request-Method',
    options: {},
    method: 'OPTIONS',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: null, [ACAM]: null } },
  },
  {
    name: 'default options: should always set `Vary` to Origin',
    options: {},
    headers: ORIGIN,
    expect: { status: 200, headers: { vary: 'Origin' } },
    corsica: { why: 'vary', headers: { vary: null } },
  },
  {
    name: 'default options: OPTIONS with Access-Control-Request-Method but no Origin',
    options: {},
    method: 'OPTIONS',
    headers: { 'access-control-request-method': 'PUT' },
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: DEFAULT_METHODS } },
    corsica: { why: 'options-not-preflight', status: 200, headers: { [ACAM]: null } },
  },
  {
    name: 'options.origin=*: should always set `Access-Control-Allow-Origin` to *',
    options: { origin: '*' },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*' } },
  },
  {
    name: 'options.origin=function: should disable cors (corsica once answered *)',
    options: FORBIN,
    path: '/forbin',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: null } },
  },
  {
    name: 'options.origin=function: should set access-control-allow-origin to *',
    options: FORBIN,
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*' } },
  },
  {
    name: 'options.origin=async function: should disable cors',
    options: { origin: async (ctx) => (ctx.url === '/forbin' ? false : '*') },
    path: '/forbin',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: null } },
  },
  {
    name: 'options.origin=async function: should set access-control-allow-origin to *',
    options: { origin: async (ctx) => (ctx.url === '/forbin' ? false : '*') },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*' } },
  },
  {
    name: 'options.origin=function gets ctx: refused by path',
    options: BY_PATH,
    path: '/private/x',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: null, vary: 'Origin' } },
  },
  {
    name: 'options.origin=function gets ctx: allowed by path',
    options: BY_PATH,
    path: '/public/x',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS, vary: 'Origin' } },
  },
  {
    name: 'options.origin=function refusing a preflight: @koa/cors hands it to the routes',
    options: FORBIN,
    path: '/forbin',
    ...preflight('PUT'),
    expect: { status: 200, headers: { [ACAO]: null, [ACAM]: null } },
    corsica: { why: 'refused-preflight-answered', status: 204 },
  },
  {
    name: "README (4.0 behaviour): origin(ctx) { return ctx.get('Origin') || '*' }",
    options: { origin: (ctx) => ctx.get('Origin') || '*' },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS } },
  },
  {
    name: "README (4.0 behaviour): origin(ctx) { return ctx.get('Origin') || '*' }, without Origin",
    options: { origin: (ctx) => ctx.get('Origin') || '*' },
    expect: { status: 200, headers: { [ACAO]: '*' } },
    corsica: { why: 'no-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'origin(ctx) answering another origin',
    options: { origin: () => 'https://other.example' },
    headers: ORIGIN,
    expect: { headers: { [ACAO]: 'https://other.example' } },
    corsica: { why: 'other-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'origin(ctx) answering true (not a string)',
    options: { origin: (() => true) as unknown as KoaCorsOptions['origin'] },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: 'true' } },
    corsica: { why: 'origin-function-non-string', status: 500, headers: { [ACAO]: null } },
  },
  {
    name: 'origin(ctx) reflecting, and Origin: null',
    options: REFLECT,
    headers: { origin: 'null' },
    expect: { headers: { [ACAO]: 'null' } },
    corsica: { why: 'null-origin', headers: { [ACAO]: null } },
  },
  {
    name: 'options.origin=string: the origin itself',
    options: { origin: KOAJS },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS } },
  },
  {
    name: 'options.origin=string: another origin gets the configured one',
    options: { origin: KOAJS },
    headers: { origin: 'http://evil.example' },
    expect: { status: 200, headers: { [ACAO]: KOAJS } },
    corsica: { why: 'refused-origin-no-header', headers: { [ACAO]: null } },
  },
  {
    name: 'options.origin=string: without Origin',
    options: { origin: KOAJS },
    expect: { status: 200, headers: { [ACAO]: KOAJS } },
    corsica: { why: 'no-origin', headers: { [ACAO]: null } },
  },
  {
    name: "options.origin=false falls back to @koa/cors's default '*'",
    options: { origin: false },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: '*' } },
    corsica: { why: 'origin-false', headers: { [ACAO]: null } },
  },
  {
    name: 'an origin without a scheme is sent as it is',
    options: { origin: 'koajs.com' },
    headers: ORIGIN,
    expect: { headers: { [ACAO]: 'koajs.com' } },
    corsica: { why: 'scheme-less-origin', throws: /'koajs\.com' has no scheme/ },
  },
  {
    name: 'options.exposeHeaders: `content-length`',
    options: { exposeHeaders: 'content-length' },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACEH]: 'content-length' } },
  },
  {
    name: 'options.exposeHeaders: should work with array',
    options: { exposeHeaders: ['content-length', 'x-header'] },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACEH]: 'content-length,x-header' } },
  },
  {
    name: 'options.exposeHeaders: not on a preflight',
    options: { exposeHeaders: ['x-header'] },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACEH]: null } },
  },
  {
    name: 'options.maxAge: should set maxAge with number',
    options: { maxAge: 3600 },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [MAX_AGE]: '3600' } },
  },
  {
    name: 'options.maxAge: should set maxAge with string',
    options: { maxAge: '3600' },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [MAX_AGE]: '3600' } },
  },
  {
    name: 'options.maxAge: should not set maxAge on simple request',
    options: { maxAge: '3600' },
    headers: ORIGIN,
    expect: { status: 200, headers: { [MAX_AGE]: null } },
  },
  {
    name: 'options.maxAge: 0 sends none',
    options: { maxAge: 0 },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [MAX_AGE]: null } },
  },
  {
    name: "options.credentials: with the default origin, the request's origin is reflected with credentials",
    options: { credentials: true },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS, [ACAC]: 'true' } },
    corsica: { why: 'wildcard-with-credentials', throws: /credentials: true needs an explicit origin/ },
  },
  {
    name: 'options.credentials: should enable Access-Control-Allow-Credentials on Simple request',
    options: { ...REFLECT, credentials: true },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS, [ACAC]: 'true' } },
  },
  {
    name: 'options.credentials: should enable Access-Control-Allow-Credentials on Preflight request',
    options: { ...REFLECT, credentials: true },
    ...preflight('DELETE'),
    expect: { status: 204, headers: { [ACAO]: KOAJS, [ACAC]: 'true' } },
  },
  {
    name: "origin(ctx) answering '*' with credentials: @koa/cors reflects the origin",
    options: { origin: () => '*', credentials: true },
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS, [ACAC]: 'true' } },
    corsica: { why: 'wildcard-with-credentials', status: 500, headers: { [ACAO]: null, [ACAC]: null } },
  },
  {
    name: 'options.credentials=function (refused at start-up): true',
    options: CRED_BY_PATH,
    path: '/cred',
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS, [ACAC]: 'true' } },
  },
  {
    name: 'options.credentials=function: false',
    options: CRED_BY_PATH,
    headers: ORIGIN,
    expect: { status: 200, headers: { [ACAO]: KOAJS, [ACAC]: null } },
  },
  {
    name: 'options.credentials=async function, on a preflight',
    options: { origin: KOAJS, credentials: async () => true },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAO]: KOAJS, [ACAC]: 'true' } },
  },
  {
    name: 'options.allowHeaders: should work with allowHeaders is string',
    options: { allowHeaders: 'X-PINGOTHER' },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAH]: 'X-PINGOTHER' } },
  },
  {
    name: 'options.allowHeaders: should work with allowHeaders is array',
    options: { allowHeaders: ['X-PINGOTHER'] },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAH]: 'X-PINGOTHER' } },
  },
  {
    name: 'options.allowHeaders: should set Access-Control-Allow-Headers to request access-control-request-headers header',
    options: {},
    ...preflight('PUT', { 'access-control-request-headers': 'X-PINGOTHER' }),
    expect: { status: 204, headers: { [ACAH]: 'X-PINGOTHER' } },
    corsica: { why: 'reflected-names-lower-case', headers: { [ACAH]: 'x-pingother' } },
  },
  {
    name: 'options.allowHeaders: an empty list reflects too',
    options: { allowHeaders: [] },
    ...preflight('PUT', { 'access-control-request-headers': 'X-PINGOTHER' }),
    expect: { status: 204, headers: { [ACAH]: 'X-PINGOTHER' } },
    corsica: { why: 'reflected-names-lower-case', headers: { [ACAH]: 'x-pingother' } },
  },
  {
    name: 'options.allowMethods: should work with allowMethods is array',
    options: { allowMethods: ['GET', 'POST'] },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAM]: 'GET,POST' } },
  },
  {
    name: 'options.allowMethods: should skip allowMethods (null; corsica once sent the full list)',
    options: { allowMethods: null },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: null } },
  },
  {
    name: 'options.allowMethods: an empty list is skipped too',
    options: { allowMethods: [] },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAM]: null } },
  },
  {
    name: 'options.allowMethods: a method outside the list: the list is sent, the browser refuses',
    options: { allowMethods: ['GET'] },
    ...preflight('DELETE'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: 'GET' } },
  },
  {
    name: 'options.headersKeptOnError: should keep CORS headers after an error, and not unrelated ones',
    options: {},
    path: '/boom',
    headers: ORIGIN,
    expect: { status: 500, headers: { [ACAO]: '*', 'x-example': null } },
  },
  {
    name: 'options.headersKeptOnError: should not affect OPTIONS requests',
    options: {},
    path: '/boom',
    ...preflight('PUT'),
    expect: { status: 204, headers: { [ACAO]: '*' } },
  },
  {
    name: 'options.headersKeptOnError: should not keep CORS headers after an error if keepHeadersOnError is false',
    options: { keepHeadersOnError: false },
    path: '/boom',
    headers: ORIGIN,
    expect: { status: 500, headers: { [ACAO]: null } },
  },
  {
    name: 'options.headersKeptOnError: Vary: Origin is kept on errors',
    options: { origin: KOAJS },
    path: '/boom',
    headers: ORIGIN,
    expect: { status: 500, headers: { [ACAO]: KOAJS, vary: 'Origin' } },
  },
  {
    name: 'other middleware has set `Vary` to Accept-Encoding: should append Origin',
    options: { origin: KOAJS },
    app: 'vary-before',
    headers: ORIGIN,
    expect: { status: 200, headers: { vary: 'Accept-Encoding, Origin' } },
  },
  {
    name: "other middleware has set `Vary` to Accept-Encoding, origin '*'",
    options: {},
    app: 'vary-before',
    headers: ORIGIN,
    expect: { status: 200, headers: { vary: 'Accept-Encoding, Origin' } },
    corsica: { why: 'vary', headers: { vary: 'Accept-Encoding' } },
  },
  {
    name: 'options.secureContext=true: on a simple request',
    options: { secureContext: true },
    headers: ORIGIN,
    expect: { status: 200, headers: { [COOP]: 'same-origin', [COEP]: 'require-corp' } },
  },
  {
    name: 'options.secureContext=true: on a preflight',
    options: { secureContext: true },
    ...preflight('PUT'),
    expect: { status: 204, headers: { [COOP]: 'same-origin', [COEP]: 'require-corp' } },
  },
  {
    name: 'options.secureContext=true: not where origin(ctx) said no',
    options: { ...FORBIN, secureContext: true },
    path: '/forbin',
    headers: ORIGIN,
    expect: { status: 200, headers: { [COOP]: null, [COEP]: null } },
  },
  {
    name: 'options.secureContext=true: kept on errors',
    options: { secureContext: true },
    path: '/boom',
    headers: ORIGIN,
    expect: { status: 500, headers: { [COOP]: 'same-origin', [COEP]: 'require-corp' } },
  },
  {
    name: 'options.secureContext=false: none',
    options: { secureContext: false },
    headers: ORIGIN,
    expect: { status: 200, headers: { [COOP]: null, [COEP]: null } },
  },
  {
    name: 'options.privateNetworkAccess: answers Access-Control-Request-Private-Network',
    options: { privateNetworkAccess: true },
    ...preflight('PUT', { 'access-control-request-private-network': 'true' }),
    expect: { status: 204, headers: { 'access-control-allow-private-network': 'true' } },
  },
  {
    name: 'options.privateNetworkAccess: not when the preflight does not ask',
    options: { privateNetworkAccess: true },
    ...preflight('PUT'),
    expect: { status: 204, headers: { 'access-control-allow-private-network': null } },
  },
  {
    name: 'options.privateNetworkAccess: not on an actual request',
    options: { privateNetworkAccess: true },
    headers: { ...ORIGIN, 'access-control-request-private-network': 'true' },
    expect: { status: 200, headers: { 'access-control-allow-private-network': null } },
  },
];

type KoaFactory = typeof Koa;
type Middleware = Parameters<Koa['use']>[0];

async function serve(factory: KoaFactory, middleware: () => Middleware, shape: Case['app']) {
  const app = new factory();
  app.silent = true;
  if (shape === 'vary-before') {
    app.use(async (ctx, next) => {
      ctx.set('Vary', 'Accept-Encoding');
      await next();
    });
  }
  app.use(middleware());
  app.use((ctx) => {
    ctx.body = { foo: 'bar' };
    if (ctx.path === '/boom') {
      ctx.set('X-Example', 'Value');
      throw new Error('Whoops!');
    }
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => close(server) };
}

const peer = (c: Case, factory: KoaFactory = Koa) =>
  serve(factory, () => koaCors(c.options as koaCors.Options) as Middleware, c.app);
// Warnings are corsica's business, not this table's.
const ours = (c: Case, factory: KoaFactory = Koa) =>
  serve(factory, () => corsica({ ...c.options, silence: true }) as unknown as Middleware, c.app);

/** One request, failing fast instead of hanging. */
async function request(base: string, c: Case): Promise<RawResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2000);
  });
  try {
    return await Promise.race([
      send(`${base}${c.path ?? '/'}`, c.method ?? 'GET', { ...c.headers }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function check(res: RawResponse, want: Want): void {
  if (want.status !== undefined) assert.equal(res.status, want.status, 'status');
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    assert.equal(res.headers[name] ?? null, value, name);
  }
}

async function run(start: () => Promise<{ url: string; close(): Promise<void> }>, c: Case, want: Want) {
  const app = await start();
  try {
    check(await request(app.url, c), want);
  } finally {
    await app.close();
  }
}

for (const [label, factory] of [
  ['Koa 3', Koa],
  ['Koa 2', Koa2 as unknown as KoaFactory],
] as const) {
  describe(`@koa/cors itself answers as the table says, on ${label}`, () => {
    for (const c of CASES) it(c.name, () => run(() => peer(c, factory), c, c.expect));
  });

  describe(`corsica/koa answers as @koa/cors, but for the listed differences, on ${label}`, () => {
    for (const c of CASES) {
      const d = c.corsica;
      it(d === undefined ? c.name : `${c.name} [differs: ${d.why}]`, async () => {
        const want = corsicaWant(c);
        if (want === null) {
          const expected = (d as { throws: RegExp }).throws;
          assert.throws(
            () => corsica(c.options),
            (err) => err instanceof CorsConfigError && expected.test(err.message),
          );
          return;
        }
        await run(() => ours(c, factory), c, want);
      });
    }
  });
}

/** What a page would have fetched to cause this request: the preflight's method and headers, or the request itself. */
const transport: Transport = async (wire) => {
  const res = await send(wire.url, wire.method, Object.fromEntries(wire.headers));
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) pairs.push([name, v]);
  }
  return { status: res.status, headers: pairs };
};

describe('no difference lets a browser read what @koa/cors refuses', () => {
  for (const c of CASES) {
    if (c.corsica !== undefined && 'throws' in c.corsica) continue;
    if (c.headers?.origin === undefined) continue;
    it(c.name, async () => {
      const [a, b] = await Promise.all([ours(c), peer(c)]);
      try {
        for (const mode of ['omit', 'include'] as const) {
          const mine = await simulateFetch(pageRequest(c, `${a.url}${c.path ?? '/'}`, mode)!, transport);
          const theirs = await simulateFetch(pageRequest(c, `${b.url}${c.path ?? '/'}`, mode)!, transport);
          assertNoWider(mine, theirs, mode, '@koa/cors');
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }
});

describe('what @koa/cors never matched warns', () => {
  it('a pattern, a RegExp or true as origin warns CORSICA_WIDER_THAN_PLUGIN at start-up, unless silenced', async () => {
    const seen = (
      await warningsDuring(() => {
        corsica({ origin: 'https://*.koa-silenced.example', silence: ['CORSICA_WIDER_THAN_PLUGIN'] });
        corsica({ origin: 'https://*.koa-compat.example' });
        corsica({ origin: [/^https:\/\/koa-compat\.example$/] });
        corsica({ origin: true });
        corsica({ origin: ['https://koa-compat.example'] });
      })
    )
      .filter((w) => w.code === 'CORSICA_WIDER_THAN_PLUGIN')
      .map((w) => w.message);
    assert.equal(seen.length, 3, seen.join('\n'));
    assert.match(seen[0]!, /'https:\/\/\*\.koa-compat\.example' allows more than one origin.*@koa\/cors/);
    assert.match(seen[1]!, /koa-compat.*allows more than one origin/);
    assert.match(seen[2]!, /origin: true allows more than one origin/);
  });
});

describe('docs/koa.md lists exactly the differences of the table', () => {
  it('one row per difference id, each used by a case', () => {
    const used = CASES.flatMap((c) => (c.corsica === undefined ? [] : [c.corsica.why]));
    assertDocListsDifferences('docs/koa.md', used, Object.keys(DIFFERENCES));
  });
});
