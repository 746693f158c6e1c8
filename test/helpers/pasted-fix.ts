// A fix corsica printed, pasted as printed where an app's CORS configuration was: the printed
// lines by tool, and real apps (Express 5, Fastify 5, Hono, nginx) with a line pasted in them.
// Used by test/check/fixes-pasted.test.ts, test/advice/audit-fixes-*.test.ts and, in real
// Chromium, test/e2e/browser-fix-pasted.test.ts.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import fastifyCors from '@fastify/cors';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { close } from './http.js';
import { type RunningNginx, startNginx } from './nginx.js';

export type Tool = 'corsica' | 'cors' | 'fastify' | 'hono' | 'nginx';
export type App = ReturnType<typeof express>;
type Handler = (
  req: { headers: Record<string, unknown>; url: string },
  res: { status(s: number): { end(): void }; setHeader(name: string, value: string): void },
  next: () => void,
) => void;

/**
 * What the app runs besides CORS, answering before the route: authentication (401 without
 * Authorization), a failing dependency (a session store that is down: 500 on every request), a
 * canonical-URL redirect (302 to the same path with its default query, for any method), or a
 * catch-all 404 (the route is not there). Misconfigured apps run it before CORS; pasted fixes,
 * after.
 */
export type Behind = 'auth' | 'fails' | 'redirects' | 'missing';

/** The canonical URL the redirecting app sends a bare /api/items to. */
const CANONICAL = '/api/items?page=1';

/** What `behind` answers for a request, or null to let it through to the route. */
function behindAnswer(
  behind: Behind | false,
  url: string,
  authorization: unknown,
): { status: number; location?: string } | null {
  if (behind === 'auth') return authorization === undefined ? { status: 401 } : null;
  if (behind === 'fails') return { status: 500 };
  if (behind === 'missing') return { status: 404 };
  if (behind === 'redirects') return url.includes('?') ? null : { status: 302, location: CANONICAL };
  return null;
}

/** `behind` as Express middleware. */
export function expressBehind(behind: Behind): Handler {
  return (req, res, next) => {
    const answer = behindAnswer(behind, req.url, req.headers.authorization);
    if (answer === null) return next();
    if (answer.location !== undefined) res.setHeader('Location', answer.location);
    res.status(answer.status).end();
  };
}

/** The fix lines `corsica check` printed, by tool. */
export function printedFixes(stdout: string): Record<Tool, string> {
  const line = (tool: Tool) => {
    const m = new RegExp(`^ {4}${tool}: +(.+)$`, 'm').exec(stdout);
    assert.ok(m, `no ${tool} fix in:\n${stdout}`);
    return m[1]!;
  };
  return {
    corsica: line('corsica'),
    cors: line('cors'),
    fastify: line('fastify'),
    hono: line('hono'),
    nginx: line('nginx'),
  };
}

export const routes = (app: App) => {
  app.all('/api/items', (_req, res) => {
    res.json({ items: [] });
  });
};

/**
 * Names a pasted line may use besides `app` and `cors`: audit's fixes for a drift from the
 * --policy file say `cors(policy)`, meaning the options in that file.
 */
export type Scope = Readonly<Record<string, unknown>>;

/** An Express 5 app with `line` pasted where its CORS configuration was. */
export function expressWith(line: string, cors: unknown, behind: Behind | false, scope: Scope = {}): App {
  const app = express();
  new Function('app', 'cors', ...Object.keys(scope), line)(app, cors, ...Object.values(scope));
  if (behind !== false) app.use(expressBehind(behind) as never);
  routes(app);
  return app;
}

/** A Fastify 5 app with `line` pasted where its CORS registration was. */
export async function fastifyWith(
  line: string,
  behind: Behind | false,
  scope: Scope = {},
): Promise<ReturnType<typeof Fastify>> {
  const fastify = Fastify();
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('fastify', 'cors', ...Object.keys(scope), line)(
    fastify,
    fastifyCors,
    ...Object.values(scope),
  );
  if (behind !== false)
    fastify.addHook('onRequest', async (req, reply) => {
      const answer = behindAnswer(behind, req.url, req.headers.authorization);
      if (answer?.location !== undefined) reply.header('Location', answer.location);
      if (answer !== null) await reply.code(answer.status).send();
    });
  fastify.route({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: '/api/items',
    handler: async () => ({ items: [] }),
  });
  return fastify;
}

/** A Hono app with `line` pasted where its hono/cors middleware was, on a real port. */
export async function honoWith(
  line: string,
  behind: Behind | false,
  scope: Scope = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  new Function('app', 'cors', ...Object.keys(scope), line)(app, honoCors, ...Object.values(scope));
  if (behind !== false)
    app.use('*', async (c, next) => {
      const url = new URL(c.req.url);
      const answer = behindAnswer(behind, url.pathname + url.search, c.req.header('authorization'));
      if (answer === null) return next();
      return c.body(
        null,
        answer.status as 401,
        answer.location === undefined ? {} : { Location: answer.location },
      );
    });
  app.all('/api/items', (c) => c.json({ items: [] }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => close(server) };
}

/** What a one-line nginx fix puts in the http block before its location directives. */
const HTTP_THEN = '  # in http { }; then: ';

/**
 * A real nginx with a one-line nginx fix pasted: its map (if any) in the http block, the rest in
 * the location that serves /api/items.
 */
export function nginxWith(text: string): Promise<RunningNginx> {
  const at = text.indexOf(HTTP_THEN);
  const [http, location] = at < 0 ? ['', text] : [text.slice(0, at), text.slice(at + HTTP_THEN.length)];
  return startNginx({
    http: http === '' ? [] : [http],
    server: [
      'location /api/items {',
      `  ${location}`,
      '  default_type application/json;',
      `  return 200 '{"items":[]}';`,
      '}',
    ],
  });
}
