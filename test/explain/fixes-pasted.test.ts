// `corsica explain`'s fixes, pasted as printed: a misconfigured Express app (the real `cors`
// package) refuses a request; the Chromium console line the browser model writes for it (its words
// are held to real Chromium by the differential tests) is given to the real `corsica explain`
// command, and each fix line it prints (corsica, cors, fastify, hono, nginx) is pasted into its
// real tool. The browser model must then allow the request. explain knows only what the message
// says, so these are requests the message describes whole.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import corsPackage from 'cors';
import express from 'express';
import { probe } from '../../src/check/index.js';
import { PAGE, pastedApps, started } from '../helpers/check-fix-run.js';
import { runCli } from '../helpers/cli.js';
import { type App, printedFixes, routes, type Tool } from '../helpers/pasted-fix.js';

interface Case {
  readonly name: string;
  readonly broken: (app: App) => void;
  readonly request: { method: string; header: string[]; credentials: boolean };
  readonly code: string;
}

const CASES: readonly Case[] = [
  {
    name: 'an origin missing from the list (MissingAllowOriginHeader)',
    broken: (app) => app.use(corsPackage({ origin: ['https://other.example.com'] })),
    request: { method: 'GET', header: [], credentials: false },
    code: 'MissingAllowOriginHeader',
  },
  {
    name: 'a method the preflight does not allow (MethodDisallowedByPreflightResponse)',
    broken: (app) => app.use(corsPackage({ origin: PAGE, methods: ['GET', 'POST'] })),
    request: { method: 'PUT', header: [], credentials: false },
    code: 'MethodDisallowedByPreflightResponse',
  },
  {
    name: 'a header the preflight does not allow (HeaderDisallowedByPreflightResponse)',
    broken: (app) => app.use(corsPackage({ origin: PAGE, allowedHeaders: ['Content-Type'] })),
    request: { method: 'GET', header: ['X-Api-Key: k'], credentials: false },
    code: 'HeaderDisallowedByPreflightResponse',
  },
  {
    name: "'*' for a request with credentials (WildcardOriginNotAllowed)",
    broken: (app) => app.use(corsPackage()),
    request: { method: 'GET', header: [], credentials: true },
    code: 'WildcardOriginNotAllowed',
  },
];

describe("explain's printed fixes work when pasted into the real tools", () => {
  const start = started();
  for (const c of CASES) {
    it(c.name, async () => {
      const app = express();
      c.broken(app);
      routes(app);
      const url = `${await start.serve(app)}/api/items`;
      const { report } = await probe(url, { origin: PAGE, ...c.request });
      assert.equal(report.error?.code, c.code, report.error?.message);
      const run = await runCli(['explain', report.error!.consoleMessage]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const fixes = printedFixes(run.stdout);
      // Nothing runs behind the pasted line, and every tool's line is configuration.
      const pasted = await pastedApps({}, fixes, start);
      for (const [tool, at] of Object.entries(pasted) as [Tool, string][]) {
        const after = await probe(`${at}/api/items`, { origin: PAGE, ...c.request });
        assert.equal(
          after.report.verdict,
          'allowed',
          `${tool}, pasted ${fixes[tool]}: ${after.report.error?.consoleMessage}`,
        );
      }
    });
  }
});
