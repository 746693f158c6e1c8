// One table of cases for every adapter, expectations as data (request in; status, body, CORS
// headers and Vary out, as jub0bs/cors writes its `respHeaders`), run on each real framework over
// real HTTP: node:http, Connect, Express 4 and 5, Fastify 4 and 5, Koa 2 and 3, Hono (on
// @hono/node-server), and a fetch handler (corsica/fetch). The apps are in test/helpers/frameworks.ts.
// A case that cannot arise on a framework says why in `notOn`, and is reported as skipped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorsConfigError, cors as nodeCors } from '../../src/adapters/node/index.js';
import type { CorsOptions } from '../../src/policy/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { assertResponse, type ExpectedResponse, send } from '../helpers/http.js';

const APP = 'https://app.example.com';
const OTHER = 'https://b.example.com';
const EVIL = 'https://evil.example.net';
const ALL_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';
const LIST: CorsOptions = {
  origin: [APP, OTHER],
  // Written out: each adapter's default is its own plugin's, and the table is shared.
  methods: ALL_METHODS,
  credentials: true,
  exposedHeaders: ['X-Total'],
  maxAge: 600,
};

const NODE_FRAMEWORKS = ['node:http', 'connect', 'express 4', 'express 5'];
/** For cases written in corsica/node's (and cors's) own forms: the other adapters take their peers'. */
function onlyNodeApi(why: string): Readonly<Record<string, string>> {
  const others = Object.keys(FRAMEWORKS).filter((f) => !NODE_FRAMEWORKS.includes(f));
  return Object.fromEntries(others.map((f) => [f, why]));
}
/** The Koa and Hono peers call an origin function with their context, not with (origin, callback). */
const ORIGIN_FUNCTION_WITH_CONTEXT = Object.fromEntries(
  ['koa 3', 'koa 2', 'hono'].map((f) => [
    f,
    'the peer calls the origin function with its context (see *-compat)',
  ]),
);
const DELEGATE =
  "cors's delegate (req, callback) is corsica/node's form; each other adapter takes its peer's (see *-compat)";
const SETHEADER_REPLACES = 'res.setHeader replaces; use res.vary() or append (README)';

interface Case {
  readonly name: string;
  /** Options, or (node adapter only) a delegate in cors's form. */
  readonly options: CorsOptions;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly expect: ExpectedResponse;
  /** Frameworks where the case cannot arise, with why. */
  readonly notOn?: Readonly<Record<string, string>>;
}

const storeDown = async (): Promise<boolean> => {
  throw new Error('origin store down');
};

const preflight = (method: string, extra: Record<string, string | string[]> = {}) => ({
  origin: APP,
  'access-control-request-method': method,
  ...extra,
});

const CASES: Case[] = [
  {
    name: 'an allowed origin gets its origin back, credentials, exposed headers and Vary: Origin',
    options: LIST,
    method: 'GET',
    path: '/ok',
    headers: { origin: OTHER },
    expect: {
      status: 200,
      body: 'ok',
      cors: {
        'access-control-allow-origin': OTHER,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'X-Total',
      },
      vary: ['origin'],
    },
  },
  {
    name: 'a refused origin gets no CORS header, Vary: Origin, and the app still answers',
    options: LIST,
    method: 'GET',
    path: '/ok',
    headers: { origin: EVIL },
    expect: { status: 200, body: 'ok', cors: {}, vary: ['origin'] },
  },
  {
    name: 'a request without Origin gets no CORS header under a list',
    options: LIST,
    method: 'GET',
    path: '/ok',
    headers: {},
    expect: { status: 200, body: 'ok', cors: {} },
  },
  {
    name: "the defaults answer '*' even without Origin, and add no Vary",
    options: {},
    method: 'GET',
    path: '/ok',
    headers: {},
    expect: { body: 'ok', cors: { 'access-control-allow-origin': '*' }, vary: [] },
  },
  {
    name: "the defaults answer '*' to an Origin, with no Vary",
    options: {},
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: { cors: { 'access-control-allow-origin': '*' }, vary: [] },
  },
  {
    name: 'a preflight is answered without an OPTIONS route: 204, empty, methods, reflected headers, max-age',
    options: LIST,
    method: 'OPTIONS',
    path: '/ok',
    headers: preflight('PUT', { 'access-control-request-headers': 'X-Api-Key' }),
    expect: {
      status: 204,
      body: '',
      cors: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': ALL_METHODS,
        'access-control-allow-headers': 'x-api-key',
        'access-control-max-age': '600',
      },
      vary: ['access-control-request-headers', 'origin'],
    },
  },
  {
    name: 'a preflight with listed allowed headers sends the list, and Vary only Origin',
    options: { ...LIST, allowedHeaders: ['Content-Type', 'X-Api-Key'] },
    method: 'OPTIONS',
    path: '/ok',
    headers: preflight('PUT', { 'access-control-request-headers': 'content-type,x-api-key' }),
    expect: {
      status: 204,
      headers: { 'access-control-allow-headers': 'Content-Type,X-Api-Key' },
      vary: ['origin'],
    },
  },
  {
    name: 'a preflight from a refused origin carries no permission',
    options: LIST,
    method: 'OPTIONS',
    path: '/ok',
    headers: { origin: EVIL, 'access-control-request-method': 'PUT' },
    expect: {
      headers: { 'access-control-allow-origin': undefined, 'access-control-allow-methods': undefined },
    },
  },
  {
    name: 'an OPTIONS request without Access-Control-Request-Method is not a preflight: no preflight headers',
    options: LIST,
    method: 'OPTIONS',
    path: '/ok',
    headers: { origin: APP },
    notOn: {
      'koa 3': '@koa/cors gives a non-preflight OPTIONS no CORS header, and so does its drop-in',
      'koa 2': '@koa/cors gives a non-preflight OPTIONS no CORS header, and so does its drop-in',
    },
    expect: {
      headers: { 'access-control-allow-origin': APP, 'access-control-allow-methods': undefined },
    },
  },
  {
    name: 'an error response still carries the CORS headers, so the page can read the 500',
    options: LIST,
    method: 'GET',
    path: '/boom',
    headers: { origin: APP },
    expect: {
      status: 500,
      headers: { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
    },
  },
  {
    name: "Vary set by the app is merged with corsica's",
    // node:http has no hook after the handler: `res.setHeader('Vary', x)` replaces what is there,
    // as with the cors package. Express's `res.vary(x)` (and `res.append`) add to it; the README says so.
    notOn: Object.fromEntries(NODE_FRAMEWORKS.map((f) => [f, SETHEADER_REPLACES])),
    options: LIST,
    method: 'GET',
    path: '/vary',
    headers: { origin: APP },
    expect: { varyIncludes: ['accept-encoding', 'origin'] },
  },
  {
    name: 'a Vary set by a middleware before CORS is kept and extended with Origin',
    options: LIST,
    method: 'GET',
    path: '/early',
    headers: { origin: APP },
    expect: { vary: ['accept-encoding', 'origin'] },
  },
  {
    name: 'a Vary set before CORS that names origin already is kept, Origin never twice',
    options: LIST,
    method: 'GET',
    path: '/early-origin',
    headers: { origin: APP },
    expect: { vary: ['accept-encoding', 'origin'] },
  },
  {
    name: 'a preflight keeps the Vary a middleware before CORS set (the Hono preflight once lost it)',
    notOn: { fetch: 'withCors answers preflights before any handler code runs: nothing sets Vary earlier' },
    options: LIST,
    method: 'OPTIONS',
    path: '/early',
    headers: preflight('PUT', { 'access-control-request-headers': 'x-custom' }),
    expect: { status: 204, varyIncludes: ['accept-encoding', 'origin'] },
  },
  {
    name: 'an app that sets Access-Control-Allow-Origin itself still sends one value, not two',
    options: LIST,
    method: 'GET',
    path: '/own',
    headers: { origin: APP },
    expect: {
      headers: { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
    },
  },
  {
    name: "the request's own Vary header is never copied into the response (hono GHSA-q7jf-gf43-6x6p)",
    options: { origin: APP },
    method: 'GET',
    path: '/ok',
    headers: { origin: APP, vary: 'X-Injected' },
    expect: { vary: ['origin'] },
  },
  {
    name: 'Access-Control-Request-Headers over two lines: both parts are reflected',
    options: {},
    method: 'OPTIONS',
    path: '/ok',
    headers: preflight('PUT', { 'access-control-request-headers': ['X-One', 'x-two'] }),
    expect: {
      status: 204,
      headers: { 'access-control-allow-headers': 'x-one,x-two' },
      vary: ['access-control-request-headers'],
    },
  },
  {
    name: 'a 10 KB Origin gets a plain answer without CORS headers, not a 500',
    options: { origin: true },
    method: 'GET',
    path: '/ok',
    headers: { origin: `https://${'a'.repeat(10_000)}.example.com` },
    expect: { status: 200, cors: {} },
  },
  {
    name: 'a malformed Access-Control-Request-Headers gets a refused preflight, not a 500',
    options: {},
    method: 'OPTIONS',
    path: '/ok',
    headers: preflight('PUT', { 'access-control-request-headers': `x-a,${','.repeat(500)}x-b` }),
    expect: { status: 204, cors: {} },
  },
  {
    name: 'optionsSuccessStatus: 200 answers preflights with 200',
    notOn: {
      ...onlyNodeApi('cors and @fastify/cors options; the Koa and Hono peers have no such option'),
      'fastify 5': 'tested in fastify-compat (the plugin’s own option)',
      'fastify 4': 'tested in fastify-compat (the plugin’s own option)',
    },
    options: { origin: APP, optionsSuccessStatus: 200 },
    method: 'OPTIONS',
    path: '/ok',
    headers: preflight('PUT'),
    expect: { status: 200, body: '' },
  },
  {
    name: 'preflightContinue hands the preflight, with its headers set, to the app',
    notOn: onlyNodeApi('a cors option: the app after the middleware answers OPTIONS'),
    options: { origin: APP, preflightContinue: true },
    method: 'OPTIONS',
    path: '/ok',
    headers: preflight('DELETE'),
    expect: {
      status: 200,
      body: 'ok',
      headers: { 'access-control-allow-origin': APP, 'access-control-allow-methods': ALL_METHODS },
    },
  },
  {
    name: 'the delegate form gets options per request',
    notOn: onlyNodeApi(DELEGATE),
    options: ((req: { url?: string }, callback: (err: Error | null, o?: CorsOptions) => void) =>
      callback(null, { origin: req.url === '/open' ? '*' : [APP] })) as never,
    method: 'GET',
    path: '/ok',
    headers: { origin: OTHER },
    expect: { body: 'ok', cors: {} },
  },
  {
    name: "a delegate's error goes to next(err)",
    notOn: onlyNodeApi(DELEGATE),
    options: ((_req: unknown, callback: (err: Error) => void) => callback(new Error('boom'))) as never,
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: { status: 500, body: 'error Error: boom' },
  },
  {
    name: 'options a delegate gets wrong reach next(err) as a CorsConfigError naming the problem',
    notOn: onlyNodeApi(DELEGATE),
    options: ((_req: unknown, callback: (err: null, o: CorsOptions) => void) =>
      callback(null, { origin: '*', credentials: true })) as never,
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: { status: 500, body: /^error CorsConfigError: .*credentials/s },
  },
  {
    name: 'an async origin function allows what it answers true to',
    notOn: ORIGIN_FUNCTION_WITH_CONTEXT,
    options: { origin: async (origin: string | undefined) => origin === APP },
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: { body: 'ok', headers: { 'access-control-allow-origin': APP }, vary: ['origin'] },
  },
  {
    name: 'a callback origin function refuses what it answers false to',
    notOn: ORIGIN_FUNCTION_WITH_CONTEXT,
    options: {
      origin: (origin: string | undefined, callback: (err: Error | null, allow?: boolean) => void) =>
        callback(null, origin === APP),
    },
    method: 'GET',
    path: '/ok',
    headers: { origin: OTHER },
    expect: { body: 'ok', cors: {} },
  },
  {
    name: "an origin function's failure is the framework's 500, never an allowed answer",
    notOn: ORIGIN_FUNCTION_WITH_CONTEXT,
    options: { origin: storeDown },
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: { status: 500, headers: { 'access-control-allow-origin': undefined } },
  },
  {
    name: "an origin function's failure goes to next(err) with its message",
    notOn: onlyNodeApi('next(err) is the connect-style chain; the other frameworks answer 500 their own way'),
    options: { origin: storeDown },
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: { status: 500, body: 'error Error: origin store down' },
  },
];

for (const [framework, build] of Object.entries(FRAMEWORKS)) {
  describe(`corsica on ${framework}`, () => {
    for (const c of CASES) {
      it(c.name, { skip: c.notOn?.[framework] ?? false }, async () => {
        const running = await build(c.options);
        try {
          assertResponse(await send(`${running.url}${c.path}`, c.method, c.headers), c.expect);
        } finally {
          await running.close();
        }
      });
    }
  });
}

it('invalid static options throw CorsConfigError when the middleware is made, listing every problem', () => {
  assert.throws(
    () => nodeCors({ origin: ['example.com', '*'], credentials: true }),
    (err: unknown) => {
      assert.ok(err instanceof CorsConfigError);
      assert.match(err.message, /example\.com/);
      assert.ok(err.problems.length >= 2, `problems: ${err.problems.map((p) => p.code).join(', ')}`);
      return true;
    },
  );
});
