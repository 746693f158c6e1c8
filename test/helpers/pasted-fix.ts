// A fix `corsica check` printed, pasted as printed where an app's CORS configuration was: the
// printed lines by tool, and real apps (Express 5, Fastify 5) with a line pasted in them. Used by
// test/check/fixes-pasted.test.ts and, in real Chromium, test/e2e/browser-fix-pasted.test.ts.

import assert from 'node:assert/strict';
import fastifyCors from '@fastify/cors';
import express from 'express';
import Fastify from 'fastify';

export type Tool = 'corsica' | 'cors' | 'fastify';
export type App = ReturnType<typeof express>;
type Handler = (
  req: { headers: Record<string, unknown> },
  res: { status(s: number): { end(): void } },
  next: () => void,
) => void;

/** What the app does besides CORS: authentication, in the one scenario that has it. */
export const requireToken: Handler = (req, res, next) => {
  if (req.headers.authorization === undefined) res.status(401).end();
  else next();
};

/** The fix lines `corsica check` printed, by tool. */
export function printedFixes(stdout: string): Record<Tool, string> {
  const line = (tool: Tool) => {
    const m = new RegExp(`^ {4}${tool}: +(.+)$`, 'm').exec(stdout);
    assert.ok(m, `no ${tool} fix in:\n${stdout}`);
    return m[1]!;
  };
  return { corsica: line('corsica'), cors: line('cors'), fastify: line('fastify') };
}

export const routes = (app: App) => {
  app.all('/api/items', (_req, res) => {
    res.json({ items: [] });
  });
};

/** An Express 5 app with `line` pasted where its CORS configuration was. */
export function expressWith(line: string, cors: unknown, auth: boolean): App {
  const app = express();
  new Function('app', 'cors', line)(app, cors);
  if (auth) app.use(requireToken as never);
  routes(app);
  return app;
}

/** A Fastify 5 app with `line` pasted where its CORS registration was. */
export async function fastifyWith(line: string, auth: boolean): Promise<ReturnType<typeof Fastify>> {
  const fastify = Fastify();
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('fastify', 'cors', line)(fastify, fastifyCors);
  if (auth)
    fastify.addHook('onRequest', async (req, reply) => {
      if (req.headers.authorization === undefined) await reply.code(401).send();
    });
  fastify.route({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: '/api/items',
    handler: async () => ({ items: [] }),
  });
  return fastify;
}
