// Apps on every framework corsica adapts, built the same way for every test that needs them:
// /ok (200 with X-Total), /boom (throws), /vary (the handler sets its own Vary), /own (sets its own
// Access-Control-Allow-Origin), /early and /early-origin (a middleware before CORS sets Vary),
// on a real port: node:http, Connect, Express 4 and 5, Fastify 4 and 5, Koa 2 and 3, Hono, fetch.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import Fastify4 from 'fastify4';
import { Hono } from 'hono';
import Koa from 'koa';
import Koa2 from 'koa2';
import fastifyCors from '../../src/adapters/fastify/index.js';
import { withCors } from '../../src/adapters/fetch/index.js';
import { type HonoCorsOptions, cors as honoCors } from '../../src/adapters/hono/index.js';
import { type KoaCorsOptions, cors as koaCors } from '../../src/adapters/koa/index.js';
import { cors as nodeCors } from '../../src/adapters/node/index.js';
import type { CorsOptions } from '../../src/policy/index.js';
import { close } from './http.js';

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}
export type Build = (options: CorsOptions) => Promise<Running>;

async function fastifyApp(factory: typeof Fastify, options: CorsOptions): Promise<Running> {
  const app = factory({ logger: false }) as ReturnType<typeof Fastify>;
  // An earlier hook (registered first, so it runs first) that sets Vary for /early.
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const vary = EARLY_VARY[req.url];
    if (vary !== undefined) reply.header('Vary', vary);
  });
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
  app.get('/early', async () => 'early');
  app.get('/early-origin', async () => 'early-origin');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

async function koaApp(factory: typeof Koa, options: CorsOptions): Promise<Running> {
  const app = new factory();
  app.silent = true;
  app.use(async (ctx, next) => {
    const vary = EARLY_VARY[ctx.path];
    if (vary !== undefined) ctx.set('Vary', vary);
    await next();
  });
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

/** The app's routes as plain node:http, for node:http, Connect and Express alike. */
function nodeRoutes(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/boom') throw new Error('boom');
  if (path === '/ok') res.setHeader('X-Total', '3');
  if (path === '/vary') res.setHeader('Vary', 'Accept-Encoding');
  if (path === '/own') res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');
  res.end(path!.slice(1));
}

/** What the middleware before CORS sets as Vary, by path: /early and /early-origin (which names Origin already). */
export const EARLY_VARY: Readonly<Record<string, string>> = {
  '/early': 'Accept-Encoding',
  '/early-origin': 'Accept-Encoding, origin',
};

/** The middleware that runs before CORS and sets Vary for the EARLY_VARY paths. */
function earlyVary(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const vary = EARLY_VARY[(req.url ?? '').split('?')[0]!];
  if (vary !== undefined) res.setHeader('Vary', vary);
  next();
}

/** An error answer that keeps the headers set so far and names the error, so a test can read which. */
function errorTo500(err: unknown, res: ServerResponse): void {
  res.statusCode = 500;
  const name = err instanceof Error ? err.constructor.name : typeof err;
  res.end(`error ${name}: ${err instanceof Error ? err.message : String(err)}`);
}

function nodeHttpApp(options: CorsOptions): Promise<Running> {
  const middleware = nodeCors(options);
  return listenOn(
    createServer((req, res) =>
      earlyVary(req, res, () =>
        middleware(req, res, (err?: unknown) => {
          if (err !== undefined) return errorTo500(err, res);
          try {
            nodeRoutes(req, res);
          } catch (thrown) {
            errorTo500(thrown, res);
          }
        }),
      ),
    ),
  );
}

function connectApp(options: CorsOptions): Promise<Running> {
  const app = connect();
  app.use(earlyVary);
  app.use(nodeCors(options) as never);
  app.use((req: IncomingMessage, res: ServerResponse) => nodeRoutes(req, res));
  app.use((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: () => void) =>
    errorTo500(err, res),
  );
  return listenOn(createServer(app));
}

function expressApp(factory: typeof express, options: CorsOptions): Promise<Running> {
  const app = factory();
  app.use(earlyVary);
  app.use(nodeCors(options));
  app.use((req, res) => nodeRoutes(req, res));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
    errorTo500(err, res),
  );
  return listenOn(createServer(app));
}

async function listenOn(server: Server): Promise<Running> {
  server.listen(0, '127.0.0.1');
  return running(server);
}

export const FRAMEWORKS: Record<string, Build> = {
  'node:http': nodeHttpApp,
  connect: connectApp,
  'express 5': (o) => expressApp(express, o),
  'express 4': (o) => expressApp(express4 as unknown as typeof express, o),
  'fastify 5': (o) => fastifyApp(Fastify, o),
  'fastify 4': (o) => fastifyApp(Fastify4 as unknown as typeof Fastify, o),
  'koa 3': (o) => koaApp(Koa, o),
  'koa 2': (o) => koaApp(Koa2 as unknown as typeof Koa, o),
  hono: (o) => {
    const app = new Hono();
    app.use('*', async (c, next) => {
      const vary = EARLY_VARY[c.req.path];
      if (vary !== undefined) c.header('Vary', vary);
      await next();
    });
    app.use('*', honoCors(o as HonoCorsOptions));
    app.get('/early', (c) => c.text('early'));
    app.get('/early-origin', (c) => c.text('early-origin'));
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
          // No middleware runs before withCors: the handler's own Vary stands for an earlier one.
          if (path === '/vary') headers.set('Vary', 'Accept-Encoding');
          else if (EARLY_VARY[path] !== undefined) headers.set('Vary', EARLY_VARY[path]!);
          if (path === '/own') headers.set('Access-Control-Allow-Origin', 'https://app.example.com');
          return new Response(path.slice(1), { headers });
        },
        { ...o, onError: () => {} },
      ),
    ),
};
