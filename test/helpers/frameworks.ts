// Apps on every framework corsica adapts, built the same way for every test that needs them:
// /ok (200 with X-Total), /boom (throws), /vary (sets its own Vary) and /own (sets its own
// Access-Control-Allow-Origin), on a real port.

import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import Fastify4 from 'fastify4';
import { Hono } from 'hono';
import Koa from 'koa';
import Koa2 from 'koa2';
import fastifyCors from '../../src/adapters/fastify/index.js';
import { withCors } from '../../src/adapters/fetch/index.js';
import { type HonoCorsOptions, cors as honoCors } from '../../src/adapters/hono/index.js';
import { type KoaCorsOptions, cors as koaCors } from '../../src/adapters/koa/index.js';
import type { CorsOptions } from '../../src/policy/index.js';
import { close } from './http.js';

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}
export type Build = (options: CorsOptions) => Promise<Running>;

async function fastifyApp(factory: typeof Fastify, options: CorsOptions): Promise<Running> {
  const app = factory({ logger: false }) as ReturnType<typeof Fastify>;
  await app.register(fastifyCors, options);
  app.get('/ok', async (_req: FastifyRequest, reply: FastifyReply) => {
    reply.header('X-Total', '3');
    return 'ok';
  });
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.get('/own', async (_req: FastifyRequest, reply: FastifyReply) => {
    reply.header('Access-Control-Allow-Origin', 'https://app.example.com');
    return 'own';
  });
  app.get('/vary', async (_req: FastifyRequest, reply: FastifyReply) => {
    reply.header('Vary', 'Accept-Encoding');
    return 'vary';
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

async function koaApp(factory: typeof Koa, options: CorsOptions): Promise<Running> {
  const app = new factory();
  app.silent = true;
  // No caller here passes an origin function, the one option whose form differs between the two.
  app.use(koaCors(options as KoaCorsOptions) as never);
  app.use(async (ctx) => {
    if (ctx.path === '/boom') throw new Error('boom');
    if (ctx.path === '/vary') ctx.set('Vary', 'Accept-Encoding');
    if (ctx.path === '/ok') ctx.set('X-Total', '3');
    if (ctx.path === '/own') ctx.set('Access-Control-Allow-Origin', 'https://app.example.com');
    ctx.body = ctx.path.slice(1);
  });
  return running(app.listen(0, '127.0.0.1'));
}

/** A listening node:http server as a Running app. */
async function running(server: Server): Promise<Running> {
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => close(server) };
}

async function onNodeServer(
  fetchHandler: (request: Request) => Response | Promise<Response>,
): Promise<Running> {
  return running(serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }) as Server);
}

export const FRAMEWORKS: Record<string, Build> = {
  'fastify 5': (o) => fastifyApp(Fastify, o),
  'fastify 4': (o) => fastifyApp(Fastify4 as unknown as typeof Fastify, o),
  'koa 3': (o) => koaApp(Koa, o),
  'koa 2': (o) => koaApp(Koa2 as unknown as typeof Koa, o),
  hono: (o) => {
    const app = new Hono();
    app.use('*', honoCors(o as HonoCorsOptions));
    app.get('/ok', (c) => {
      c.header('X-Total', '3');
      return c.text('ok');
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/vary', (c) => {
      c.header('Vary', 'Accept-Encoding');
      return c.text('vary');
    });
    app.get('/own', (c) => {
      c.header('Access-Control-Allow-Origin', 'https://app.example.com');
      return c.text('own');
    });
    app.onError((_err, c) => c.text('Internal Server Error', 500));
    return onNodeServer(app.fetch);
  },
  fetch: (o) =>
    onNodeServer(
      withCors(
        (request) => {
          const path = new URL(request.url).pathname;
          if (path === '/boom') throw new Error('boom');
          const headers = new Headers();
          if (path === '/ok') headers.set('X-Total', '3');
          if (path === '/vary') headers.set('Vary', 'Accept-Encoding');
          if (path === '/own') headers.set('Access-Control-Allow-Origin', 'https://app.example.com');
          return new Response(path.slice(1), { headers });
        },
        { ...o, onError: () => {} },
      ),
    ),
};
