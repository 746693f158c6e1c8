// Differential test: real Firefox (Debian firefox-esr) against the browser model run as engine
// 'firefox'. The seeded scenarios of the Chromium test (test/helpers/scenarios.ts, with
// redirects) run as fetch() calls in one long-lived page, in one batch, and through the model over
// real HTTP. They must agree on the verdict, on which requests reached the server (preflights
// included, with the origin each carried), on the response headers the page can read, and on
// Firefox's console lines: every key, in order, and every line word for word. Then `corsica
// explain` must read each line Firefox printed as the failure the model found.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { baseCode, type CorsErrorCode } from '../../src/browser/codes.js';
import { type ConsoleLine, parseCorsMessage, simulateFetch } from '../../src/browser/index.js';
import { httpTransport, report } from '../../src/check/index.js';
import {
  type FirefoxLine,
  type FirefoxPage,
  firefoxSkipReason,
  openFirefoxPage,
} from '../helpers/firefox.js';
import { close, listen } from '../helpers/http.js';
import { releaseNote } from '../helpers/releases.js';
import {
  describeSeen,
  fetchRequest,
  makeScenarios,
  type ResponseSpec,
  readableList,
  type Scenario,
  type Seen,
  scenarioHandler,
} from '../helpers/scenarios.js';

const skip = firefoxSkipReason();
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
  readonly reached: string;
  readonly readable: string | null;
  /** Every CORS line, `key: text`, in order. */
  readonly lines: readonly string[];
}

/** The scenario a line is about: its URL names /f/<id> (or /f/<id>/next); ids are dashed words. */
const scenarioOf = (text: string) => /\/f\/([a-z0-9]+(?:-[a-z0-9]+)+)/.exec(text)?.[1] ?? null;

/**
 * The failure a Firefox line names, for the failure the model found: none for "did not succeed"
 * (the line after a failed preflight or a refused redirect) and for the warning; else the model's,
 * without its Preflight prefix (a Firefox line does not say whether it is about the preflight).
 */
function expectedCode(key: string, modelCode: CorsErrorCode | null): string | null {
  if (key === 'CORSDidNotSucceed2' || key === 'CORSAllowHeaderFromPreflightDeprecation') return null;
  return modelCode === null ? null : baseCode(modelCode);
}

/**
 * One minimal case per way Firefox departs from Chromium (docs/browsers.md, "Where browsers differ"), run in
 * the same batch as the seeded scenarios, and what real Firefox must do with it: the requests that
 * reach the server (with their Origin) and the keys of its lines.
 */
function pinned(
  origin: string,
): { scenario: Scenario; reached: RegExp; keys: readonly string[]; verdict: string }[] {
  const ok: ResponseSpec = {
    status: 204,
    headers: [
      ['Access-Control-Allow-Origin', origin],
      ['Access-Control-Allow-Methods', 'PUT'],
    ],
  };
  const base = { headers: [], credentials: false, body: null, preflight: ok, redirect: null } as const;
  const allowed: ResponseSpec = { status: 200, headers: [['Access-Control-Allow-Origin', origin]] };
  return [
    {
      // 15.1: after a cross-origin redirect the preflight carries the page's origin (Chromium: null),
      // the request itself null.
      scenario: {
        ...base,
        id: 'pin-15-1',
        method: 'PUT',
        actual: allowed,
        redirect: {
          status: 307,
          crossOrigin: true,
          userinfo: false,
          next: { status: 200, headers: [['Access-Control-Allow-Origin', 'null']] },
        },
      },
      reached: new RegExp(
        `^OPTIONS\\(PUT; -\\)\\[${origin}\\] → PUT\\[${origin}\\] → OPTIONS\\(PUT; -\\)@next\\[${origin}\\] → PUT@next\\[null\\]$`,
      ),
      keys: [],
      verdict: 'allowed',
    },
    {
      // 15.3: a preflight answered with a redirect and no allow-origin: the header first.
      scenario: {
        ...base,
        id: 'pin-15-3-redirect',
        method: 'PUT',
        preflight: { status: 302, headers: [['Location', '/elsewhere']] },
        actual: allowed,
      },
      reached: /^OPTIONS\(PUT; -\)\[[^\]]+\]$/,
      keys: ['CORSMissingAllowOrigin2', 'CORSDidNotSucceed2', 'CORSDidNotSucceed2'],
      verdict: 'blocked',
    },
    {
      // 15.3: Access-Control-Allow-Origin sent as two lines.
      scenario: {
        ...base,
        id: 'pin-15-3-two-lines',
        method: 'GET',
        actual: {
          status: 200,
          headers: [
            ['Access-Control-Allow-Origin', origin],
            ['Access-Control-Allow-Origin', origin],
          ],
        },
      },
      reached: /^GET\[[^\]]+\]$/,
      keys: ['CORSMultipleAllowOriginNotAllowed'],
      verdict: 'blocked',
    },
    {
      // 15.5: Save-Data is safelisted in Chromium only.
      scenario: {
        ...base,
        id: 'pin-15-5',
        method: 'GET',
        headers: [['Save-Data', 'on']],
        preflight: {
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', origin],
            ['Access-Control-Allow-Headers', 'save-data'],
          ],
        },
        actual: allowed,
      },
      reached: /^OPTIONS\(GET; save-data\)/,
      keys: [],
      verdict: 'allowed',
    },
    {
      // 15.6: a redirect to ftp: ("CORS request not http"; Chromium: a CORS error, its scheme list).
      scenario: {
        ...base,
        id: 'pin-15-6',
        method: 'GET',
        actual: allowed,
        redirect: { status: 302, crossOrigin: false, userinfo: false, to: 'ftp', next: allowed },
      },
      reached: /^GET\[[^\]]+\]$/,
      keys: ['CORSRequestNotHttp', 'CORSDidNotSucceed2'],
      verdict: 'blocked',
    },
    {
      // 15.10: a preflighted request that a 303 made simple is preflighted again.
      scenario: {
        ...base,
        id: 'pin-15-10',
        method: 'POST',
        headers: [['Content-Type', 'application/json']],
        body: '{}',
        preflight: {
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', origin],
            ['Access-Control-Allow-Headers', 'content-type'],
          ],
        },
        actual: allowed,
        redirect: { status: 303, crossOrigin: false, userinfo: false, next: allowed },
      },
      reached: /^OPTIONS\(POST; content-type\)\S* → POST\S* → OPTIONS\(GET; -\)@next\S* → GET@next/,
      keys: [],
      verdict: 'allowed',
    },
    {
      // 15.2: Access-Control-Allow-Headers: * covers Authorization, with a warning.
      scenario: {
        ...base,
        id: 'pin-15-2',
        method: 'GET',
        headers: [['Authorization', 'Bearer t']],
        preflight: {
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', origin],
            ['Access-Control-Allow-Headers', '*'],
          ],
        },
        actual: allowed,
      },
      reached: /^OPTIONS\(GET; authorization\)\S* → GET/,
      keys: ['CORSAllowHeaderFromPreflightDeprecation'],
      verdict: 'allowed',
    },
  ];
}

describe('Firefox and the browser model (engine firefox) agree', { skip }, () => {
  let firefox: FirefoxPage;
  let apiServer: Server;
  let pageOrigin: string;
  let api: string;
  let scenarios: Scenario[];
  let pins: ReturnType<typeof pinned>;
  let real = new Map<string, Verdict>();
  const seen = new Map<string, Seen[]>();
  const lines: FirefoxLine[] = [];
  const codeByModel = new Map<string, CorsErrorCode | null>();
  let browserMs = 0;

  before(async () => {
    const byId = new Map<string, Scenario>();
    ({ server: apiServer } = await listen(scenarioHandler(byId, seen)));
    api = `http://localhost:${(apiServer.address() as { port: number }).port}`;
    firefox = await openFirefoxPage();
    pageOrigin = firefox.origin;
    pins = pinned(pageOrigin);
    scenarios = [
      ...makeScenarios(SEED, COUNT, pageOrigin, 'https://other.example', { otherSchemes: true }),
      ...pins.map((p) => p.scenario),
    ];
    for (const s of scenarios) byId.set(s.id, s);
  });

  after(async () => {
    await firefox?.close();
    if (apiServer) await close(apiServer);
  });

  async function inFirefox(): Promise<Map<string, Verdict>> {
    const batch = scenarios.map((s) => fetchRequest(s, `${api}/f/${s.id}`));
    const started = Date.now();
    const results = await firefox.page.evaluate(async (requests) => {
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
    browserMs = Date.now() - started;
    // The console service is asynchronous: read until nothing more arrives.
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const more = await firefox.drain();
      lines.push(...more);
      quiet = more.length === 0 ? quiet + 1 : 0;
    }
    const byScenario = new Map<string, string[]>();
    for (const l of lines) {
      const id = scenarioOf(l.text);
      if (id !== null) byScenario.set(id, [...(byScenario.get(id) ?? []), `${l.key}: ${l.text}`]);
    }
    const verdicts = new Map<string, Verdict>();
    for (const s of scenarios) {
      const r = results[s.id] as BrowserResult;
      verdicts.set(s.id, {
        verdict: r.ok ? 'allowed' : 'blocked',
        reached: describeSeen(seen.get(`f/${s.id}`), 'every'),
        readable: r.ok ? readableList(r.readable ?? []) : null,
        lines: byScenario.get(s.id) ?? [],
      });
    }
    return verdicts;
  }

  async function inModel(): Promise<Map<string, Verdict>> {
    const verdicts = new Map<string, Verdict>();
    // The model ran on /m/ paths: its lines name them; Firefox's name /f/.
    const asFirefox = (l: ConsoleLine) =>
      `${l.key}: ${l.text.replace(/\/m\/([a-z0-9]+(?:-[a-z0-9]+)+)/g, '/f/$1')}`;
    for (const s of scenarios) {
      const request = {
        url: `${api}/m/${s.id}`,
        origin: pageOrigin,
        method: s.method,
        headers: s.headers,
        credentials: s.credentials ? ('include' as const) : ('same-origin' as const),
        body: s.body === null ? ('none' as const) : ('text' as const),
        engine: 'firefox' as const,
      };
      const outcome = await simulateFetch(
        request,
        httpTransport({ timeout: 5000, ...(s.body === null ? {} : { body: s.body }) }),
      );
      const r = report(outcome, request);
      codeByModel.set(s.id, outcome.failure?.code ?? null);
      verdicts.set(s.id, {
        verdict: r.verdict === 'allowed' ? 'allowed' : 'blocked',
        reached: describeSeen(seen.get(`m/${s.id}`), 'every'),
        readable: r.verdict === 'allowed' ? readableList(r.exposedHeaders) : null,
        lines: outcome.console.map(asFirefox),
      });
    }
    return verdicts;
  }

  it(`agree on every scenario: verdict, requests, readable headers, console lines (seed ${SEED}, ${COUNT} scenarios)`, async (t) => {
    const release = releaseNote('firefox', firefox.version);
    if (release !== '') t.diagnostic(release.trim());
    real = await inFirefox();
    const model = await inModel();
    const disagreements: string[] = [];
    const tally = { allowed: 0, blocked: 0, preflighted: 0, redirected: 0, lines: lines.length };
    for (const s of scenarios) {
      const b = real.get(s.id)!;
      const m = model.get(s.id)!;
      tally[b.verdict]++;
      if (b.reached.startsWith('OPTIONS')) tally.preflighted++;
      if (b.reached.includes('@next')) tally.redirected++;
      const agree =
        b.verdict === m.verdict &&
        b.reached === m.reached &&
        b.readable === m.readable &&
        JSON.stringify(b.lines) === JSON.stringify(m.lines);
      if (!agree) {
        disagreements.push(
          `${s.id}: ${s.method} headers=${JSON.stringify(s.headers)} credentials=${s.credentials} body=${s.body !== null} redirect=${JSON.stringify(s.redirect)}\n` +
            `  preflight answer ${JSON.stringify(s.preflight)}\n  actual answer ${JSON.stringify(s.actual)}\n` +
            `  firefox ${JSON.stringify(b, null, 1)}\n  model   ${JSON.stringify(m, null, 1)}`,
        );
      }
    }
    console.log(
      `Firefox ${firefox.version}: ${scenarios.length} fetches (${COUNT} seeded, ${pins.length} pinned) in ${browserMs} ms in the browser; ${JSON.stringify(tally)}`,
    );
    assert.ok(
      tally.allowed > COUNT / 10 &&
        tally.blocked > COUNT / 10 &&
        tally.preflighted > COUNT / 10 &&
        tally.redirected > COUNT / 20,
      JSON.stringify(tally),
    );
    assert.equal(
      disagreements.length,
      0,
      `${disagreements.length} of ${scenarios.length} disagree:\n${disagreements.slice(0, Number(process.env.CORSICA_DIFF_SHOW ?? 6)).join('\n')}${release}`,
    );
  });

  it('each difference docs/browsers.md lists, as a minimal case, is what real Firefox does', () => {
    const wrong: string[] = [];
    for (const p of pins) {
      const f = real.get(p.scenario.id);
      const keys = f?.lines.map((l) => l.slice(0, l.indexOf(':'))) ?? [];
      if (
        f === undefined ||
        f.verdict !== p.verdict ||
        !p.reached.test(f.reached) ||
        keys.join() !== p.keys.join()
      )
        wrong.push(`${p.scenario.id}: ${JSON.stringify(f)}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('corsica explain reads every line Firefox printed as the failure the model found', () => {
    assert.ok(lines.length > COUNT / 10, `${lines.length} console lines`);
    const keys = new Set<string>();
    const misread: string[] = [];
    for (const line of lines) {
      keys.add(line.key);
      const id = scenarioOf(line.text);
      const parsed = parseCorsMessage(line.text);
      const model = id === null ? null : (codeByModel.get(id) ?? null);
      const expected = expectedCode(line.key, model);
      const got = parsed?.code == null ? null : baseCode(parsed.code);
      if (parsed === null || parsed.browser !== 'firefox' || got !== expected)
        misread.push(`${id} ${line.key}: ${line.text} → ${parsed?.code} (model ${model})`);
    }
    assert.deepEqual(misread, []);
    // The run must have shown most of Firefox's reasons, or the check would mean little.
    assert.ok(keys.size >= 10, [...keys].join(', '));
  });
});
