// Advice that works when pasted: a server configured the way beginners get it wrong is checked with
// the real `corsica check` command, and each fix it prints (corsica, cors, fastify, hono, nginx) is
// pasted, as printed, in place of the server's CORS configuration in a real app: Express 5 with
// corsica/node or cors, Fastify 5 with @fastify/cors, Hono with hono/cors, a real nginx
// (test/helpers/check-fix-run.ts). The browser model must then allow the request, and the pasted
// configuration must keep what the server had (its other origin, credentials, lists, max-age).
// fixes-pasted-codes.test.ts does the same for every other failure code.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import { corsica, PAGE, scenarioTest, started } from '../helpers/check-fix-run.js';
import { runCli } from '../helpers/cli.js';
import { printedFixes, routes } from '../helpers/pasted-fix.js';
import { FIRST_SCENARIOS } from './fix-scenarios.js';

describe('check: every printed fix, pasted as printed into a real app, makes the request pass', () => {
  const start = started();
  for (const s of FIRST_SCENARIOS) scenarioTest(s, start);

  it("the note about '*' and Authorization comes when the server sent '*' (and the standard refuses it)", async () => {
    const app = express();
    app.use(corsica({ origin: PAGE, allowedHeaders: '*' }));
    routes(app);
    const url = await start.serve(app);
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
