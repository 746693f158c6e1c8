// Advice that works when pasted: a server configured the way beginners get it wrong is checked with
// the real `corsica check` command, and each fix it prints (corsica, cors, fastify, hono, nginx) is
// pasted, as printed, in place of the server's CORS configuration in a real app: Express 5 with
// corsica/node or cors, Fastify 5 with @fastify/cors, Hono with hono/cors, a real nginx. The
// browser model must then allow the request, and the pasted configuration must keep what the
// server had (its other origin, credentials, lists, max-age). An nginx line that is words (nginx
// cannot run the app's authentication) is named so, with what it must say.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import corsPackage from 'cors';
import express from 'express';
import type Fastify from 'fastify';
import { probe } from '../../src/check/index.js';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { skipNginx } from '../helpers/nginx.js';
import {
  type App,
  expressWith,
  fastifyWith,
  honoWith,
  nginxWith,
  printedFixes,
  requireToken,
  routes,
  type Tool,
} from '../helpers/pasted-fix.js';

const require = createRequire(import.meta.url);
/** corsica/node as an app installs it: the built package. */
const corsica = require('corsica/node') as typeof corsPackage;

const PAGE = 'http://localhost:5173';

interface Scenario {
  readonly name: string;
  /** The misconfigured server (the routes follow, unless it has its own). */
  readonly broken: (app: App) => void;
  readonly ownRoutes?: boolean;
  readonly auth?: boolean;
  /** The request, as `corsica check` flags. */
  readonly flags: readonly string[];
  /** The failure check reports, and words its cause must (or must not) have. */
  readonly code: string;
  readonly cause?: RegExp;
  readonly notCause?: RegExp;
  /** An origin the server allowed before, which the pasted fix must still allow (same request). */
  readonly kept?: string;
  /** The nginx line is words, not configuration: what it must say. */
  readonly nginxWords?: RegExp;
  /** Names the server's answers listed, which the pasted fix's answers must list still. */
  readonly keeps?: readonly { on: 'preflight' | 'actual'; header: string; names: readonly string[] }[];
}

const JSON_POST = ['--method', 'POST', '--header', 'Content-Type: application/json', '--data', '{}'];

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'a refused Authorization header: the fix keeps the origin, credentials and methods',
    broken: (app) => app.use(corsica({ origin: PAGE, credentials: true, allowedHeaders: ['Content-Type'] })),
    flags: [...JSON_POST, '--header', 'Authorization: Bearer t', '--credentials'],
    code: 'HeaderDisallowedByPreflightResponse',
    keeps: [{ on: 'preflight', header: 'access-control-allow-methods', names: ['PUT', 'PATCH', 'DELETE'] }],
    // The note about '*' is for servers that sent '*', and this one did not.
    notCause: /A '\*' never covers Authorization/,
  },
  {
    name: 'an origin missing from the list: the fix adds it, with credentials',
    broken: (app) => app.use(corsica({ origin: ['https://admin.example.com'], credentials: true })),
    flags: ['--credentials'],
    code: 'MissingAllowOriginHeader',
  },
  {
    name: "cors's fixed origin is another one: the fix keeps it beside the page's",
    broken: (app) => app.use(corsPackage({ origin: 'https://app.example.com' })),
    flags: [],
    code: 'AllowOriginMismatch',
    kept: 'https://app.example.com',
  },
  {
    name: "the default '*' with credentials: the fix names the origin, and keeps the exposed headers",
    broken: (app) => app.use(corsPackage({ exposedHeaders: ['X-Total-Count'] })),
    flags: ['--credentials'],
    code: 'WildcardOriginNotAllowed',
    keeps: [{ on: 'actual', header: 'access-control-expose-headers', names: ['x-total-count'] }],
  },
  {
    name: 'a method missing: the fix keeps the methods, headers and max-age the preflight showed',
    broken: (app) =>
      app.use(
        corsica({ origin: [PAGE], methods: ['GET', 'POST'], allowedHeaders: ['X-Api-Key'], maxAge: 600 }),
      ),
    flags: ['--method', 'DELETE', '--header', 'X-Api-Key: k'],
    code: 'MethodDisallowedByPreflightResponse',
    keeps: [
      { on: 'preflight', header: 'access-control-allow-methods', names: ['GET', 'POST', 'DELETE'] },
      { on: 'preflight', header: 'access-control-allow-headers', names: ['x-api-key'] },
      { on: 'preflight', header: 'access-control-max-age', names: ['600'] },
    ],
  },
  {
    name: 'authentication before CORS answers the preflight 401: the fix goes first',
    broken: (app) => {
      app.use(requireToken as never);
      app.use(corsica({ origin: [PAGE] }));
    },
    auth: true,
    flags: ['--method', 'PUT', '--header', 'Authorization: Bearer t'],
    code: 'PreflightMissingAllowOriginHeader',
    cause: /answered 401 by authentication that runs before CORS/,
    nginxWords: /before auth_request; .*"always" keeps it on 4xx answers/,
  },
  {
    name: "Express's own answer to OPTIONS (CORS only on the POST route): its own cause",
    broken: (app) => {
      app.post('/api/items', corsica({ origin: PAGE }), (_req, res) => {
        res.json({ ok: true });
      });
    },
    ownRoutes: true,
    flags: JSON_POST,
    code: 'PreflightMissingAllowOriginHeader',
    cause:
      /answered 200 with Allow: POST and no CORS header: the framework answered OPTIONS itself .* No CORS middleware runs on OPTIONS for this path/,
  },
];

/** What `corsica check` flags say, as the options of a probe. */
function checkOptions(flags: readonly string[], origin: string) {
  const headers: string[] = [];
  let method = 'GET';
  let data: string | undefined;
  let credentials = false;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--header') headers.push(flags[++i]!);
    else if (flags[i] === '--method') method = flags[++i]!;
    else if (flags[i] === '--data') data = flags[++i]!;
    else if (flags[i] === '--credentials') credentials = true;
  }
  return { origin, method, header: headers, credentials, ...(data === undefined ? {} : { data }) };
}

describe('check: every printed fix, pasted as printed into a real app, makes the request pass', () => {
  const servers: Server[] = [];
  const fastifies: ReturnType<typeof Fastify>[] = [];
  const others: (() => Promise<void>)[] = [];
  after(async () => {
    for (const s of servers) await close(s);
    for (const f of fastifies) await f.close();
    for (const stop of others) await stop();
  });

  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const app = express();
      s.broken(app);
      if (s.ownRoutes !== true) routes(app);
      const broken = await listen(app as never);
      servers.push(broken.server);
      const run = await runCli(['check', `${broken.url}/api/items`, '--origin', PAGE, ...s.flags]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`Chromium blocked \\(${s.code}\\)`));
      if (s.cause) assert.match(run.stdout, s.cause);
      if (s.notCause) assert.doesNotMatch(run.stdout, s.notCause);
      const fixes = printedFixes(run.stdout);
      const serve = async (app: App) => {
        const { server, url } = await listen(app as never);
        servers.push(server);
        return url;
      };
      const started = async (
        running: Promise<{ url: string; close?(): Promise<void>; stop?(): Promise<void> }>,
      ) => {
        const r = await running;
        others.push(r.close ?? r.stop!);
        return r.url;
      };
      if (s.nginxWords) assert.match(fixes.nginx, s.nginxWords);
      const pasted: Partial<Record<Tool, string>> = {
        corsica: await serve(expressWith(fixes.corsica, corsica, s.auth === true)),
        cors: await serve(expressWith(fixes.cors, corsPackage, s.auth === true)),
        fastify: await (async () => {
          const f = await fastifyWith(fixes.fastify, s.auth === true);
          fastifies.push(f);
          return f.listen({ port: 0, host: '127.0.0.1' });
        })(),
        hono: await started(honoWith(fixes.hono, s.auth === true)),
        ...(s.nginxWords || skipNginx ? {} : { nginx: await started(nginxWith(fixes.nginx)) }),
      };
      for (const [tool, url] of Object.entries(pasted) as [Tool, string][]) {
        for (const origin of [PAGE, ...(s.kept === undefined ? [] : [s.kept])]) {
          const { report } = await probe(`${url}/api/items`, checkOptions(s.flags, origin));
          assert.equal(
            report.verdict,
            'allowed',
            `${tool}, from ${origin}, pasted ${fixes[tool]}: ${report.error?.consoleMessage}`,
          );
          for (const { on, header, names } of s.keeps ?? []) {
            const sent = report[on]?.response?.headers.find(([n]) => n.toLowerCase() === header)?.[1] ?? '';
            const listed = sent.split(',').map((n) => n.trim().toLowerCase());
            for (const name of names)
              assert.ok(listed.includes(name.toLowerCase()), `${tool}: ${header} keeps ${name}: '${sent}'`);
          }
        }
      }
    });
  }

  it("the note about '*' and Authorization comes when the server sent '*' (and the standard refuses it)", async () => {
    const app = express();
    app.use(corsica({ origin: PAGE, allowedHeaders: '*' }));
    routes(app);
    const { server, url } = await listen(app as never);
    servers.push(server);
    const run = await runCli([
      'check',
      `${url}/api/items`,
      '--origin',
      PAGE,
      '--header',
      'Authorization: Bearer t',
      '--browser',
      'standard',
    ]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /A '\*' never covers Authorization under the standard/);
    assert.match(printedFixes(run.stdout).corsica, /allowedHeaders: \['\*', 'authorization'\]/);
  });
});
