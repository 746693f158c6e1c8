// Differential test: real Chromium against the browser model behind `corsica check`. A seeded
// generator makes several hundred scenarios (a request, and the raw answers a server gives to its
// preflight and to the request); each runs as a fetch() in Chromium from a page on another origin,
// and through `corsica check`'s code (simulateFetch over real HTTP, then the --json report). They
// must agree on the verdict, on which requests reached the server, on Chromium's message, and on
// the response headers the page can read.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { CORS_ERROR_CODES } from '../../src/browser/codes.js';
import { parseCorsMessage, simulateFetch } from '../../src/browser/index.js';
import { type CheckReport, httpTransport, report } from '../../src/check/index.js';
import { chromiumSkipReason, type OpenPage, openPage } from '../helpers/chromium.js';
import { close, listen } from '../helpers/http.js';
import { releaseNote } from '../helpers/releases.js';
import {
  describeSeen,
  fetchRequest,
  makeScenarios,
  readableList,
  type Scenario,
  type Seen,
  scenarioHandler,
} from '../helpers/scenarios.js';

const skip = chromiumSkipReason();
const SEED = Number(process.env.CORSICA_DIFF_SEED ?? 20261125);
const COUNT = Number(process.env.CORSICA_DIFF_COUNT ?? 400);

interface BrowserResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly status?: number;
  readonly readable?: string[];
}

interface Verdict {
  readonly verdict: 'allowed' | 'blocked';
  readonly message: string | null;
  readonly reached: string;
  readonly readable: string | null;
}

const REFUSED_HEADER =
  /^Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response\.$/;

/**
 * When several request headers are refused, Chromium names the first in its internal (hash) table
 * order, which the model cannot know: the model reports every refused name, and Chromium's pick
 * must be one of them.
 */
function sameMessage(chromium: string | null, model: string | null, refused: readonly string[]): boolean {
  if (chromium === model) return true;
  const a = chromium === null ? null : REFUSED_HEADER.exec(chromium);
  const b = model === null ? null : REFUSED_HEADER.exec(model);
  return a !== null && b !== null && refused.includes(a[1]!);
}

/**
 * Failures the seeded answers rarely reach, pinned so that each of the model's codes (and the
 * message messages.test.ts says Chromium prints for it) meets a real Chromium on every run.
 */
function pinned(origin: string): Scenario[] {
  const none = { status: 204, headers: [] };
  const base = { headers: [], body: null, preflight: none, redirect: null } as const;
  return [
    {
      ...base,
      id: 'pinned-wildcard-with-credentials',
      method: 'GET',
      credentials: true,
      actual: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
      },
    },
    {
      ...base,
      id: 'pinned-redirect-to-ftp',
      method: 'GET',
      credentials: false,
      actual: { status: 200, headers: [['Access-Control-Allow-Origin', origin]] },
      redirect: {
        status: 302,
        crossOrigin: false,
        userinfo: false,
        to: 'ftp',
        next: { status: 200, headers: [['Access-Control-Allow-Origin', origin]] },
      },
    },
  ];
}

describe('Chromium and the browser model agree', { skip }, () => {
  let open: OpenPage;
  let page: Page;
  let apiServer: Server;
  let pageOrigin: string;
  let api: string;
  let scenarios: Scenario[];
  const seen = new Map<string, Seen[]>();
  let consoleErrors: string[] = [];
  let model = new Map<string, Verdict>();
  const refusedByModel = new Map<string, readonly string[]>();
  const codeByModel = new Map<string, string | null>();
  /** Chromium's whole console line for each blocked scenario, for `corsica explain`. */
  const consoleLines = new Map<string, string>();

  before(async () => {
    const byId = new Map<string, Scenario>();
    ({ server: apiServer } = await listen(scenarioHandler(byId, seen)));
    api = `http://localhost:${(apiServer.address() as { port: number }).port}`;
    open = await openPage();
    ({ page, origin: pageOrigin, consoleErrors } = open);
    scenarios = [...makeScenarios(SEED, COUNT, pageOrigin, 'https://other.example'), ...pinned(pageOrigin)];
    for (const s of scenarios) byId.set(s.id, s);
  });

  after(async () => {
    await open?.close();
    if (apiServer) await close(apiServer);
  });

  async function inChromium(): Promise<Map<string, Verdict>> {
    const batch = scenarios.map((s) => fetchRequest(s, `${api}/b/${s.id}`));
    const results = await page.evaluate(async (requests) => {
      const out: Record<string, { ok: boolean; error?: string; status?: number; readable?: string[] }> = {};
      for (const { id, url, init } of requests) {
        try {
          const res = await fetch(url, init as RequestInit);
          await res.arrayBuffer();
          out[id] = {
            ok: true,
            status: res.status,
            readable: [...(res.headers as unknown as { keys(): Iterable<string> }).keys()],
          };
        } catch (err) {
          out[id] = { ok: false, error: String(err) };
        }
      }
      return out;
    }, batch);
    const verdicts = new Map<string, Verdict>();
    for (const s of scenarios) {
      const r = results[s.id] as BrowserResult;
      const url = `'${api}/b/${s.id}'`;
      let message: string | null = null;
      if (!r.ok) {
        for (let waited = 0; message === null && waited < 3000; waited += 50) {
          const line = consoleErrors.find((m) => m.includes(url) && m.includes('blocked by CORS policy: '));
          if (line !== undefined) {
            message = line.slice(line.indexOf('blocked by CORS policy: ') + 24);
            consoleLines.set(s.id, line);
          } else await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      verdicts.set(s.id, {
        verdict: r.ok ? 'allowed' : 'blocked',
        message,
        reached: describeSeen(seen.get(`b/${s.id}`)),
        readable: r.ok ? readableList(r.readable ?? []) : null,
      });
    }
    return verdicts;
  }

  async function inModel(): Promise<Map<string, Verdict>> {
    const verdicts = new Map<string, Verdict>();
    for (const s of scenarios) {
      const request = {
        url: `${api}/m/${s.id}`,
        origin: pageOrigin,
        method: s.method,
        headers: s.headers,
        credentials: s.credentials ? ('include' as const) : ('same-origin' as const),
        body: s.body === null ? ('none' as const) : ('text' as const),
      };
      const outcome = await simulateFetch(
        request,
        httpTransport({ timeout: 5000, ...(s.body === null ? {} : { body: s.body }) }),
      );
      const r = report(outcome, request);
      refusedByModel.set(s.id, r.error?.refused ?? []);
      codeByModel.set(s.id, r.error?.code ?? null);
      verdicts.set(s.id, {
        verdict: r.verdict === 'allowed' ? 'allowed' : 'blocked',
        message: r.error?.message ?? null,
        reached: describeSeen(seen.get(`m/${s.id}`)),
        readable: r.verdict === 'allowed' ? readableList(r.exposedHeaders) : null,
      });
    }
    return verdicts;
  }

  it(`agree on every scenario (seed ${SEED}, ${COUNT} scenarios)`, async (t) => {
    const release = releaseNote('chromium', open.browser.version());
    if (release !== '') t.diagnostic(release.trim());
    const chromium = await inChromium();
    model = await inModel();
    const disagreements: string[] = [];
    const tally = { allowed: 0, blocked: 0, preflighted: 0 };
    for (const s of scenarios) {
      const b = chromium.get(s.id)!;
      const m = model.get(s.id)!;
      tally[b.verdict]++;
      if (b.reached.startsWith('OPTIONS')) tally.preflighted++;
      const agree =
        b.verdict === m.verdict &&
        b.reached === m.reached &&
        b.readable === m.readable &&
        sameMessage(b.message, m.message, refusedByModel.get(s.id) ?? []);
      if (!agree) {
        disagreements.push(
          `${s.id}: ${s.method} headers=${JSON.stringify(s.headers)} credentials=${s.credentials} body=${s.body !== null} redirect=${JSON.stringify(s.redirect)}\n` +
            `  preflight answer ${JSON.stringify(s.preflight)}\n  actual answer ${JSON.stringify(s.actual)}\n` +
            `  chromium ${JSON.stringify(b)}\n  model    ${JSON.stringify(m)} refused=${JSON.stringify(refusedByModel.get(s.id))}`,
        );
      }
    }
    // The generator must reach every kind of outcome, or agreement would mean little.
    assert.ok(
      tally.allowed > COUNT / 10 && tally.blocked > COUNT / 10 && tally.preflighted > COUNT / 10,
      JSON.stringify(tally),
    );
    assert.equal(
      disagreements.length,
      0,
      `${disagreements.length} of ${scenarios.length} disagree:\n${disagreements.slice(0, 8).join('\n')}${release}`,
    );
    // Every failure the model knows met a real Chromium here, its message included.
    const met = new Set(codeByModel.values());
    assert.deepEqual(
      CORS_ERROR_CODES.filter((code) => !met.has(code)),
      [],
      'failure codes no scenario reached',
    );
  });

  it('corsica explain reads every message Chromium printed as the failure the model found', () => {
    assert.ok(consoleLines.size > COUNT / 10, `${consoleLines.size} console lines`);
    const misread: string[] = [];
    for (const [id, line] of consoleLines) {
      const parsed = parseCorsMessage(line);
      if (parsed?.code !== codeByModel.get(id) || parsed?.origin !== pageOrigin)
        misread.push(`${id}: ${line} → ${parsed?.code}`);
    }
    assert.deepEqual(misread, []);
  });

  it('corsica check --json, the real command, reports what the in-process model reports', async () => {
    const sample = scenarios.filter((s) => s.headers.length > 0).slice(0, 3);
    for (const s of sample) {
      const args = [
        'dist/cli.js',
        'check',
        `${api}/m/${s.id}`,
        '--origin',
        pageOrigin,
        '--method',
        s.method,
        '--json',
      ];
      for (const [n, v] of s.headers) args.push('--header', `${n}: ${v}`);
      if (s.credentials) args.push('--credentials');
      if (s.body !== null) args.push('--data', s.body);
      // The API server runs in this process, so the command must run asynchronously.
      const run = await promisify(execFile)(process.execPath, args, { encoding: 'utf8' }).then(
        (r) => ({ status: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          status: e.code,
          stdout: e.stdout,
          stderr: e.stderr,
        }),
      );
      const printed = JSON.parse(run.stdout) as CheckReport;
      assert.equal(run.status, printed.verdict === 'allowed' ? 0 : 1, run.stderr);
      const expected = model.get(s.id)!;
      assert.equal(printed.verdict, expected.verdict);
      assert.equal(printed.error?.message ?? null, expected.message);
      assert.equal(
        printed.verdict === 'allowed' ? printed.exposedHeaders.join(',') : null,
        expected.readable,
      );
    }
  });
});
