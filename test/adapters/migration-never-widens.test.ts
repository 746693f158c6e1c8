// A migration never widens access, and a request never hangs: what a hostile review of the
// adapters found, each written as the attack. The same options go to the framework's
// own CORS plugin and to corsica's adapter, on the real framework; corsica must never let a
// browser read what the plugin refused, unless it says so at start-up (an error or a warning).

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fastifyCors from '@fastify/cors';
import koaCors from '@koa/cors';
import corsPkg from 'cors';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as honoPeer } from 'hono/cors';
import Koa from 'koa';
import corsicaFastify from '../../src/adapters/fastify/index.js';
import { cors as corsicaHono } from '../../src/adapters/hono/index.js';
import { cors as corsicaKoa } from '../../src/adapters/koa/index.js';
import corsicaNode, { type CorsMiddleware } from '../../src/adapters/node/index.js';
import { close, listen, type RawResponse, send } from '../helpers/http.js';
import { warningsDuring } from '../helpers/warnings.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
type Options = Record<string, unknown>;

/** CorsicaWarning codes emitted while `fn` runs. */
const warningCodesDuring = async (fn: () => unknown) => (await warningsDuring(fn)).map((w) => w.code);

/** What a browser gets: may it read the answer, and may it send PUT with x-custom after a preflight? */
function readable(r: RawResponse, origin: string): boolean {
  const acao = r.headers['access-control-allow-origin'];
  return acao === '*' || acao === origin;
}
function preflightAllowsPut(r: RawResponse, origin: string): boolean {
  if (r.status < 200 || r.status > 299 || !readable(r, origin)) return false;
  const methods = String(r.headers['access-control-allow-methods'] ?? '').split(/\s*,\s*/);
  return methods.includes('PUT') || methods.includes('*');
}

/** Sends with a 3 s limit: a request that never gets an answer fails the test instead of hanging it. */
function sendOrHang(url: string, method: string, headers: Record<string, string>) {
  return Promise.race([
    send(url, method, headers),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no answer in 3 s: the request hangs')), 3000),
    ),
  ]);
}

const PREFLIGHT = {
  origin: APP,
  'access-control-request-method': 'PUT',
  'access-control-request-headers': 'x-custom',
};

describe('corsica/fastify: options given but unset are read as @fastify/cors reads them', () => {
  async function app(plugin: unknown, options: Options) {
    const f = Fastify();
    await f.register(plugin as never, options);
    f.get('/x', async () => 'x');
    f.put('/x', async () => 'x');
    return f;
  }

  it('origin: undefined is refused at register (the plugin answers every request 500; corsica alone would answer *)', async () => {
    const peer = await app(fastifyCors, { origin: undefined });
    const res = await peer.inject({ method: 'GET', url: '/x', headers: { origin: EVIL } });
    assert.equal(res.statusCode, 500);
    await peer.close();
    await assert.rejects(
      app(corsicaFastify, { origin: undefined }),
      /origin is undefined: @fastify\/cors answers every request 500/,
    );
  });

  it('methods and allowedHeaders given as undefined allow no more than the plugin (an empty list there)', async () => {
    for (const options of [
      { origin: [APP], methods: undefined },
      { origin: [APP], methods: null },
      { origin: [APP], allowedHeaders: undefined },
    ]) {
      for (const [name, plugin] of [
        ['@fastify/cors', fastifyCors],
        ['corsica', corsicaFastify],
      ] as const) {
        const f = await app(plugin, options);
        const res = await f.inject({ method: 'OPTIONS', url: '/x', headers: PREFLIGHT });
        const methods = String(res.headers['access-control-allow-methods'] ?? '');
        const headers = String(res.headers['access-control-allow-headers'] ?? '');
        await f.close();
        assert.ok(!methods.includes('PUT'), `${name} ${JSON.stringify(options)}: methods ${methods}`);
        if ('allowedHeaders' in options)
          assert.ok(!headers.includes('x-custom'), `${name}: headers ${headers}`);
      }
    }
  });

  it('a delegator that answers origin: undefined gets a 500, never *', async () => {
    const f = await app(corsicaFastify, {
      delegator: (_req: unknown, cb: (e: null, o: Options) => void) => cb(null, { origin: undefined }),
    });
    const res = await f.inject({ method: 'GET', url: '/x', headers: { origin: EVIL } });
    await f.close();
    assert.equal(res.statusCode, 500);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});

describe('corsica/hono: options given but unset, and origin: true', () => {
  function honoApp(middleware: unknown) {
    const h = new Hono();
    h.use('*', middleware as never);
    h.all('/x', (c) => c.text('x'));
    return h;
  }

  it('origin: undefined is refused at start-up (hono/cors answers 500)', async () => {
    const peer = await honoApp(honoPeer({ origin: undefined as never })).request('/x', {
      headers: { origin: EVIL },
    });
    assert.equal(peer.status, 500);
    assert.throws(
      () => corsicaHono({ origin: undefined }),
      /origin is undefined: hono\/cors answers every request 500/,
    );
  });

  it('allowMethods: undefined allows no method beyond the safelisted ones, as hono/cors sends none', async () => {
    for (const mw of [
      honoPeer({ origin: APP, allowMethods: undefined }),
      corsicaHono({ origin: APP, allowMethods: undefined }),
    ]) {
      const res = await honoApp(mw).request('/x', { method: 'OPTIONS', headers: PREFLIGHT });
      assert.ok(!String(res.headers.get('access-control-allow-methods') ?? '').includes('PUT'));
    }
  });

  it('origin: true warns CORSICA_WIDER_THAN_PLUGIN (hono/cors answers 500 for it)', async () => {
    const codes = await warningCodesDuring(() => corsicaHono({ origin: true }));
    assert.ok(codes.includes('CORSICA_WIDER_THAN_PLUGIN'), codes.join());
  });
});

describe('corsica/koa: a list of origins, and functions that throw null', () => {
  async function koaApp(middleware: unknown) {
    const app = new Koa();
    app.silent = true;
    app.use(middleware as never);
    app.use((ctx) => {
      ctx.body = 'x';
    });
    return listen(createServer(app.callback()));
  }

  it('a list of two origins warns CORSICA_WIDER_THAN_PLUGIN: @koa/cors sends both in one header, which browsers refuse', async () => {
    const options = { origin: [APP, 'https://b.example.com'] };
    const peer = await koaApp(koaCors(options as never));
    try {
      const r = await send(`${peer.url}/x`, 'GET', { origin: APP });
      assert.equal(readable(r, APP), false, 'the peer fails this configuration');
    } finally {
      await close(peer.server);
    }
    const codes = await warningCodesDuring(() => corsicaKoa({ origin: [APP, 'https://c.example.com'] }));
    assert.ok(codes.includes('CORSICA_WIDER_THAN_PLUGIN'), codes.join());
  });

  it('origin(ctx) or credentials(ctx) throwing null answers 500 instead of hanging', async () => {
    for (const options of [
      {
        origin: () => {
          throw null;
        },
      },
      { origin: APP, credentials: () => Promise.reject(undefined) },
    ]) {
      const { server, url } = await koaApp(corsicaKoa(options as never));
      try {
        const r = await sendOrHang(`${url}/x`, 'GET', { origin: APP });
        assert.equal(r.status, 500);
      } finally {
        await close(server);
      }
    }
  });
});

describe('corsica/node: cors meanings for unset keys, patterns, and delegates that never call back', () => {
  async function nodeApp(middleware: CorsMiddleware | ReturnType<typeof corsPkg>) {
    return listen(
      createServer((req, res) => {
        middleware(req as never, res as never, (err?: unknown) => {
          res.statusCode = err ? 500 : 200;
          res.end(err ? 'error' : 'x');
        });
      }),
    );
  }

  it('origin: undefined turns CORS off, as in cors (corsica alone would answer *)', async () => {
    for (const mw of [corsPkg({ origin: undefined }), corsicaNode({ origin: undefined })]) {
      const { server, url } = await nodeApp(mw);
      try {
        const r = await send(`${url}/x`, 'GET', { origin: EVIL });
        assert.equal(r.headers['access-control-allow-origin'], undefined);
        const p = await send(`${url}/x`, 'OPTIONS', { ...PREFLIGHT, origin: EVIL });
        assert.equal(preflightAllowsPut(p, EVIL), false);
      } finally {
        await close(server);
      }
    }
  });

  it('methods: undefined is refused at start-up (cors crashes on every preflight)', () => {
    assert.throws(
      () => corsicaNode({ origin: APP, methods: undefined }),
      /methods is undefined: cors crashes on every preflight/,
    );
  });

  it('a pattern string warns CORSICA_WIDER_THAN_PLUGIN: cors compares it as a plain string', async () => {
    const codes = await warningCodesDuring(() =>
      corsicaNode({ origin: ['https://app.example.com', 'https://*.node-patterns.example'] }),
    );
    assert.ok(codes.includes('CORSICA_WIDER_THAN_PLUGIN'), codes.join());
  });

  it('origin functions and delegates that answer by returning, or reject, never leave the request waiting', async () => {
    const forms: [string, Parameters<typeof corsicaNode>[0]][] = [
      ['(origin, cb) => boolean', { origin: ((o: string, _cb: unknown) => o === APP) as never }],
      ['async (origin, cb) => true', { origin: (async (_o: string, _cb: unknown) => true) as never }],
      ['async (req) => options', (async () => ({ origin: APP })) as never],
      ['(req, cb) => options', ((_req: unknown, _cb: unknown) => ({ origin: APP })) as never],
    ];
    for (const [name, options] of forms) {
      const { server, url } = await nodeApp(corsicaNode(options));
      try {
        const r = await sendOrHang(`${url}/x`, 'GET', { origin: APP });
        assert.equal(r.headers['access-control-allow-origin'], APP, name);
      } finally {
        await close(server);
      }
    }
  });

  it('an async delegate that throws answers through next(err), with no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const { server, url } = await nodeApp(
      corsicaNode((async (_req: unknown, _cb: unknown) => {
        throw new Error('db down');
      }) as never),
    );
    try {
      const r = await sendOrHang(`${url}/x`, 'GET', { origin: APP });
      assert.equal(r.status, 500);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
      await close(server);
    }
  });
});

describe('the same attacks against the peers, so the expectations above are theirs', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    server = await listen(
      createServer((req, res) => {
        try {
          corsPkg({ origin: APP, methods: undefined } as never)(
            req as never,
            res as never,
            (err?: unknown) => {
              res.statusCode = err ? 500 : 200;
              res.end();
            },
          );
        } catch {
          // cors throws on the preflight (methods.join of undefined): what Express turns into a 500.
          res.statusCode = 500;
          res.end();
        }
      }),
    );
  });
  after(async () => close(server.server));

  it('cors with methods: undefined fails every preflight (so refusing it at start-up allows nothing it allowed)', async () => {
    const r = await sendOrHang(`${server.url}/x`, 'OPTIONS', PREFLIGHT);
    assert.equal(r.status, 500);
    assert.equal(preflightAllowsPut(r, APP), false);
  });
});
