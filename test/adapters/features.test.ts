// What each adapter adds in its framework's idiom: Fastify's per-route config, delegator,
// strictPreflight and cacheControl, and its reach across plugins; Koa's and Hono's option names;
// corsica/fetch's low-level pieces and its independence from Node built-ins.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import fastifyCors from '../../src/adapters/fastify/index.js';
import fetchDefault, {
  applyCors,
  cors as fetchCors,
  preflight,
  withCors,
} from '../../src/adapters/fetch/index.js';
import { cors as honoCors } from '../../src/adapters/hono/index.js';
import { fromKoaOptions, cors as koaCors } from '../../src/adapters/koa/index.js';
import { createPolicy } from '../../src/policy/index.js';
import { send } from '../helpers/http.js';

const APP = 'https://app.example.com';

async function fastify(setup: (app: FastifyInstance) => Promise<void> | void) {
  const app = Fastify({ logger: false });
  await setup(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, app };
}

describe('corsica/fastify', () => {
  it('a route overrides the options with config.cors, or turns CORS off with false', async () => {
    const { url, app } = await fastify(async (a) => {
      await a.register(fastifyCors, { origin: [APP] });
      a.get('/default', async () => 'd');
      a.get('/partner', { config: { cors: { origin: ['https://partner.example'] } } }, async () => 'p');
      a.get('/private', { config: { cors: false } }, async () => 'x');
    });
    try {
      assert.equal(
        (await send(`${url}/default`, 'GET', { origin: APP })).headers['access-control-allow-origin'],
        APP,
      );
      const partner = await send(`${url}/partner`, 'GET', { origin: 'https://partner.example' });
      assert.equal(partner.headers['access-control-allow-origin'], 'https://partner.example');
      assert.equal(
        (await send(`${url}/partner`, 'GET', { origin: APP })).headers['access-control-allow-origin'],
        undefined,
      );
      assert.equal(
        (await send(`${url}/private`, 'GET', { origin: APP })).headers['access-control-allow-origin'],
        undefined,
      );
    } finally {
      await app.close();
    }
  });

  it('applies to routes registered in other plugins (not encapsulated)', async () => {
    const { url, app } = await fastify(async (a) => {
      await a.register(fastifyCors, { origin: [APP] });
      await a.register(async (child) => {
        child.get('/child', async () => 'c');
      });
    });
    try {
      assert.equal(
        (await send(`${url}/child`, 'GET', { origin: APP })).headers['access-control-allow-origin'],
        APP,
      );
    } finally {
      await app.close();
    }
  });

  it('delegator, strictPreflight and cacheControl behave as in @fastify/cors', async () => {
    const { url, app } = await fastify(async (a) => {
      await a.register(fastifyCors, {
        delegator: (request, cb) =>
          cb(null, { origin: request.headers['x-tenant'] === 'b' ? ['https://b.example'] : [APP] }),
        strictPreflight: true,
        cacheControl: 300,
      });
      a.get('/t', async () => 't');
    });
    try {
      assert.equal(
        (await send(`${url}/t`, 'GET', { origin: 'https://b.example', 'x-tenant': 'b' })).headers[
          'access-control-allow-origin'
        ],
        'https://b.example',
      );
      assert.equal(
        (await send(`${url}/t`, 'GET', { origin: 'https://b.example' })).headers[
          'access-control-allow-origin'
        ],
        undefined,
      );
      const pre = await send(`${url}/t`, 'OPTIONS', { origin: APP, 'access-control-request-method': 'GET' });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['cache-control'], 'max-age=300');
      const notPreflight = await send(`${url}/t`, 'OPTIONS', { origin: APP });
      assert.equal(notPreflight.status, 400);
      assert.equal(notPreflight.body, 'Invalid Preflight Request');
    } finally {
      await app.close();
    }
  });

  it('invalid options fail registration with CorsConfigError', async () => {
    const app = Fastify();
    await assert.rejects(async () => {
      await app.register(fastifyCors, { origin: '*', credentials: true }).ready();
    }, /origin '\*' cannot be used with credentials/);
  });
});

describe('corsica/koa', () => {
  it("takes @koa/cors's option names", async () => {
    assert.deepEqual(
      fromKoaOptions({
        origin: APP,
        allowMethods: ['GET', 'PUT'],
        allowHeaders: 'X-A',
        exposeHeaders: ['X-B'],
        privateNetworkAccess: true,
        keepHeadersOnError: true,
      }),
      {
        origin: APP,
        methods: ['GET', 'PUT'],
        allowedHeaders: 'X-A',
        exposedHeaders: ['X-B'],
        privateNetwork: true,
      },
    );
    const app = new Koa();
    app.use(koaCors({ origin: APP, allowMethods: ['GET', 'PUT'], privateNetworkAccess: true }) as never);
    app.use((ctx) => {
      ctx.body = 'k';
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const pre = await send(`http://127.0.0.1:${(server.address() as { port: number }).port}/`, 'OPTIONS', {
        origin: APP,
        'access-control-request-method': 'PUT',
        'access-control-request-private-network': 'true',
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-methods'], 'GET,PUT');
      assert.equal(pre.headers['access-control-allow-private-network'], 'true');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('corsica/hono', () => {
  it("takes Hono's option names and its origin function, in process with app.request", async () => {
    const app = new Hono();
    app.use(
      '*',
      honoCors({
        origin: (origin: string) => (origin.endsWith('.example.com') ? origin : null),
        allowMethods: ['GET', 'DELETE'],
        allowHeaders: ['X-Api-Key'],
        exposeHeaders: ['X-Total'],
        maxAge: 60,
      }),
    );
    app.get('/', (c) => {
      c.header('X-Total', '1');
      return c.text('h');
    });
    const pre = await app.request('/', {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'DELETE' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-methods'), 'GET,DELETE');
    assert.equal(pre.headers.get('access-control-allow-headers'), 'X-Api-Key');
    assert.equal(pre.headers.get('access-control-max-age'), '60');
    const ok = await app.request('/', { headers: { origin: APP } });
    assert.equal(ok.headers.get('access-control-allow-origin'), APP);
    assert.equal(ok.headers.get('access-control-expose-headers'), 'X-Total');
    const refused = await app.request('/', { headers: { origin: 'https://evil.example.net' } });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });
});

describe('corsica/fetch', () => {
  const policy = createPolicy({ origin: [APP], credentials: true });

  it('preflight() answers preflights and nothing else; applyCors() adds headers, copying immutable responses', async () => {
    const pre = await preflight(
      new Request('https://api.example/x', {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'PUT' },
      }),
      policy,
    );
    assert.equal(pre?.status, 204);
    assert.equal(pre?.headers.get('access-control-allow-origin'), APP);
    assert.equal(
      await preflight(new Request('https://api.example/x', { headers: { origin: APP } }), policy),
      null,
    );
    const immutable = Response.redirect('https://api.example/elsewhere', 302);
    const out = await applyCors(
      new Request('https://api.example/x', { headers: { origin: APP } }),
      immutable,
      policy,
    );
    assert.equal(out.status, 302);
    assert.equal(out.headers.get('location'), 'https://api.example/elsewhere');
    assert.equal(out.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(out.headers.get('vary'), 'Origin');
  });

  it('withCors: a thrown error becomes a 500 the page can read, reported to onError', async () => {
    const errors: unknown[] = [];
    const handler = withCors(
      () => {
        throw new Error('db down');
      },
      { origin: [APP], onError: (e) => errors.push(e) },
    );
    const res = await handler(new Request('https://api.example/x', { headers: { origin: APP } }));
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.match(String(errors[0]), /db down/);
  });

  it('withCors: Response.error() stays a network error, and every immutable response passes with what it can carry', async () => {
    const request = () => new Request('https://api.example/x', { headers: { origin: APP } });
    // A network error (status 0) has no headers to give: copying it threw a RangeError.
    const failed = await withCors(() => Response.error(), { origin: [APP] })(request());
    assert.equal(failed.type, 'error');
    assert.equal(failed.status, 0);
    const moved = await withCors(() => Response.redirect('https://api.example/y', 307), {
      origin: [APP],
    })(request());
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get('location'), 'https://api.example/y');
    assert.equal(moved.headers.get('access-control-allow-origin'), APP);
    const direct = await applyCors(request(), Response.error(), policy);
    assert.equal(direct.type, 'error');
  });

  it('cors(options) wraps handlers as withCors does, validates at once, and the default export is withCors', async () => {
    const wrap = fetchCors({ origin: [APP] });
    const handler = wrap(() => new Response('ok'));
    const res = await handler(new Request('https://api.example/x', { headers: { origin: APP } }));
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    const stranger = await handler(
      new Request('https://api.example/x', { headers: { origin: 'https://evil.example' } }),
    );
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
    assert.throws(() => fetchCors({ origin: 'example.com' }), /without its scheme|scheme/);
    assert.equal(fetchDefault, withCors);
  });

  it('bundles for a browser-like runtime with no Node built-ins', async () => {
    const result = await build({
      entryPoints: ['src/adapters/fetch/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    assert.equal(result.errors.length, 0);
    const code = result.outputFiles[0]!.text;
    assert.doesNotMatch(
      code,
      /from\s+["']node:|require\(["'](node:)?(fs|http|net|dns|tls|crypto|child_process)["']\)/,
    );
    assert.match(code, /withCors/);
  });
});
