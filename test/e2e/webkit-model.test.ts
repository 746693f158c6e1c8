// Differential test: real WebKit (WebKitGTK's MiniBrowser under Xvfb, test/helpers/webkit.ts)
// against the browser model behind `corsica check`. The seeded scenarios of
// test/helpers/scenarios.ts (redirects included), plus one pinned minimal case per known
// difference, run as fetch() calls in one WebKit page on another origin, and through the model
// (simulateFetch over real HTTP, then the report). They must agree on the verdict, on the requests
// that reached the server, on the status and on the response headers the page can read, and
// WebKit's console line must name the failure the model found; every exception is an entry of
// ACCEPTED, with the number of the engine difference it belongs to.
//
// The comparison is with the model's `webkit` engine. CORSICA_WEBKIT_MODEL_ENGINE=chromium compares
// with Chromium's rules instead; then the entries of kind `engine` apply too (they are where WebKit
// and Chromium differ, each backed by a pinned case). An entry that no longer occurs fails the last
// test, so that the list shrinks as the model learns WebKit: `model` entries go with a fix that all engines share,
// and `webkitgtk` ones stay (WebKitGTK's own network layer, which Safari does not share).
//
// CORSICA_WEBKIT_DUMP=<file> writes every disagreement and every console line as JSON.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { type Engine, parseCorsMessage, simulateFetch } from '../../src/browser/index.js';
import { httpTransport, report } from '../../src/check/index.js';
import { close, listen } from '../helpers/http.js';
import { releaseNote } from '../helpers/releases.js';
import {
  describeSeen,
  makeScenarios,
  type ResponseSpec,
  readableList,
  type Scenario,
  type Seen,
  scenarioHandler,
} from '../helpers/scenarios.js';
import { launchWebKit, type WebKitBrowser, type WebKitResult, webkitSkipReason } from '../helpers/webkit.js';

const skip = webkitSkipReason();
const SEED = Number(process.env.CORSICA_DIFF_SEED ?? 20261125);
const COUNT = Number(process.env.CORSICA_DIFF_COUNT ?? 400);
/** The model's engine to compare with (CORSICA_WEBKIT_MODEL_ENGINE=chromium for Chromium's rules). */
const MODEL_ENGINE = (process.env.CORSICA_WEBKIT_MODEL_ENGINE ?? 'webkit') as string as Engine;
const STANDARD = 'standard' as Engine;

type VerdictKind = 'allowed' | 'blocked' | 'network-error';

interface Outcome {
  readonly verdict: VerdictKind;
  /** The requests the server saw, in order (describeSeen of test/helpers/scenarios.ts). */
  readonly reached: string;
  /** The response header names the page can read, sorted; null unless allowed. */
  readonly readable: string | null;
  readonly status: number | null;
}

const sameOutcome = (a: Outcome, b: Outcome) =>
  a.verdict === b.verdict && a.reached === b.reached && a.readable === b.readable && a.status === b.status;

// ---------------------------------------------------------------------------------------------
// WebKit's reasons. Each refusal prints one `CONSOLE SECURITY ERROR <reason>` line (no URL), then
// `CONSOLE JS ERROR Fetch API cannot load <url> due to access control checks.`.

type WebKitReason =
  | 'origin'
  | 'multiple-origins'
  | 'wildcard'
  | 'credentials'
  | 'preflight-status'
  | 'method'
  | 'header'
  | 'invalid-methods'
  | 'invalid-headers'
  | 'redirect-credentials'
  | 'scheme'
  | 'redirect-scheme'
  | 'too-many-redirects'
  | 'restricted-port';

/** The reason line's text (after `CONSOLE SECURITY ERROR `), and what it names. */
const WEBKIT_REASONS: readonly (readonly [WebKitReason, RegExp])[] = [
  // A redirect's own CORS check prefixes the reason with "Cross-origin redirection to <url> denied
  // by Cross-Origin Resource Sharing policy: "; the reason after it is one of these.
  [
    'redirect-credentials',
    /^Cross-origin redirection to \S+ denied by .*: redirection URL \S+ has credentials$/,
  ],
  ['origin', /(^|: )Origin (\S+) is not allowed by Access-Control-Allow-Origin\. Status code: (\d+)$/],
  ['multiple-origins', /(^|: )Access-Control-Allow-Origin cannot contain more than one origin\.$/],
  ['wildcard', /(^|: )Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\.$/],
  ['credentials', /(^|: )Credentials flag is true, but Access-Control-Allow-Credentials is not "true"\.$/],
  ['preflight-status', /^Preflight response is not successful\. Status code: (\d+)$/],
  ['method', /^Method (\S+) is not allowed by Access-Control-Allow-Methods\.$/],
  ['header', /^Request header field (\S+) is not allowed by Access-Control-Allow-Headers\.$/],
  ['invalid-methods', /^Header Access-Control-Allow-Methods has an invalid value: (.*)$/],
  ['invalid-headers', /^Header Access-Control-Allow-Headers has an invalid value: (.*)$/],
  ['scheme', /^(Cross origin requests are only supported for HTTP\.|FTP URLs are disabled)$/],
  [
    'redirect-scheme',
    /^Cross-origin redirection to .* denied by .*: not allowed to follow a cross-origin CORS redirection with non CORS scheme$/,
  ],
  ['too-many-redirects', /^Load cannot follow more than 20 redirections$/],
  ['restricted-port', /^Not allowed to use restricted network port \d+: \S+$/],
];

const SECURITY = 'CONSOLE SECURITY ERROR ';
const JS_ERROR = /^CONSOLE JS ERROR Fetch API cannot load \S+ due to access control checks\.$/;

function webkitReason(lines: readonly string[]): { reason: WebKitReason; match: RegExpExecArray } | null {
  for (const line of lines) {
    if (!line.startsWith(SECURITY)) continue;
    const text = line.slice(SECURITY.length);
    for (const [reason, pattern] of WEBKIT_REASONS) {
      const match = pattern.exec(text);
      if (match !== null) return { reason, match };
    }
  }
  return null;
}

/** The WebKit reason each model failure should print (one WebKit line covers several codes, 15.12). */
const EXPECTED_REASON: Readonly<Record<string, WebKitReason>> = {
  MissingAllowOriginHeader: 'origin',
  AllowOriginMismatch: 'origin',
  InvalidAllowOriginValue: 'origin',
  MultipleAllowOriginValues: 'multiple-origins',
  WildcardOriginNotAllowed: 'wildcard',
  InvalidAllowCredentials: 'credentials',
  PreflightInvalidStatus: 'preflight-status',
  PreflightDisallowedRedirect: 'preflight-status',
  MethodDisallowedByPreflightResponse: 'method',
  HeaderDisallowedByPreflightResponse: 'header',
  InvalidAllowMethodsPreflightResponse: 'invalid-methods',
  InvalidAllowHeadersPreflightResponse: 'invalid-headers',
  RedirectContainsCredentials: 'redirect-credentials',
  CorsDisabledScheme: 'scheme',
};

/** The model's code without the Preflight prefix (a fault found on the preflight). */
const baseCode = (code: string) =>
  code.startsWith('Preflight') && code !== 'PreflightInvalidStatus' && code !== 'PreflightDisallowedRedirect'
    ? code.slice('Preflight'.length)
    : code;

// ---------------------------------------------------------------------------------------------
// Where WebKit and the model differ, as data.

/** Everything a classifier of a difference may look at. */
interface Difference {
  readonly scenario: Scenario;
  readonly webkit: Outcome;
  /** The model, with MODEL_ENGINE. */
  readonly model: Outcome;
  /** The model with engine `standard` (the Fetch standard alone). */
  readonly standard: Outcome;
  readonly console: readonly string[];
  /** The model's failure code (MODEL_ENGINE), or null. */
  readonly code: string | null;
  /** Set when the outcomes agree and only the reasons differ. */
  readonly reasons: { readonly webkit: WebKitReason | null; readonly expected: WebKitReason | null } | null;
}

interface AcceptedDifference {
  /** The number of the engine difference, as the WebKit comparison numbered them. */
  readonly point: string;
  readonly cause: string;
  /**
   * `engine`: the model's webkit engine should follow WebKit here; the entry goes with it.
   * `webkitgtk`: WebKitGTK's own network layer, not WebCore (Safari differs): stays accepted.
   * `model`: a model bug that all engines share; the entry goes with the fix.
   */
  readonly kind: 'engine' | 'webkitgtk' | 'model';
  /** The pinned minimal case that shows it (an id that pinned() makes). */
  readonly pinned: string;
  readonly matches: (d: Difference) => boolean;
}

/** Chromium's legacy client hints and Save-Data, safelisted only by Chromium (safelist.ts). */
const CHROMIUM_ONLY_SAFELIST = new Set([
  'device-memory',
  'dpr',
  'downlink',
  'width',
  'viewport-width',
  'rtt',
  'ect',
  'save-data',
  'intervention',
]);
const beforeRedirect = (reached: string) => reached.split(' → ').filter((r) => !r.includes('@next'));
const afterRedirect = (reached: string) => reached.split(' → ').filter((r) => r.includes('@next'));
/** `headers` of `OPTIONS(method; headers)`. */
const acrh = (hop: string) => {
  const request = hop.split('@')[0]!;
  return request.slice(request.indexOf('; ') + 2, request.lastIndexOf(')'));
};
const usesChromiumOnlyHeader = (s: Scenario) =>
  s.headers.some(([n]) => CHROMIUM_ONLY_SAFELIST.has(n.toLowerCase()));
/**
 * What WebKit is compared with where a cause comes on top of 15.5: the standard's safelist when
 * the request sends one of Chromium's extra safelisted headers, else the model.
 */
const reference = (d: Difference) => (usesChromiumOnlyHeader(d.scenario) ? d.standard : d.model);
/** WebKit and the reference reached the server alike until the redirect. */
const samePrefix = (d: Difference) =>
  beforeRedirect(d.webkit.reached).join(' → ') === beforeRedirect(reference(d).reached).join(' → ');
/** The method of the request the redirect's target saw (its preflight's, or its own). */
const methodAtNext = (reached: string) => {
  const hop = afterRedirect(reached).at(-1);
  return hop === undefined
    ? null
    : hop.startsWith('OPTIONS(')
      ? hop.slice(8, hop.indexOf(';'))
      : hop.split('@')[0];
};

const ACCEPTED: readonly AcceptedDifference[] = [
  {
    point: '15.9',
    kind: 'engine',
    cause:
      "WebKit checks a preflight's status before its CORS headers: a non-2xx preflight without a valid Access-Control-Allow-Origin is 'Preflight response is not successful', the model names the header",
    pinned: 'pin-9-status-first',
    matches: (d) =>
      d.reasons?.webkit === 'preflight-status' &&
      d.code !== null &&
      d.code.startsWith('Preflight') &&
      (d.scenario.preflight.status < 200 || d.scenario.preflight.status > 299),
  },
  {
    point: '15.11',
    kind: 'webkitgtk',
    cause:
      'WebKitGTK (its soup network layer, not WebCore) turns a DELETE into a GET when a redirect (301, 302, 307 or 308) goes to another origin',
    pinned: 'pin-11-delete-307-cross',
    matches: (d) =>
      d.reasons === null &&
      d.scenario.redirect?.crossOrigin === true &&
      d.scenario.redirect.status !== 303 &&
      d.scenario.method.toUpperCase() === 'DELETE' &&
      samePrefix(d) &&
      methodAtNext(d.webkit.reached) === 'GET' &&
      methodAtNext(reference(d).reached) === 'DELETE',
  },
  {
    point: '15.5',
    kind: 'engine',
    cause:
      "Chromium's extra safelisted request headers (Save-Data, DPR, Width, ...) need a preflight in WebKit, as in the standard (and Firefox)",
    pinned: 'pin-5-save-data',
    matches: (d) =>
      d.reasons === null && usesChromiumOnlyHeader(d.scenario) && sameOutcome(d.webkit, d.standard),
  },
  {
    point: '15.5+15.2',
    kind: 'engine',
    cause:
      "15.5 where the preflight answers Access-Control-Allow-Headers: * to a request with Authorization: WebKit preflights Chromium's extra headers as the standard does, and lets * cover Authorization as Chromium does (the standard does not)",
    pinned: 'pin-5-authorization-star',
    matches: (d) =>
      d.reasons === null &&
      usesChromiumOnlyHeader(d.scenario) &&
      !d.scenario.credentials &&
      d.scenario.headers.some(([n]) => n.toLowerCase() === 'authorization') &&
      d.scenario.preflight.headers.some(([n, v]) => n === 'Access-Control-Allow-Headers' && v === '*') &&
      d.webkit.reached.startsWith(d.standard.reached) &&
      d.standard.verdict === 'blocked' &&
      d.webkit.verdict === d.model.verdict &&
      d.webkit.readable === d.model.readable &&
      d.webkit.status === d.model.status,
  },
  {
    point: '15.10',
    kind: 'engine',
    cause:
      'WebKit keeps preflighting a request once it was preflighted, with the original header list, after a redirect made it a simple request',
    pinned: 'pin-10-json-303',
    matches: (d) => {
      if (d.reasons !== null || d.scenario.redirect === null || !samePrefix(d)) return false;
      // The redirect's target got a preflight asking for the first preflight's header list
      // (body headers that the redirect dropped included), where the reference sent none or
      // asked for less.
      const first = beforeRedirect(d.webkit.reached)[0];
      const next = afterRedirect(d.webkit.reached)[0];
      const expected = afterRedirect(reference(d).reached)[0];
      return (
        first?.startsWith('OPTIONS(') === true &&
        next?.startsWith('OPTIONS(') === true &&
        acrh(first) === acrh(next) &&
        (expected?.startsWith('OPTIONS(') !== true || acrh(expected) !== acrh(next))
      );
    },
  },
];

/** The entries that apply to the engine compared with. */
const ACTIVE = ACCEPTED.filter((a) => MODEL_ENGINE !== 'webkit' || a.kind !== 'engine');

// ---------------------------------------------------------------------------------------------
// One minimal case per known difference, so that each shows whatever the seed draws.

function pinned(origin: string): Scenario[] {
  const ok = (headers: [string, string][] = []): ResponseSpec => ({
    status: 200,
    headers: [['Access-Control-Allow-Origin', origin], ...headers],
  });
  const preflightOk = (method: string, headers: [string, string][] = []): ResponseSpec => ({
    status: 204,
    headers: [['Access-Control-Allow-Origin', origin], ['Access-Control-Allow-Methods', method], ...headers],
  });
  const base = {
    method: 'GET',
    headers: [] as [string, string][],
    credentials: false,
    body: null,
    preflight: preflightOk('GET'),
    actual: ok(),
    redirect: null,
  };
  return [
    // 15.8, fixed in the model: a CORS header value's trailing whitespace is not part of it.
    {
      ...base,
      id: 'pin-8-acao-space',
      actual: { status: 200, headers: [['Access-Control-Allow-Origin', `${origin} `]] },
    },
    {
      ...base,
      id: 'pin-8-acao-tab',
      actual: { status: 200, headers: [['Access-Control-Allow-Origin', `${origin}\t`]] },
    },
    {
      ...base,
      id: 'pin-8-acac-space',
      credentials: true,
      actual: ok([['Access-Control-Allow-Credentials', 'true ']]),
    },
    {
      ...base,
      id: 'pin-8-preflight-acao-space',
      method: 'PUT',
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', `${origin} `],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
      },
    },
    { ...base, id: 'pin-9-status-first', method: 'PUT', preflight: { status: 500, headers: [] } },
    {
      ...base,
      id: 'pin-10-json-303',
      method: 'POST',
      headers: [['Content-Type', 'application/json']],
      body: 'payload',
      preflight: preflightOk('POST', [['Access-Control-Allow-Headers', 'content-type']]),
      redirect: {
        status: 303,
        crossOrigin: true,
        userinfo: false,
        next: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] },
      },
    },
    // Same-origin redirects keep the DELETE: they agree (a guard on 15.11's scope).
    {
      ...base,
      id: 'pin-11-delete-307-same',
      method: 'DELETE',
      preflight: preflightOk('DELETE'),
      redirect: { status: 307, crossOrigin: false, userinfo: false, next: ok() },
    },
    ...([307, 308] as const).map((status) => ({
      ...base,
      id: `pin-11-delete-${status}-cross`,
      method: 'DELETE',
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', 'DELETE'],
        ] as [string, string][],
      },
      redirect: {
        status,
        crossOrigin: true,
        userinfo: false,
        next: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] as [string, string][] },
      },
    })),
    {
      ...base,
      id: 'pin-5-authorization-star',
      headers: [
        ['Save-Data', 'on'],
        ['Authorization', 'Bearer token'],
      ],
      preflight: preflightOk('GET', [['Access-Control-Allow-Headers', '*']]),
    },
    {
      ...base,
      id: 'pin-5-save-data',
      headers: [['Save-Data', 'on']],
      preflight: preflightOk('GET', [['Access-Control-Allow-Headers', 'save-data']]),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Fetches the scenario server cannot make: redirects to what a browser will not follow, and
// requests that fail before any CORS check. WebKit counts a redirect it will not follow as an
// access-control failure, with its own reason line; the model (Chromium) as a network error.

interface Edge {
  readonly id: string;
  /** Where the edge server's 302 points (`self` for itself, for ever), or a URL to fetch directly. */
  readonly location?: string;
  readonly url?: string;
  /** What WebKit does: its verdict and reason line. */
  readonly webkit: { readonly verdict: VerdictKind; readonly reason: WebKitReason | null };
  /** When the model's verdict differs from WebKit's: the accepted difference's issue point. */
  readonly accepted: string | null;
}

const EDGES: readonly Edge[] = [
  {
    id: 'edge-redirect-ftp',
    location: 'ftp://localhost/x',
    webkit: { verdict: 'blocked', reason: 'scheme' },
    accepted: null,
  },
  {
    id: 'edge-redirect-data',
    location: 'data:,hi',
    webkit: { verdict: 'blocked', reason: 'redirect-scheme' },
    accepted: '15.12',
  },
  {
    id: 'edge-redirect-about',
    location: 'about:blank',
    webkit: { verdict: 'blocked', reason: 'redirect-scheme' },
    accepted: '15.12',
  },
  {
    id: 'edge-redirect-invalid-url',
    location: 'http://[::1',
    webkit: { verdict: 'blocked', reason: 'redirect-scheme' },
    accepted: '15.12',
  },
  {
    id: 'edge-redirect-loop',
    location: 'self',
    webkit: { verdict: 'blocked', reason: 'too-many-redirects' },
    accepted: '15.12',
  },
  {
    id: 'edge-fetch-ftp',
    url: 'ftp://localhost/x',
    webkit: { verdict: 'blocked', reason: 'scheme' },
    accepted: '15.12',
  },
  {
    id: 'edge-restricted-port',
    url: 'http://localhost:9/x',
    webkit: { verdict: 'network-error', reason: 'restricted-port' },
    accepted: null,
  },
];

// ---------------------------------------------------------------------------------------------

describe('WebKit and the browser model agree', { skip }, () => {
  let webkit: WebKitBrowser;
  let apiServer: Server;
  let pageOrigin: string;
  let api: string;
  let seeded: Scenario[];
  let pins: Scenario[];
  const byId = new Map<string, Scenario>();
  const seen = new Map<string, Seen[]>();
  const webkitResults = new Map<string, WebKitResult>();
  const inWk = new Map<string, Outcome>();
  const inModel = new Map<string, Outcome>();
  const modelCodes = new Map<string, string | null>();
  const modelRefused = new Map<string, readonly string[]>();
  const modelHints = new Map<string, string>();
  const matched = new Map<AcceptedDifference, string[]>();
  const dump: unknown[] = [];
  let webkitMs = 0;
  let launchMs = 0;
  let edgeServer: Server;
  let edgeBase: string;
  const edgeResults = new Map<string, WebKitResult>();

  before(async () => {
    ({ server: apiServer } = await listen(scenarioHandler(byId, seen)));
    ({ server: edgeServer } = await listen((req, res) => {
      const id = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
      const edge = EDGES.find((e) => e.id === id);
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (edge?.location !== undefined) {
        res.statusCode = 302;
        res.setHeader('Location', edge.location === 'self' ? `/${id}` : edge.location);
      }
      req.resume();
      res.end('body');
    }));
    edgeBase = `http://localhost:${(edgeServer.address() as { port: number }).port}`;
    api = `http://localhost:${(apiServer.address() as { port: number }).port}`;
    const launched = performance.now();
    webkit = await launchWebKit();
    launchMs = performance.now() - launched;
    pageOrigin = webkit.origin;
    seeded = makeScenarios(SEED, COUNT, pageOrigin, 'https://other.example');
    pins = pinned(pageOrigin);
    for (const s of [...seeded, ...pins]) byId.set(s.id, s);
    const started = performance.now();
    const results = await webkit.run(
      [...seeded, ...pins].map((s) => ({
        key: s.id,
        url: `${api}/w/${s.id}`,
        method: s.method,
        headers: s.headers,
        credentials: s.credentials ? ('include' as const) : ('same-origin' as const),
        body: s.body,
      })),
    );
    webkitMs = performance.now() - started;
    for (const r of results) {
      webkitResults.set(r.key, r);
      inWk.set(r.key, {
        verdict: r.verdict,
        reached: describeSeen(seen.get(`w/${r.key}`)),
        readable: r.verdict === 'allowed' ? readableList((r.headers ?? []).map(([n]) => n)) : null,
        status: r.status,
      });
    }
    for (const s of [...seeded, ...pins]) inModel.set(s.id, await runModel(s, MODEL_ENGINE, 'm'));
    for (const r of await webkit.run(EDGES.map((e) => ({ key: e.id, url: edgeUrl(e) }))))
      edgeResults.set(r.key, r);
  });

  const edgeUrl = (e: Edge) => e.url ?? `${edgeBase}/${e.id}`;

  after(async () => {
    if (process.env.CORSICA_WEBKIT_DUMP) {
      const lines = [...webkitResults.values()].map((r) => ({
        id: r.key,
        verdict: r.verdict,
        code: modelCodes.get(r.key),
        console: r.console,
      }));
      writeFileSync(process.env.CORSICA_WEBKIT_DUMP, JSON.stringify({ differences: dump, lines }, null, 1));
    }
    await webkit?.close();
    if (apiServer) await close(apiServer);
    if (edgeServer) await close(edgeServer);
  });

  async function runModel(s: Scenario, engine: Engine, run: string): Promise<Outcome> {
    const request = {
      url: `${api}/${run}/${s.id}`,
      origin: pageOrigin,
      method: s.method,
      headers: s.headers,
      credentials: s.credentials ? ('include' as const) : ('same-origin' as const),
      body: s.body === null ? ('none' as const) : ('text' as const),
      engine,
    };
    const outcome = await simulateFetch(
      request,
      httpTransport({ timeout: 5000, ...(s.body === null ? {} : { body: s.body }) }),
    );
    const r = report(outcome, request);
    if (run === 'm') {
      modelCodes.set(s.id, r.error?.code ?? null);
      modelRefused.set(s.id, r.error?.refused ?? []);
      if (outcome.failure !== null) modelHints.set(s.id, outcome.failure.hint);
    }
    return {
      verdict: r.verdict,
      reached: describeSeen(seen.get(`${run}/${s.id}`)),
      readable: r.verdict === 'allowed' ? readableList(r.exposedHeaders) : null,
      status: r.verdict === 'allowed' ? (r.actual?.response?.status ?? null) : null,
    };
  }

  /** Whether WebKit's reason line says what the model found (the quoted method or header too). */
  function reasonsAgree(id: string, lines: readonly string[]) {
    const code = modelCodes.get(id) ?? null;
    const found = webkitReason(lines);
    const expected = code === null ? null : (EXPECTED_REASON[baseCode(code)] ?? null);
    let agree = found?.reason === expected;
    if (agree && found?.reason === 'method') agree = found.match[1] === modelHints.get(id);
    if (agree && found?.reason === 'header')
      agree = (modelRefused.get(id) ?? []).includes(found.match[1]!.toLowerCase());
    return { agree, webkit: found?.reason ?? null, expected };
  }

  const show = (s: Scenario, d: Partial<Difference>) =>
    `${s.id}: ${s.method} headers=${JSON.stringify(s.headers)} credentials=${s.credentials} body=${s.body !== null} redirect=${JSON.stringify(s.redirect)}\n` +
    `  preflight answer ${JSON.stringify(s.preflight)}\n  actual answer ${JSON.stringify(s.actual)}\n` +
    `  webkit   ${JSON.stringify(d.webkit)} console=${JSON.stringify(d.console)}\n  model    ${JSON.stringify(d.model)} code=${d.code}\n  standard ${JSON.stringify(d.standard)}` +
    (d.reasons ? `\n  reasons  ${JSON.stringify(d.reasons)}` : '');

  /** Compares one scenario; returns a description when it differs without an accepted cause. */
  async function compare(s: Scenario): Promise<string | null> {
    const w = inWk.get(s.id)!;
    const m = inModel.get(s.id)!;
    const lines = webkitResults.get(s.id)?.console ?? [];
    const outcomesAgree = sameOutcome(w, m);
    const reasons = outcomesAgree && w.verdict === 'blocked' ? reasonsAgree(s.id, lines) : null;
    if (outcomesAgree && (reasons === null || reasons.agree)) return null;
    const d: Difference = {
      scenario: s,
      webkit: w,
      model: m,
      standard: await runModel(s, STANDARD, 's'),
      console: lines,
      code: modelCodes.get(s.id) ?? null,
      reasons: reasons === null ? null : { webkit: reasons.webkit, expected: reasons.expected },
    };
    const accepted = ACTIVE.find((a) => a.matches(d));
    dump.push({ ...d, accepted: accepted?.point ?? null });
    if (accepted === undefined) return show(s, d);
    matched.set(accepted, [...(matched.get(accepted) ?? []), s.id]);
    return null;
  }

  it(`agree on every seeded scenario but the accepted differences (seed ${SEED}, ${COUNT} scenarios)`, async (t) => {
    const release = releaseNote('webkit', webkit.version);
    if (release !== '') t.diagnostic(release.trim());
    const unexplained: string[] = [];
    const tally = { allowed: 0, blocked: 0, 'network-error': 0, preflighted: 0, redirected: 0, agree: 0 };
    for (const s of seeded) {
      const w = inWk.get(s.id)!;
      tally[w.verdict]++;
      if (w.reached.startsWith('OPTIONS')) tally.preflighted++;
      if (s.redirect !== null) tally.redirected++;
      if (sameOutcome(w, inModel.get(s.id)!)) tally.agree++;
      const problem = await compare(s);
      if (problem !== null) unexplained.push(problem);
    }
    const verdicts = seeded.filter((s) => inWk.get(s.id)!.verdict === inModel.get(s.id)!.verdict).length;
    const bothBlocked = seeded.filter(
      (s) => inWk.get(s.id)!.verdict === 'blocked' && sameOutcome(inWk.get(s.id)!, inModel.get(s.id)!),
    );
    const reasons = bothBlocked.filter(
      (s) => reasonsAgree(s.id, webkitResults.get(s.id)?.console ?? []).agree,
    );
    const fetches = seeded.length + pins.length;
    t.diagnostic(
      `${webkit.version}, model engine ${MODEL_ENGINE}: verdicts agree on ${verdicts}/${COUNT}, whole outcomes on ${tally.agree}/${COUNT}, ` +
        `WebKit's reason on ${reasons.length}/${bothBlocked.length} of those blocked alike; ` +
        `MiniBrowser started in ${launchMs.toFixed(0)} ms and ran ${fetches} fetches in ${webkitMs.toFixed(0)} ms (${(webkitMs / fetches).toFixed(1)} ms each); ${JSON.stringify(tally)}`,
    );
    for (const a of ACTIVE) {
      const ids = (matched.get(a) ?? []).filter((id) => !id.startsWith('pin-'));
      if (ids.length > 0) t.diagnostic(`accepted ${a.point} (${a.kind}) ×${ids.length}: ${ids.join(' ')}`);
    }
    // The generator must reach every kind of outcome, or agreement would mean little.
    assert.ok(
      tally.allowed > COUNT / 10 &&
        tally.blocked > COUNT / 10 &&
        tally.preflighted > COUNT / 10 &&
        tally.redirected > COUNT / 20,
      JSON.stringify(tally),
    );
    assert.equal(
      unexplained.length,
      0,
      `${unexplained.length} of ${COUNT} differ without an accepted cause:\n${unexplained.slice(0, 8).join('\n')}${release}`,
    );
  });

  it('each pinned case agrees, or differs only as its accepted difference says', async () => {
    const problems: string[] = [];
    for (const s of pins) {
      const problem = await compare(s);
      if (problem !== null) problems.push(problem);
      const entry = ACTIVE.find((a) => a.pinned === s.id);
      if (entry !== undefined && !(matched.get(entry) ?? []).includes(s.id))
        problems.push(`${s.id} no longer shows ${entry.point}: ${entry.cause}`);
    }
    assert.deepEqual(problems, []);
  });

  it('WebKit printed one refusal per blocked fetch, a known reason, and nothing for allowed ones', (t) => {
    const byReason = new Map<string, Map<string, number>>();
    const odd: string[] = [];
    const anonymous = (l: string) =>
      l
        .replaceAll(pageOrigin, '<page>')
        .replace(
          /http:\/\/(user:pw@)?(localhost|127\.0\.0\.1):\d+\/\S*/g,
          (_m, userinfo: string | undefined) => (userinfo ? '<url with user:pw@>' : '<url>'),
        );
    for (const s of [...seeded, ...pins]) {
      const r = webkitResults.get(s.id)!;
      if (r.verdict === 'allowed') {
        if (r.console.length > 0) odd.push(`${s.id}: allowed, yet printed ${JSON.stringify(r.console)}`);
        continue;
      }
      const security = r.console.filter((l) => l.startsWith(SECURITY));
      if (security.length !== 1 || r.console.length !== 2 || !JS_ERROR.test(r.console[1] ?? ''))
        odd.push(`${s.id}: ${JSON.stringify(r.console)}`);
      if (webkitReason(r.console) === null)
        odd.push(`${s.id}: no known reason in ${JSON.stringify(r.console)}`);
      const key = `${r.verdict}, model ${modelCodes.get(s.id) ?? inModel.get(s.id)?.verdict}`;
      const group = byReason.get(key) ?? new Map<string, number>();
      byReason.set(key, group);
      const text = security.map(anonymous).join(' ¶ ') || '(no security line)';
      group.set(text, (group.get(text) ?? 0) + 1);
    }
    for (const line of webkit.stray) odd.push(`printed outside every fetch: ${line}`);
    for (const [key, lines] of [...byReason].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [line, n] of lines) t.diagnostic(`${key} ×${n}: ${line}`);
    }
    assert.deepEqual(odd, []);
  });

  it('corsica explain reads every line WebKit printed as the failure the model found, or says it is ambiguous', () => {
    // WebKit prints one line for a missing, a different and an unparsable allow-origin.
    const ALLOW_ORIGIN = new Set([
      'MissingAllowOriginHeader',
      'AllowOriginMismatch',
      'InvalidAllowOriginValue',
    ]);
    const misread: string[] = [];
    let read = 0;
    for (const s of [...seeded, ...pins]) {
      const r = webkitResults.get(s.id)!;
      const model = modelCodes.get(s.id) ?? null;
      if (r.verdict !== 'blocked' || model === null) continue;
      for (const line of r.console.filter((l) => l.startsWith(SECURITY))) {
        read++;
        const parsed = parseCorsMessage(line);
        const got = parsed?.code == null ? null : baseCode(parsed.code);
        const want = baseCode(model);
        const ambiguous = got !== null && ALLOW_ORIGIN.has(got) && ALLOW_ORIGIN.has(want);
        if (parsed === null || parsed.browser !== 'safari' || (got !== want && !ambiguous))
          misread.push(`${s.id}: ${line} → ${parsed?.code} (model ${model})`);
        else if (
          ambiguous &&
          !/no Access-Control-Allow-Origin, or one that does not match/.test(parsed.note ?? '')
        )
          misread.push(`${s.id}: ${line}: the ambiguity is not said (${parsed.note})`);
      }
    }
    assert.ok(read > COUNT / 10, `${read} lines read`);
    assert.deepEqual(misread, []);
  });

  it('redirects WebKit will not follow, and fetches that fail before CORS', async (t) => {
    const problems: string[] = [];
    for (const e of EDGES) {
      const r = edgeResults.get(e.id)!;
      const found = webkitReason(r.console);
      t.diagnostic(`${e.id}: WebKit ${r.verdict}: ${r.console.join(' ¶ ').replaceAll(edgeBase, '<url>')}`);
      if (r.verdict !== e.webkit.verdict || (found?.reason ?? null) !== e.webkit.reason)
        problems.push(
          `${e.id}: WebKit now ${r.verdict} ${found?.reason ?? null}: ${JSON.stringify(r.console)}`,
        );
      const request = { url: edgeUrl(e), origin: pageOrigin, engine: MODEL_ENGINE };
      const model = report(await simulateFetch(request, httpTransport({ timeout: 5000 })), request);
      const agree =
        model.verdict === r.verdict &&
        (model.error === null || EXPECTED_REASON[baseCode(model.error.code)] === found?.reason);
      if (agree && e.accepted !== null) problems.push(`${e.id} agrees now: drop its accepted ${e.accepted}`);
      if (!agree && e.accepted === null)
        problems.push(
          `${e.id}: model ${model.verdict} ${model.error?.code ?? model.typeError}, WebKit ${r.verdict} ${found?.reason}`,
        );
    }
    assert.deepEqual(problems, []);
  });

  it('every accepted difference still occurs (else remove it from ACCEPTED)', () => {
    const stale = ACTIVE.filter((a) => !matched.has(a)).map((a) => `${a.point}: ${a.cause}`);
    assert.deepEqual(stale, []);
  });
});
