// The servers of audit's gallery (gallery.ts): node:http by hand, Express, Koa, Fastify and Hono
// on real ports, and a real nginx; the site they all serve is https://www.example.com, the site
// every probe origin is derived from.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import type { AuditOptions, Operation } from '../../src/audit/index.js';
import { intendedPolicy } from '../../src/cli/audit-policy.js';
import type { CorsOptions } from '../../src/policy/index.js';
import { close, listen } from '../helpers/http.js';
import { startNginx } from '../helpers/nginx.js';

export const SITE = 'https://www.example.com';
/** The site of an intranet API: its pages on another port of the same private address. */
export const INTRANET_SITE = 'http://127.0.0.1:8080';

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function nodeServer(handler: Handler): Promise<Running> {
  const { server, url } = await listen(handler);
  return { url: `${url}/api/items`, close: () => close(server) };
}

export async function expressServer(setup: (app: express.Express) => void): Promise<Running> {
  const app = express();
  setup(app);
  return nodeServer(app as unknown as Handler);
}

export async function koaServer(setup: (app: Koa) => void): Promise<Running> {
  const app = new Koa();
  app.silent = true;
  setup(app);
  app.use((ctx) => {
    ctx.body = { items: [] };
  });
  return nodeServer(app.callback());
}

export async function fastifyServer(options: Record<string, unknown>): Promise<Running> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCors, options);
  app.get('/api/items', async () => ({ items: [] }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/api/items`, close: () => app.close() };
}

export async function honoServer(setup: (app: Hono) => void): Promise<Running> {
  const app = new Hono();
  setup(app);
  app.get('/api/items', (c) => c.json({ items: [] }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/items`, close: () => close(server) };
}

/** A real nginx serving /api/items with `location` lines, and `maps` at http level. */
export async function nginxServer(maps: readonly string[], location: readonly string[]): Promise<Running> {
  const nginx = await startNginx({
    http: maps,
    server: [
      'location /api/items {',
      ...location.map((l) => `  ${l}`),
      '  default_type application/json;',
      `  return 200 '{"items":[]}';`,
      '}',
    ],
  });
  return { url: `${nginx.url}/api/items`, close: nginx.stop };
}

/** nginx's map of allowed origins: the site's own, echoed; any other gets an empty value (no header). */
export const NGINX_SITE_MAP =
  'map $http_origin $cors_origin { default ""; "https://www.example.com" $http_origin; }';

export const items = (_req: unknown, res: express.Response) => res.json({ items: [] });
export const origin = (req: IncomingMessage) => req.headers.origin ?? '';

/** What a hand-written check does once it trusts the request's origin: echo it, with credentials. */
export function grantWithCredentials(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', origin(req));
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
}

/** One flawed server: the class it must be found with, and how it is written. */
export interface Flawed {
  readonly name: string;
  readonly expected: string;
  readonly severity: 'exploitable' | 'broken' | 'info';
  /** The proof origin expected, when one origin is the proof. */
  readonly proof?: string;
  /** The site's origin given to the audit (default SITE). */
  readonly site?: string;
  /** Headers given to the audit (--header). */
  readonly headers?: readonly string[];
  /** The operations the API declares (as --openapi gives them), if the class needs them. */
  readonly operations?: readonly Operation[];
  /** The policy the server is meant to follow (as --policy gives it), if the class needs one. */
  readonly policy?: CorsOptions;
  /** Why the server cannot run here (nginx not installed), or false. */
  readonly skip?: string | false;
  readonly start: () => Promise<Running>;
}

/** The audit's options for a gallery server, as a user would give them on the command line. */
export function auditOptionsOf(server: Flawed): AuditOptions {
  return {
    origin: server.site ?? SITE,
    headers: server.headers ?? [],
    ...(server.operations === undefined ? {} : { operations: server.operations }),
    ...(server.policy === undefined ? {} : { policy: intendedPolicy(server.policy, 'cors.config.mjs') }),
  };
}
