// The Hono line of each fix, run in real Hono: the options it writes, given to hono/cors, make the
// server answer so that the browser model lets the failing request through. A fix in another
// framework's option names (allowedHeaders where hono/cors reads allowHeaders) would change nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { fixFor } from '../../src/advice/fixes.js';
import {
  type BrowserRequest,
  type CorsFailureCore,
  simulateFetch,
  type Transport,
} from '../../src/browser/index.js';

const ORIGIN = 'https://app.example.com';
const URL_ = 'https://api.example.com/items';

/** The server before the fix: the page's origin, only GET, only Content-Type, no credentials. */
const BEFORE = { origin: 'https://app.example.com', allowMethods: ['GET'], allowHeaders: ['Content-Type'] };

/** The options object a fix's Hono line writes: `app.use('*', cors({ ... }))`. */
function honoOptions(line: string): Record<string, unknown> {
  const literal = /cors\((\{.*\})\)\)/.exec(line)?.[1];
  assert.ok(literal, line);
  return new Function(`return (${literal});`)() as Record<string, unknown>;
}

/** A transport into a Hono app, as the browser would reach it. */
function honoTransport(app: Hono): Transport {
  return async (wire) => {
    const res = await app.request(wire.url, {
      method: wire.method,
      headers: [...wire.headers] as [string, string][],
    });
    const headers: [string, string][] = [];
    res.headers.forEach((value, name) => {
      headers.push([name, value]);
    });
    return { status: res.status, headers };
  };
}

const cases: { name: string; request: BrowserRequest; failure: CorsFailureCore }[] = [
  {
    name: 'a refused request header',
    request: { url: URL_, origin: ORIGIN, method: 'GET', headers: [['X-Api-Key', 'k']] },
    failure: { code: 'HeaderDisallowedByPreflightResponse', hint: 'x-api-key', refused: ['x-api-key'] },
  },
  {
    name: 'a refused method',
    request: { url: URL_, origin: ORIGIN, method: 'PATCH' },
    failure: { code: 'MethodDisallowedByPreflightResponse', hint: 'PATCH' },
  },
  {
    name: 'credentials without Access-Control-Allow-Credentials',
    request: { url: URL_, origin: ORIGIN, credentials: 'include' },
    failure: { code: 'InvalidAllowCredentials', hint: '' },
  },
];

describe("the fixes' Hono lines work in hono/cors", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const f = fixFor(c.failure, {
        url: URL_,
        initialUrl: URL_,
        origin: ORIGIN,
        method: c.request.method ?? 'GET',
        credentialed: c.request.credentials === 'include',
        initiator: 'fetch',
        requestHeaders: c.failure.refused ?? [],
        allowedMethods: ['GET'],
        allowedHeaders: ['Content-Type'],
      });
      assert.match(
        f.fix.hono,
        /^app\.use\('\*', cors\(\{ .* \}\)\) {2}\/\/ import \{ cors \} from 'hono\/cors'/,
      );
      const server = (options: Record<string, unknown>) => {
        const app = new Hono();
        app.use('*', cors({ ...BEFORE, ...options } as Parameters<typeof cors>[0]));
        app.all('/items', (ctx) => ctx.json([]));
        return honoTransport(app);
      };
      const before = await simulateFetch(c.request, server({}));
      assert.equal(before.failure?.code, c.failure.code, 'the server before the fix refuses the request');
      const after = await simulateFetch(c.request, server(honoOptions(f.fix.hono)));
      assert.equal(after.verdict, 'allowed', `${f.fix.hono}: ${after.failure?.message}`);
    });
  }
});
