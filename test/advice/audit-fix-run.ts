// Audit's fixes, run in the real tools (test/advice/audit-fixes-*.test.ts): the gallery's flawed
// server for a class (test/audit/gallery.ts) is audited, and each line of the fix the audit
// printed is pasted, as printed, into a real app: corsica/node and `cors` on Express 5, Fastify 5
// with @fastify/cors, Hono with hono/cors, and a real nginx. The same audit of that app must no
// longer find the class, and the site's own page must still be let through by the browser model.
// A line that is words (the tool has no option for the change) is named so in the table, and must
// mention what to change.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import corsPackage from 'cors';
import { type AuditReport, audit, type Finding, type FindingClass } from '../../src/audit/index.js';
import { probe } from '../../src/check/index.js';
import { FLAWED, SITE } from '../audit/gallery.js';
import { auditOptionsOf } from '../audit/gallery-servers.js';
import { close, listen } from '../helpers/http.js';
import { skipNginx } from '../helpers/nginx.js';
import {
  expressWith,
  type Tool as FixTool,
  fastifyWith,
  honoWith,
  nginxWith,
  type Scope,
} from '../helpers/pasted-fix.js';

const require = createRequire(import.meta.url);
/** corsica/node as an app installs it: the built package. */
const corsica = require('corsica/node') as typeof corsPackage;

const TOOLS: readonly FixTool[] = ['corsica', 'cors', 'fastify', 'hono', 'nginx'];

/** One class: the lines that are words, each with what it must mention. */
export interface FixRow {
  readonly class: FindingClass;
  readonly words?: Partial<Record<FixTool, RegExp>>;
  /** The site's request that must pass after the fix, besides a GET (a preflighted one). */
  readonly legit?: { readonly method: string; readonly header: readonly string[] };
}

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

/** An app with the tool's line pasted where its CORS configuration was. */
async function serveFixed(tool: FixTool, line: string, scope: Scope): Promise<Running> {
  const express = async (cors: unknown) => {
    const { server, url } = await listen(expressWith(line, cors, false, scope) as never);
    return { url, close: () => close(server) };
  };
  if (tool === 'corsica') return express(corsica);
  if (tool === 'cors') return express(corsPackage);
  if (tool === 'hono') return honoWith(line, false, scope);
  if (tool === 'nginx') {
    const nginx = await nginxWith(line);
    return { url: nginx.url, close: nginx.stop };
  }
  const fastify = await fastifyWith(line, false, scope);
  return { url: await fastify.listen({ port: 0, host: '127.0.0.1' }), close: () => fastify.close() };
}

/** The finding of class `c` the flawed server's audit printed. */
async function foundOn(
  c: FindingClass,
): Promise<{ found: Finding; options: ReturnType<typeof auditOptionsOf>; scope: Scope }> {
  const flawed = FLAWED.find((s) => s.expected === c && (s.skip ?? false) === false);
  assert.ok(flawed, `the gallery has a server for ${c} that runs here`);
  const options = { ...auditOptionsOf(flawed), timeout: 5000 };
  const running = await flawed.start();
  let report: AuditReport;
  try {
    report = await audit(running.url, options);
  } finally {
    await running.close();
  }
  const found = report.findings.find((f) => f.class === c);
  assert.ok(found, `${flawed.name}: ${report.findings.map((f) => f.class).join(', ')}`);
  // A drift fix says cors(policy): the options of the --policy file the audit was given.
  return { found, options, scope: flawed.policy === undefined ? {} : { policy: flawed.policy } };
}

/** The tests of one class: each tool's line run (or read), after the flawed server's audit. */
export function fixTests(row: FixRow): void {
  const needsNginx = row.words?.nginx === undefined ? skipNginx : false;
  it(`${row.class}: ${TOOLS.map((t) => `${t} ${row.words?.[t] ? '(words)' : '(runs)'}`).join(', ')}`, {
    skip: needsNginx,
  }, async () => {
    const { found, options, scope } = await foundOn(row.class);
    for (const tool of TOOLS) {
      const line = found.fix[tool];
      const words = row.words?.[tool];
      if (words !== undefined) {
        assert.match(line, words, `${tool}: ${line}`);
        continue;
      }
      const fixed = await serveFixed(tool, line, scope);
      try {
        const url = `${fixed.url}/api/items`;
        const after = await audit(url, options);
        assert.ok(
          !after.findings.some((f) => f.class === row.class),
          `${tool}, pasted ${line}: still ${row.class}: ${after.findings.find((f) => f.class === row.class)?.message}`,
        );
        assert.deepEqual(
          after.findings.filter((f) => f.severity === 'exploitable').map((f) => f.class),
          [],
          `${tool}, pasted ${line}: nothing exploitable is left`,
        );
        const credentials = /credentials: true|Allow-Credentials "true"/.test(line);
        const site = options.origin ?? SITE;
        // The hostile origin that proved the flaw is refused now, unless the fix answers '*' on purpose.
        if (found.origin !== null && found.origin !== site && !/origin: '\*'|Allow-Origin "\*"/.test(line)) {
          const { report } = await probe(url, { origin: found.origin, credentials, timeout: 3000 });
          assert.equal(
            report.verdict,
            'blocked',
            `${tool}, pasted ${line}: ${found.origin} is still granted`,
          );
        }
        for (const request of [
          { method: 'GET', header: [] as readonly string[] },
          ...(row.legit ? [row.legit] : []),
        ]) {
          const { report } = await probe(url, {
            origin: site,
            method: request.method,
            header: [...request.header],
            credentials,
            timeout: 3000,
          });
          assert.equal(
            report.verdict,
            'allowed',
            `${tool}, pasted ${line}: ${request.method} from the site: ${report.error?.consoleMessage}`,
          );
        }
      } finally {
        await fixed.close();
      }
    }
  });
}
