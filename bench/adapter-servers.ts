// The servers bench/adapters.ts loads, one per process:
//
//   node --import tsx bench/adapter-servers.ts <fastify|koa|hono> <corsica|own>
//
// The same configuration for corsica's adapter and the framework's own CORS plugin; one route.

import fastifyCorsPlugin from '@fastify/cors';
import { serve } from '@hono/node-server';
import koaCorsPlugin from '@koa/cors';
import corsicaFastify from 'corsica/fastify';
import { cors as corsicaHono } from 'corsica/hono';
import { cors as corsicaKoa } from 'corsica/koa';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import Koa from 'koa';
import { reportPort } from './processes.js';

export const ORIGINS = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://www.example.com',
  'https://partner.example.org',
  'http://localhost:3000',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const HEADERS = ['Content-Type', 'X-Api-Key'];
const EXPOSED = ['X-Total-Count'];

/** The configuration in corsica's (and cors's, and @fastify/cors's) names. */
const CONFIG = {
  origin: ORIGINS,
  credentials: true,
  methods: METHODS,
  allowedHeaders: HEADERS,
  exposedHeaders: EXPOSED,
  maxAge: 600,
};
/** The same in Hono's names (corsica/hono takes them too). */
const HONO_CONFIG = {
  origin: ORIGINS,
  credentials: true,
  allowMethods: METHODS,
  allowHeaders: HEADERS,
  exposeHeaders: EXPOSED,
  maxAge: 600,
};

const [framework, impl] = process.argv.slice(2);
const own = impl === 'own';

if (framework === 'fastify') {
  const app = Fastify({ logger: false });
  if (own) await app.register(fastifyCorsPlugin, CONFIG);
  else await app.register(corsicaFastify, CONFIG);
  app.get('/data', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  reportPort(Number(new URL(url).port), () => void app.close());
} else if (framework === 'koa') {
  const app = new Koa();
  app.use(
    own
      ? koaCorsPlugin({
          origin: (ctx) => (ORIGINS.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
          credentials: true,
          allowMethods: METHODS,
          allowHeaders: HEADERS,
          exposeHeaders: EXPOSED,
          maxAge: 600,
        })
      : (corsicaKoa(CONFIG) as never),
  );
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const server = app.listen(0, '127.0.0.1', () =>
    reportPort((server.address() as { port: number }).port, () => server.close()),
  );
} else if (framework === 'hono') {
  const app = new Hono();
  app.use('*', own ? honoCors(HONO_CONFIG) : corsicaHono(HONO_CONFIG));
  app.get('/data', (c) => c.json({ ok: true }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    reportPort(info.port, () => server.close()),
  );
} else {
  throw new Error(`usage: adapter-servers.ts <fastify|koa|hono> <corsica|own> (got ${framework} ${impl})`);
}
