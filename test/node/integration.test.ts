// corsica/node on real servers over real HTTP: plain node:http, Connect 3, Express 4 and Express 5
// run one shared table of cases, so that every framework is held to the same answers.

import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import { CorsConfigError, type CorsMiddleware, cors } from '../../src/adapters/node/index.js';
import { close, corsHeadersOf, listen, type RawResponse, send } from '../helpers/http.js';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

const APP = 'https://app.example.com';
const OTHER = 'https://other.example.com';
const LIST = { origin: [APP, OTHER], credentials: true, exposedHeaders: ['X-Total-Count'], maxAge: 600 };

/** The application behind the middleware: says what it saw, sets a header a page may want to read. */
function application(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('X-Total-Count', '42');
  res.setHeader('Content-Type', 'text/plain');
  res.end(`app saw ${req.method}`);
}

function errorAnswer(err: unknown, res: ServerResponse): void {
  res.statusCode = 500;
  const name = err instanceof Error ? err.constructor.name : typeof err;
  res.end(`error ${name}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Runs middlewares in order, as the frameworks chain them. */
function chain(...middlewares: Middleware[]): Middleware {
  return (req, res, next) => {
    const step = (i: number, err?: unknown): void => {
      if (err !== undefined) next(err);
      else if (i === middlewares.length) next();
      else middlewares[i]!(req, res, (e) => step(i + 1, e));
    };
    step(0);
  };
}

// Each case installs its middleware here; every server calls whatever is installed.
let installed: Middleware = (_req, _res, next) => next();
const slot: Middleware = (req, res, next) => installed(req, res, next);

function nodeHttp(): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) =>
    slot(req, res, (err) => (err === undefined ? application(req, res) : errorAnswer(err, res)));
}

function connectApp() {
  const app = connect();
  app.use(slot as connect.NextHandleFunction);
  app.use(application as connect.SimpleHandleFunction);
  app.use(((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: Next) =>
    errorAnswer(err, res)) as connect.ErrorHandleFunction);
  return app;
}

function expressApp(factory: typeof express | typeof express4) {
  const app = factory();
  app.use(slot as express.RequestHandler);
  app.use(application as express.RequestHandler);
  app.use(((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
    errorAnswer(err, res)) as express.ErrorRequestHandler);
  return app;
}

const FRAMEWORKS = {
  'node:http': nodeHttp,
  'connect 3': connectApp,
  'express 4': () => expressApp(express4),
  'express 5': () => expressApp(express),
} as const;

interface Case {
  readonly name: string;
  readonly middleware: () => Middleware;
  readonly method: string;
  readonly headers: Record<string, string | string[]>;
  readonly expect: (res: RawResponse) => void;
}

const asMiddleware = (mw: CorsMiddleware): Middleware => mw as Middleware;
const preflightHeaders = (method: string, extra: Record<string, string | string[]> = {}) => ({
  origin: APP,
  'access-control-request-method': method,
  ...extra,
});

const CASES: Case[] = [
  {
    name: 'an allowed origin gets its own origin back, credentials, exposed headers and Vary: Origin',
    middleware: () => asMiddleware(cors(LIST)),
    method: 'GET',
    headers: { origin: OTHER },
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.equal(res.body, 'app saw GET');
      assert.deepEqual(corsHeadersOf(res.headers), {
        'access-control-allow-origin': OTHER,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'X-Total-Count',
      });
      assert.equal(res.headers.vary, 'Origin');
    },
  },
  {
    name: 'a refused origin gets no CORS header at all, Vary: Origin, and the app still answers',
    middleware: () => asMiddleware(cors(LIST)),
    method: 'GET',
    headers: { origin: 'https://evil.example.net' },
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.equal(res.body, 'app saw GET');
      assert.deepEqual(corsHeadersOf(res.headers), {});
      assert.equal(res.headers.vary, 'Origin');
    },
  },
  {
    name: 'a request without Origin gets no CORS header under a list',
    middleware: () => asMiddleware(cors(LIST)),
    method: 'GET',
    headers: {},
    expect: (res) => {
      assert.equal(res.body, 'app saw GET');
      assert.deepEqual(corsHeadersOf(res.headers), {});
    },
  },
  {
    name: "the defaults answer '*' even without Origin, and add no Vary",
    middleware: () => asMiddleware(cors()),
    method: 'GET',
    headers: {},
    expect: (res) => {
      assert.deepEqual(corsHeadersOf(res.headers), { 'access-control-allow-origin': '*' });
      assert.equal(res.headers.vary, undefined);
    },
  },
  {
    name: 'a preflight is answered 204 with an empty body and never reaches the app',
    middleware: () => asMiddleware(cors({ ...LIST, allowedHeaders: ['Content-Type', 'X-Api-Key'] })),
    method: 'OPTIONS',
    headers: preflightHeaders('PUT', { 'access-control-request-headers': 'content-type,x-api-key' }),
    expect: (res) => {
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      assert.equal(res.headers['content-length'], '0');
      assert.deepEqual(corsHeadersOf(res.headers), {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
        'access-control-allow-headers': 'Content-Type,X-Api-Key',
        'access-control-max-age': '600',
      });
      assert.equal(res.headers.vary, 'Origin');
    },
  },
  {
    name: 'optionsSuccessStatus: 200 answers preflights with 200',
    middleware: () => asMiddleware(cors({ origin: APP, optionsSuccessStatus: 200 })),
    method: 'OPTIONS',
    headers: preflightHeaders('PUT'),
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.equal(res.body, '');
    },
  },
  {
    name: 'an OPTIONS request without Access-Control-Request-Method is not a preflight: the app answers it',
    middleware: () => asMiddleware(cors(LIST)),
    method: 'OPTIONS',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.equal(res.body, 'app saw OPTIONS');
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.headers['access-control-allow-methods'], undefined);
    },
  },
  {
    name: 'preflightContinue hands the preflight, with its headers set, to the app',
    middleware: () => asMiddleware(cors({ origin: APP, preflightContinue: true })),
    method: 'OPTIONS',
    headers: preflightHeaders('DELETE'),
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.equal(res.body, 'app saw OPTIONS');
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
    },
  },
  {
    name: 'Vary set earlier is kept and extended, never duplicated',
    middleware: () =>
      chain(
        (_req, res, next) => {
          res.setHeader('Vary', 'Accept-Encoding, origin');
          next();
        },
        asMiddleware(cors({ origin: APP })),
        (_req, res, next) => {
          res.setHeader('X-Vary-Seen', String(res.getHeader('Vary')));
          next();
        },
      ),
    method: 'GET',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.headers['x-vary-seen'], 'Accept-Encoding, origin');
    },
  },
  {
    name: 'Vary set earlier is extended with Origin',
    middleware: () =>
      chain(
        (_req, res, next) => {
          res.setHeader('Vary', 'Accept-Encoding');
          next();
        },
        asMiddleware(cors({ origin: APP })),
      ),
    method: 'GET',
    headers: { origin: APP },
    expect: (res) => assert.equal(res.headers.vary, 'Accept-Encoding, Origin'),
  },
  {
    name: "the request's own Vary header is never copied into the response (hono GHSA-q7jf-gf43-6x6p)",
    middleware: () => asMiddleware(cors({ origin: APP })),
    method: 'GET',
    headers: { origin: APP, vary: 'X-Injected' },
    expect: (res) => assert.equal(res.headers.vary, 'Origin'),
  },
  {
    name: 'Access-Control-Request-Headers over two lines is joined as Node joins it, and both parts are reflected',
    middleware: () => asMiddleware(cors()),
    method: 'OPTIONS',
    headers: preflightHeaders('PUT', { 'access-control-request-headers': ['X-One', 'x-two'] }),
    expect: (res) => {
      assert.equal(res.status, 204);
      assert.equal(res.headers['access-control-allow-headers'], 'x-one,x-two');
      assert.equal(res.headers.vary, 'Access-Control-Request-Headers');
    },
  },
  {
    name: 'a 10 KB Origin gets a plain answer without CORS headers, not a 500',
    middleware: () => asMiddleware(cors({ origin: true })),
    method: 'GET',
    headers: { origin: `https://${'a'.repeat(10_000)}.example.com` },
    expect: (res) => {
      assert.equal(res.status, 200);
      assert.deepEqual(corsHeadersOf(res.headers), {});
    },
  },
  {
    name: 'a malformed Access-Control-Request-Headers gets a refused preflight, not a 500',
    middleware: () => asMiddleware(cors()),
    method: 'OPTIONS',
    headers: preflightHeaders('PUT', { 'access-control-request-headers': `x-a,${','.repeat(500)}x-b` }),
    expect: (res) => {
      assert.equal(res.status, 204);
      assert.deepEqual(corsHeadersOf(res.headers), {});
    },
  },
  {
    name: 'the delegate form gets options per request',
    middleware: () =>
      asMiddleware(cors((req, callback) => callback(null, { origin: req.url === '/open' ? '*' : [APP] }))),
    method: 'GET',
    headers: { origin: OTHER },
    expect: (res) => assert.deepEqual(corsHeadersOf(res.headers), {}),
  },
  {
    name: "a delegate's error goes to next(err)",
    middleware: () => asMiddleware(cors((_req, callback) => callback(new Error('boom')))),
    method: 'GET',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.status, 500);
      assert.equal(res.body, 'error Error: boom');
    },
  },
  {
    name: 'options a delegate gets wrong reach next(err) as a CorsConfigError naming the problem',
    middleware: () =>
      asMiddleware(cors((_req, callback) => callback(null, { origin: '*', credentials: true }))),
    method: 'GET',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.status, 500);
      assert.match(res.body, /^error CorsConfigError: /);
      assert.match(res.body, /credentials/);
    },
  },
  {
    name: 'an async origin function allows what it answers true to',
    middleware: () => asMiddleware(cors({ origin: async (origin: string | undefined) => origin === APP })),
    method: 'GET',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.body, 'app saw GET');
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.headers.vary, 'Origin');
    },
  },
  {
    name: 'a callback origin function refuses what it answers false to',
    middleware: () =>
      asMiddleware(
        cors({
          origin: (origin: string | undefined, callback: (err: Error | null, allow?: boolean) => void) =>
            callback(null, origin === APP),
        }),
      ),
    method: 'GET',
    headers: { origin: OTHER },
    expect: (res) => {
      assert.equal(res.body, 'app saw GET');
      assert.deepEqual(corsHeadersOf(res.headers), {});
    },
  },
  {
    name: "an origin function's failure goes to next(err) with its message",
    middleware: () =>
      asMiddleware(
        cors({
          origin: async () => {
            throw new Error('origin store down');
          },
        }),
      ),
    method: 'GET',
    headers: { origin: APP },
    expect: (res) => {
      assert.equal(res.status, 500);
      assert.equal(res.body, 'error Error: origin store down');
    },
  },
];

describe('corsica/node on real servers', () => {
  const servers: Server[] = [];
  const urls = new Map<string, string>();

  before(async () => {
    for (const [name, make] of Object.entries(FRAMEWORKS)) {
      const { server, url } = await listen(make() as Parameters<typeof listen>[0]);
      servers.push(server);
      urls.set(name, url);
    }
  });

  after(async () => {
    await Promise.all(servers.map(close));
  });

  for (const framework of Object.keys(FRAMEWORKS)) {
    describe(framework, () => {
      for (const c of CASES) {
        it(c.name, async () => {
          installed = c.middleware();
          c.expect(await send(`${urls.get(framework)}/`, c.method, c.headers));
        });
      }
    });
  }

  it('invalid static options throw CorsConfigError when the middleware is made, listing every problem', () => {
    assert.throws(
      () => cors({ origin: ['example.com', '*'], credentials: true }),
      (err: unknown) => {
        assert.ok(err instanceof CorsConfigError);
        assert.match(err.message, /example\.com/);
        assert.ok(err.problems.length >= 2, `problems: ${err.problems.map((p) => p.code).join(', ')}`);
        return true;
      },
    );
  });
});
