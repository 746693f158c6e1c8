// One table of cases, expectations as data, run by every adapter on its real framework over real
// HTTP: node:http, Connect, Express 4 and 5, Fastify 4 and 5, Koa 2 and 3, Hono (on
// @hono/node-server), and a fetch handler (corsica/fetch) on the same server.
// Each app has three routes: /ok (200 with X-Total), /boom (throws) and /vary (sets its own Vary).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CorsOptions } from '../../src/policy/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { type RawResponse, send } from '../helpers/http.js';

const APP = 'https://app.example.com';
const LIST: CorsOptions = {
  origin: [APP, 'https://b.example.com'],
  // Written out: each adapter's default is its own plugin's (issue 11), and the table is shared.
  methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  credentials: true,
  exposedHeaders: ['X-Total'],
  maxAge: 600,
};

interface Case {
  readonly name: string;
  readonly options: CorsOptions;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly expect: (res: RawResponse) => void;
  /** Frameworks where the case cannot arise, with why. */
  readonly notOn?: Readonly<Record<string, string>>;
}

const acao = (res: RawResponse) => res.headers['access-control-allow-origin'];
/** The Vary names of an answer, lower case, sorted. */
const varyNames = (res: RawResponse) =>
  String(res.headers.vary ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
    .sort();

const CASES: Case[] = [
  {
    name: 'an allowed origin gets its origin back, credentials, exposed headers and Vary: Origin',
    options: LIST,
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.equal(res.body, 'ok');
      assert.equal(acao(res), APP);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.equal(res.headers['access-control-expose-headers'], 'X-Total');
      assert.equal(res.headers['access-control-max-age'], undefined);
      assert.match(String(res.headers.vary), /Origin/);
    },
  },
  {
    name: 'a refused origin gets no CORS header, and the app still answers',
    options: LIST,
    method: 'GET',
    path: '/ok',
    headers: { origin: 'https://evil.example.net' },
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.deepEqual(
        Object.keys(res.headers).filter((h) => h.startsWith('access-control-')),
        [],
      );
    },
  },
  {
    name: 'a preflight is answered without an OPTIONS route: 204, methods, reflected headers, max-age',
    options: LIST,
    method: 'OPTIONS',
    path: '/ok',
    headers: {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'X-Api-Key',
    },
    expect: (res) => {
      assert.equal(res.status, 204);
      assert.equal(acao(res), APP);
      assert.equal(res.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
      assert.equal(res.headers['access-control-allow-headers'], 'x-api-key');
      assert.equal(res.headers['access-control-max-age'], '600');
      assert.equal(res.headers['access-control-expose-headers'], undefined);
    },
  },
  {
    name: 'a preflight from a refused origin carries no permission',
    options: LIST,
    method: 'OPTIONS',
    path: '/ok',
    headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'PUT' },
    expect: (res) => {
      assert.equal(acao(res), undefined);
      assert.equal(res.headers['access-control-allow-methods'], undefined);
    },
  },
  {
    name: 'an error response still carries the CORS headers, so the page can read the 500',
    options: LIST,
    method: 'GET',
    path: '/boom',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.status, 500);
      assert.equal(acao(res), APP);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
    },
  },
  {
    name: "Vary set by the app is merged with corsica's",
    // node:http has no hook after the handler: `res.setHeader('Vary', x)` replaces what is there,
    // as with the cors package. Express's `res.vary(x)` (and `res.append`) add to it; the README says so.
    notOn: {
      'node:http': 'res.setHeader replaces; use res.vary() or append (README)',
      connect: 'res.setHeader replaces; use res.vary() or append (README)',
      'express 5': 'res.setHeader replaces; use res.vary() or append (README)',
      'express 4': 'res.setHeader replaces; use res.vary() or append (README)',
    },
    options: LIST,
    method: 'GET',
    path: '/vary',
    headers: { origin: APP },
    expect: (res) => {
      const names = String(res.headers.vary)
        .split(',')
        .map((s) => s.trim().toLowerCase());
      assert.ok(names.includes('accept-encoding') && names.includes('origin'), String(res.headers.vary));
    },
  },
  {
    name: 'a Vary set by a middleware before CORS is kept, on actual answers and on preflights (the Hono preflight once lost it)',
    options: LIST,
    method: 'GET',
    path: '/early',
    headers: { origin: APP },
    expect: (res) => assert.deepEqual(varyNames(res), ['accept-encoding', 'origin']),
  },
  {
    name: 'a preflight keeps the Vary a middleware before CORS set',
    notOn: { fetch: 'withCors answers preflights before any handler code runs: nothing sets Vary earlier' },
    options: LIST,
    method: 'OPTIONS',
    path: '/early',
    headers: {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'x-custom',
    },
    expect: (res) => {
      assert.equal(res.status, 204);
      const names = varyNames(res);
      assert.ok(names.includes('accept-encoding') && names.includes('origin'), names.join());
    },
  },
  {
    name: 'an app that sets Access-Control-Allow-Origin itself still sends one value, not two',
    options: LIST,
    method: 'GET',
    path: '/own',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(acao(res), APP);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
    },
  },
  {
    name: "the defaults answer '*' with no Vary",
    options: {},
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(acao(res), '*');
      assert.ok(
        !String(res.headers.vary ?? '')
          .toLowerCase()
          .includes('origin'),
      );
    },
  },
];

for (const [framework, build] of Object.entries(FRAMEWORKS)) {
  describe(`corsica on ${framework}`, () => {
    for (const c of CASES) {
      it(c.name, { skip: c.notOn?.[framework] ?? false }, async () => {
        const running = await build(c.options);
        try {
          c.expect(await send(`${running.url}${c.path}`, c.method, c.headers));
        } finally {
          await running.close();
        }
      });
    }
  });
}
