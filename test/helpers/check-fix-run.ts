// One case of "check's printed fix, pasted as printed, makes the request pass": a misconfigured
// server is checked with the real `corsica check` command, and each fix line it prints (corsica,
// cors, fastify, hono, nginx) is pasted in place of the server's CORS configuration in a real app
// (test/helpers/pasted-fix.ts), with the rest of the app (authentication, a failing dependency, a
// redirect) kept behind it. The browser model must then allow the request, and the pasted
// configuration must keep what the server had. A line that is words (nginx cannot run the app's
// authentication) is named so, with what it must say, and not run.
// Used by test/check/fixes-pasted*.test.ts.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, it } from 'node:test';
import corsPackage from 'cors';
import express from 'express';
import type Fastify from 'fastify';
import { probe } from '../../src/check/index.js';
import { runCli } from './cli.js';
import { close, listen } from './http.js';
import { skipNginx } from './nginx.js';
import {
  type App,
  type Behind,
  expressWith,
  fastifyWith,
  honoWith,
  nginxWith,
  printedFixes,
  routes,
  type Tool,
} from './pasted-fix.js';

const require = createRequire(import.meta.url);
/** corsica/node as an app installs it: the built package. */
export const corsica = require('corsica/node') as typeof corsPackage;

export const PAGE = 'http://localhost:5173';

export const JSON_POST = ['--method', 'POST', '--header', 'Content-Type: application/json', '--data', '{}'];

export interface Scenario {
  readonly name: string;
  /** The misconfigured Express app, whatever runs before the routes (which follow, unless `ownRoutes`). */
  readonly broken: (app: App) => void;
  readonly ownRoutes?: boolean;
  /** What the app does besides CORS, run after each pasted line (the broken app has it where it put it). */
  readonly behind?: Behind;
  /** The request, as `corsica check` flags. */
  readonly flags: readonly string[];
  /** The failure check reports, and words its cause must (or must not) have. */
  readonly code: string;
  /** The verdict line, when the request is checked as another engine (`--browser`) than Chromium. */
  readonly blocked?: string;
  readonly cause?: RegExp;
  readonly notCause?: RegExp;
  /** An origin the server allowed before, which the pasted fix must still allow (same request). */
  readonly kept?: string;
  /** Tools whose line is words, not configuration: what it must say (it is not run). */
  readonly words?: Partial<Record<Tool, RegExp>>;
  /** Names the server's answers listed, which the pasted fix's answers must list still. */
  readonly keeps?: readonly { on: 'preflight' | 'actual'; header: string; names: readonly string[] }[];
}

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

/** Everything the cases of one file start, stopped after them. */
export function started() {
  const servers: Server[] = [];
  const stops: (() => Promise<void>)[] = [];
  after(async () => {
    for (const s of servers) await close(s);
    for (const stop of stops) await stop();
  });
  return {
    serve: async (app: App) => {
      const { server, url } = await listen(app as never);
      servers.push(server);
      return url;
    },
    stopLater: (stop: () => Promise<void>) => stops.push(stop),
  };
}

type Started = ReturnType<typeof started>;

/**
 * Each tool's line pasted in a real app (the tools whose line is words left out): their URLs.
 * explain's fixes are pasted the same way (test/explain/fixes-pasted.test.ts).
 */
export async function pastedApps(
  s: Pick<Scenario, 'behind' | 'words'>,
  fixes: Record<Tool, string>,
  { serve, stopLater }: Started,
): Promise<Partial<Record<Tool, string>>> {
  const behind = s.behind ?? false;
  const running = async (r: Promise<{ url: string; close?(): Promise<void>; stop?(): Promise<void> }>) => {
    const { url, close: c, stop } = await r;
    stopLater((c ?? stop)!);
    return url;
  };
  const apps: Record<Tool, () => Promise<string>> = {
    corsica: () => serve(expressWith(fixes.corsica, corsica, behind)),
    cors: () => serve(expressWith(fixes.cors, corsPackage, behind)),
    fastify: async () => {
      const f: ReturnType<typeof Fastify> = await fastifyWith(fixes.fastify, behind);
      stopLater(() => f.close());
      return f.listen({ port: 0, host: '127.0.0.1' });
    },
    hono: () => running(honoWith(fixes.hono, behind)),
    nginx: () => running(nginxWith(fixes.nginx)),
  };
  const out: Partial<Record<Tool, string>> = {};
  for (const tool of Object.keys(apps) as Tool[]) {
    if (s.words?.[tool] !== undefined || (tool === 'nginx' && skipNginx)) continue;
    out[tool] = await apps[tool]();
  }
  return out;
}

/** The case as a test: check the broken server, paste each line, probe again. */
export function scenarioTest(s: Scenario, start: Started): void {
  it(s.name, async () => {
    const app = express();
    s.broken(app);
    if (s.ownRoutes !== true) routes(app);
    const broken = await start.serve(app);
    const run = await runCli(['check', `${broken}/api/items`, '--origin', PAGE, ...s.flags]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    if (s.blocked !== undefined) assert.ok(run.stdout.includes(s.blocked), run.stdout);
    else assert.match(run.stdout, new RegExp(`Chromium blocked \\(${s.code}\\)`));
    if (s.cause) assert.match(run.stdout, s.cause);
    if (s.notCause) assert.doesNotMatch(run.stdout, s.notCause);
    const fixes = printedFixes(run.stdout);
    for (const [tool, words] of Object.entries(s.words ?? {}) as [Tool, RegExp][])
      assert.match(fixes[tool], words, `${tool}'s words`);
    const pasted = await pastedApps(s, fixes, start);
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
