// corsica/fastify keeps @fastify/cors's meanings: each test is a bug found by running
// @fastify/cors's own suite against corsica/fastify, on Fastify 5 and 4 over real HTTP. A request
// that never gets an answer fails here within seconds instead of hanging the run.

import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import Fastify4 from 'fastify4';
// A namespace import, so that this file also loads (and fails test by test) against a version of
// the plugin without the `cors` export.
import * as plugin from '../../src/adapters/fastify/index.js';

const { default: fastifyCors, CorsConfigError } = plugin;

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const PREFLIGHT = { origin: APP, 'access-control-request-method': 'PUT' };

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request on its own connection; no answer within two seconds is a failure, not a hang. */
function send(url: string, method: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${url} within 2 s (a hang)`)));
    req.on('error', reject);
    req.end();
  });
}

type Factory = (options: { logger: false }) => FastifyInstance;
const VERSIONS: [string, Factory][] = [
  ['fastify 5', Fastify as unknown as Factory],
  ['fastify 4', Fastify4 as unknown as Factory],
];

/** An app with the plugin and GET /t, listening on a real port; closed when the test ends. */
async function start(
  t: TestContext,
  factory: Factory,
  register: (app: FastifyInstance) => unknown,
  routes?: (app: FastifyInstance) => void,
): Promise<{ url: string; app: FastifyInstance }> {
  const app = factory({ logger: false });
  t.after(() => app.close());
  await register(app);
  app.get('/t', async () => 't');
  routes?.(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/t`, app };
}

const acao = (a: Answer) => a.headers['access-control-allow-origin'];

/** Registration must fail with CorsConfigError naming `code`. */
async function refused(factory: Factory, options: unknown, code: string): Promise<void> {
  const app = factory({ logger: false });
  try {
    await assert.rejects(
      async () => {
        await app.register(fastifyCors as never, options as never);
        await app.ready();
      },
      (err: unknown) => {
        assert.ok(err instanceof CorsConfigError, `CorsConfigError, not ${String(err)}`);
        assert.ok(
          err.problems.some((p) => p.code === code),
          `${code} in ${err.problems.map((p) => p.code).join(', ')}`,
        );
        return true;
      },
    );
  } finally {
    await app.close().catch(() => {});
  }
}

for (const [version, factory] of VERSIONS) {
  describe(`corsica/fastify keeps @fastify/cors's meaning on ${version}`, () => {
    it('bug 1: register(cors, () => delegator) uses the delegator (it failed open with * to every origin)', async (t) => {
      const delegator = (req: { headers: Record<string, unknown> }, cb: (e: null, o: object) => void) =>
        cb(null, { origin: req.headers.origin === APP ? [APP] : false });
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors as never, (() => delegator) as never),
      );
      assert.equal(acao(await send(url, 'GET', { origin: APP })), APP);
      const evil = await send(url, 'GET', { origin: EVIL });
      assert.equal(evil.status, 200);
      assert.equal(acao(evil), undefined);
    });

    it('bug 1: register(cors, (instance) => options) gets the instance and uses the options', async (t) => {
      let given: unknown;
      const { url, app } = await start(t, factory, (a) =>
        a.register(
          fastifyCors as never,
          ((instance: unknown) => {
            given = instance;
            return { origin: [APP] };
          }) as never,
        ),
      );
      assert.ok(given === app, 'the outer function gets the Fastify instance');
      assert.equal(acao(await send(url, 'GET', { origin: APP })), APP);
      assert.equal(acao(await send(url, 'GET', { origin: EVIL })), undefined);
    });

    it('bug 2: a promise delegator answers (it hung), and options it resolves apply', async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors, { delegator: async () => ({ origin: [APP], cacheControl: 60 }) }),
      );
      const actual = await send(url, 'GET', { origin: APP });
      assert.equal(acao(actual), APP);
      assert.equal(actual.headers.vary, 'Origin');
      const pre = await send(url, 'OPTIONS', { origin: APP, 'access-control-request-method': 'GET' });
      assert.equal(pre.status, 204);
      assert.equal(acao(pre), APP);
      assert.equal(pre.headers['cache-control'], 'max-age=60', "a delegator's cacheControl is honoured");
    });

    it('bug 2: a delegator that returns options instead of calling back answers 500 (it hung)', async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(
          fastifyCors as never,
          {
            delegator: (_req: unknown, _cb: unknown) => ({ origin: [APP] }),
          } as never,
        ),
      );
      const res = await send(url, 'GET', { origin: APP });
      assert.equal(res.status, 500);
      assert.equal(acao(res), undefined);
    });

    it('bug 2: a delegator without a callback that returns plain options, or calls back no options, answers 500', async (t) => {
      const plain = await start(t, factory, (app) =>
        app.register(fastifyCors as never, { delegator: () => ({ origin: [APP] }) } as never),
      );
      assert.equal((await send(plain.url, 'GET', { origin: APP })).status, 500);
      const empty = await start(t, factory, (app) =>
        app.register(
          fastifyCors as never,
          { delegator: (_r: unknown, cb: (e: null) => void) => cb(null) } as never,
        ),
      );
      const res = await send(empty.url, 'GET', { origin: EVIL });
      assert.equal(res.status, 500, 'no options is an error, not the default *');
      assert.equal(acao(res), undefined);
    });

    it("bug 6: cacheControl: true fails register with CorsConfigError (it was sent as 'Cache-Control: true')", async () => {
      await refused(factory, { cacheControl: true }, 'CACHE_CONTROL_INVALID');
      await refused(factory, { cacheControl: -1 }, 'CACHE_CONTROL_INVALID');
      await refused(factory, { cacheControl: 'max-age=1\r\nSet-Cookie: a=b' }, 'CACHE_CONTROL_INVALID');
    });

    it("bug 8: the default methods are @fastify/cors's GET,HEAD,POST (it allowed PUT, PATCH and DELETE)", async (t) => {
      const { url } = await start(t, factory, (app) => app.register(fastifyCors, { origin: [APP] }));
      const pre = await send(url, 'OPTIONS', PREFLIGHT);
      assert.equal(pre.headers['access-control-allow-methods'], 'GET,HEAD,POST');
    });

    it("a route's config.cors is merged over the plugin's options (it replaced them: origin '*' for every origin)", async (t) => {
      const { url } = await start(
        t,
        factory,
        (app) => app.register(fastifyCors, { origin: [APP] }),
        (app) => app.get('/x', { config: { cors: { exposedHeaders: ['X-Total'] } } }, async () => 'x'),
      );
      const x = url.replace(/\/t$/, '/x');
      assert.equal(acao(await send(x, 'GET', { origin: EVIL })), undefined);
      const ok = await send(x, 'GET', { origin: APP });
      assert.equal(acao(ok), APP);
      assert.equal(ok.headers['access-control-expose-headers'], 'X-Total');
    });

    it("a route's invalid config.cors fails when the route is declared, not on its first request", async () => {
      const app = factory({ logger: false });
      try {
        await app.register(fastifyCors, { origin: [APP] });
        assert.throws(
          () => app.get('/bad', { config: { cors: { origin: 'app.example.com' } } }, async () => 'bad'),
          CorsConfigError,
        );
      } finally {
        await app.close().catch(() => {});
      }
    });

    it('preflight: false answers no preflight (it still granted them in the hook)', async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors, { origin: [APP], preflight: false }),
      );
      const pre = await send(url, 'OPTIONS', PREFLIGHT);
      assert.equal(pre.status, 404);
      assert.equal(pre.headers['access-control-allow-methods'], undefined);
    });

    it('bug 9: with origin: false the OPTIONS * route answers 404 (it answered 204 to any OPTIONS)', async (t) => {
      const { url } = await start(t, factory, (app) => app.register(fastifyCors, { origin: false }));
      assert.equal((await send(url, 'OPTIONS', PREFLIGHT)).status, 404);
      assert.equal((await send(url, 'OPTIONS')).status, 404);
    });

    it("bug 9: hook 'preSerialization' fails register (preflights got no CORS headers)", async () => {
      await refused(factory, { hook: 'preSerialization' }, 'HOOK_PRE_SERIALIZATION');
    });

    it('bug 9: an invalid hook fails register with CorsConfigError (it was a FastifyError)', async () => {
      await refused(factory, { hook: 'onSend' }, 'HOOK_INVALID');
      await refused(
        factory,
        { hook: 'onSend', delegator: (_r: unknown, cb: (e: null, o: object) => void) => cb(null, {}) },
        'HOOK_INVALID',
      );
    });

    it("bug 9: a delegator's cacheControl is honoured (it was ignored)", async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors, {
          delegator: (_req, cb) => cb(null, { cacheControl: 'public, max-age=5' }),
        }),
      );
      const pre = await send(url, 'OPTIONS', { origin: APP, 'access-control-request-method': 'GET' });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['cache-control'], 'public, max-age=5');
    });

    it('bug 9: the origin function is called with the Fastify instance as this (it had none)', async (t) => {
      let self: unknown;
      const { url, app } = await start(t, factory, (a) =>
        a.register(fastifyCors, {
          origin(origin, cb) {
            self = this;
            cb(null, origin === APP);
          },
        }),
      );
      assert.equal(acao(await send(url, 'GET', { origin: APP })), APP);
      assert.ok(self === app, 'this is the Fastify instance');
    });

    it('bug 9: an origin function answering undefined is an error, 500 (it was a quiet refusal)', async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors, { origin: (_origin, cb) => cb(null, undefined) }),
      );
      assert.equal((await send(url, 'GET', { origin: APP })).status, 500);
    });

    it("an origin function's pattern string is compared whole, as @fastify/cors (it allowed every subdomain)", async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors, { origin: async () => 'https://*.example.com' }),
      );
      assert.equal(acao(await send(url, 'GET', { origin: APP })), undefined);
    });

    it("bug 9: origin: ['*'] means '*' (it was refused)", async (t) => {
      const { url } = await start(t, factory, (app) => app.register(fastifyCors, { origin: ['*'] as never }));
      assert.equal(acao(await send(url, 'GET', { origin: EVIL })), '*');
    });

    it('bug 9: preflightContinue hands the preflight on and the OPTIONS * route answers 200 (it answered 204)', async (t) => {
      const { url } = await start(t, factory, (app) =>
        app.register(fastifyCors, { origin: [APP], preflightContinue: true }),
      );
      const pre = await send(url, 'OPTIONS', PREFLIGHT);
      assert.equal(pre.status, 200);
      assert.equal(acao(pre), APP);
      assert.equal(pre.headers['access-control-allow-methods'], 'GET,HEAD,POST');
    });

    it('strictPreflight is on by default, as @fastify/cors: an OPTIONS that is not a preflight gets 400', async (t) => {
      const { url } = await start(t, factory, (app) => app.register(fastifyCors, { origin: [APP] }));
      const res = await send(url, 'OPTIONS', { origin: APP });
      assert.equal(res.status, 400);
      assert.equal(res.body, 'Invalid Preflight Request');
    });

    it('CORS options beside a delegator fail register (@fastify/cors ignores them without a word)', async () => {
      await refused(
        factory,
        { origin: [APP], delegator: (_r: unknown, cb: (e: null, o: object) => void) => cb(null, {}) },
        'DELEGATOR_WITH_OPTIONS',
      );
    });
  });
}

describe('corsica/fastify exports and warnings', () => {
  it('bug 9: exports the plugin as cors, with corsica kept as an alias and the default export', () => {
    assert.equal(typeof plugin.cors, 'function');
    assert.equal(plugin.corsica, plugin.cors);
    assert.equal(fastifyCors, plugin.cors);
  });

  it('differences that change meaning warn at register with a code (pattern strings, strictPreflight: false)', async (t) => {
    const emit = t.mock.method(process, 'emitWarning', () => {});
    const app = Fastify({ logger: false });
    t.after(() => app.close());
    await app.register(fastifyCors, { origin: ['https://*.bugs-test.example'], strictPreflight: false });
    await app.ready();
    const codes = emit.mock.calls.map((c) => (c.arguments[1] as { code?: string } | undefined)?.code);
    assert.ok(codes.includes('CORSICA_WIDER_THAN_PLUGIN'), codes.join(', '));
    assert.ok(codes.includes('CORSICA_NOT_A_PREFLIGHT'), codes.join(', '));
  });
});
