// Seeded scenarios for the differential test between real Chromium and the browser model: a
// request a page makes, and the raw answers a server gives to its preflight and to the request.
// The generator favours answers that are almost right, where browsers and models disagree.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ResponseSpec {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
}

export interface Scenario {
  readonly id: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly credentials: boolean;
  readonly body: string | null;
  readonly preflight: ResponseSpec;
  readonly actual: ResponseSpec;
  /** When set, the actual answer redirects (with the actual answer's headers) to `next`. */
  readonly redirect: Redirect | null;
}

export interface Redirect {
  readonly status: 301 | 302 | 303 | 307 | 308;
  /** To the same server under its other name (127.0.0.1 vs localhost): another origin, a taint. */
  readonly crossOrigin: boolean;
  /** With userinfo in the Location. */
  readonly userinfo: boolean;
  /**
   * To a URL that is not http(s) instead: Chromium calls ftp: and mailto: a CORS
   * error and data: a network error; Firefox says "CORS request not http" for the first two.
   */
  readonly to?: 'ftp' | 'data' | 'mailto';
  /** The answer at the new URL (its preflight gets the scenario's preflight answer). */
  readonly next: ResponseSpec;
}

/** mulberry32: small, fast, good enough to pick test cases reproducibly. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

const METHODS = [
  'GET',
  'GET',
  'POST',
  'POST',
  'HEAD',
  'PUT',
  'put',
  'DELETE',
  'delete',
  'PATCH',
  'patch',
  'OPTIONS',
  'PURGE',
];

/** Request headers a page may set: safelisted, unsafe, and values at the edges of the rules. */
const REQUEST_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Type', 'text/plain'],
  ['Content-Type', 'text/plain;charset=UTF-8'],
  ['Content-Type', 'application/x-www-form-urlencoded'],
  ['Content-Type', 'multipart/form-data; boundary=abc'],
  ['Content-Type', 'application/json'],
  ['Content-Type', 'text/plain,'],
  ['Content-Type', 'text /plain'],
  ['Content-Type', 'Text/Plain; garbage'],
  ['Accept', 'application/json'],
  ['Accept', 'text/"html"'],
  ['Accept', `text/${'x'.repeat(130)}`],
  ['Accept-Language', 'en-US,en;q=0.9'],
  ['Accept-Language', 'en_US'],
  ['Content-Language', 'de-DE'],
  ['Range', 'bytes=0-99'],
  ['Range', 'bytes=100-'],
  ['Range', 'bytes=-100'],
  ['Range', 'bytes=0-1,5-6'],
  ['X-Custom', '1'],
  ['X-Requested-With', 'XMLHttpRequest'],
  ['Authorization', 'Bearer token'],
  ['X-Api-Key', 'k'],
  ['Save-Data', 'on'],
  ['DPR', '2'],
  ['Width', 'wide'],
];

const EXPOSABLE: readonly (readonly [string, string])[] = [
  ['X-Total', '7'],
  ['X-Trace', 'abc'],
  ['Cache-Control', 'no-store'],
  ['Content-Language', 'en'],
  ['Set-Cookie', 'a=b'],
];

/** The ways an answer goes wrong; each scenario applies none, one or two of them. */
const MUTATIONS = [
  'acao-star',
  'acao-missing',
  'acao-slash',
  'acao-other',
  'acao-two-lines',
  'acao-list',
  'acao-null',
  'acao-not-url',
  'acao-upper',
  'acac-missing',
  'acac-capital',
  'acam-star',
  'acam-missing',
  'acam-lower',
  'acam-upper',
  'acam-invalid',
  'acam-empty-items',
  'acah-star',
  'acah-missing',
  'acah-upper',
  'acah-partial',
  'acah-invalid',
  'status-404',
  'status-500',
  'status-302',
  'aceh-star',
  'aceh-invalid',
] as const;
type Mutation = (typeof MUTATIONS)[number];

function allowOrigin(m: ReadonlySet<Mutation>, origin: string, other: string): [string, string][] {
  if (m.has('acao-star')) return [['Access-Control-Allow-Origin', '*']];
  if (m.has('acao-missing')) return [];
  if (m.has('acao-slash')) return [['Access-Control-Allow-Origin', `${origin}/`]];
  if (m.has('acao-other')) return [['Access-Control-Allow-Origin', other]];
  if (m.has('acao-two-lines')) {
    return [
      ['Access-Control-Allow-Origin', origin],
      ['Access-Control-Allow-Origin', origin],
    ];
  }
  if (m.has('acao-list')) return [['Access-Control-Allow-Origin', `${origin}, ${other}`]];
  if (m.has('acao-null')) return [['Access-Control-Allow-Origin', 'null']];
  if (m.has('acao-not-url')) return [['Access-Control-Allow-Origin', 'app.example.com']];
  if (m.has('acao-upper')) return [['Access-Control-Allow-Origin', origin.toUpperCase()]];
  return [['Access-Control-Allow-Origin', origin]];
}

function allowCredentials(m: ReadonlySet<Mutation>, credentials: boolean): [string, string][] {
  if (m.has('acac-missing')) return [];
  if (m.has('acac-capital')) return [['Access-Control-Allow-Credentials', 'True']];
  return credentials ? [['Access-Control-Allow-Credentials', 'true']] : [];
}

function unsafeNames(headers: readonly (readonly [string, string])[]): string[] {
  return [...new Set(headers.map(([n]) => n.toLowerCase()))];
}

/** The method as the browser sends it: the six it normalizes upper-cased, others as written. */
function sentMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

export interface ScenarioOptions {
  /**
   * Let about one redirect in ten go to ftp:, data: or mailto:. Off by default, so
   * that a seed gives the other differential tests the scenarios it always gave them.
   */
  readonly otherSchemes?: boolean;
}

export function makeScenarios(
  seed: number,
  count: number,
  origin: string,
  other: string,
  options: ScenarioOptions = {},
): Scenario[] {
  const rng = random(seed);
  const scenarios: Scenario[] = [];
  for (let i = 0; i < count; i++) {
    const method = pick(rng, METHODS);
    const headers: (readonly [string, string])[] = [];
    const headerCount = pick(rng, [0, 0, 1, 1, 2, 3]);
    for (let k = 0; k < headerCount; k++) {
      const h = pick(rng, REQUEST_HEADERS);
      if (!headers.some(([n]) => n.toLowerCase() === h[0].toLowerCase())) headers.push(h);
    }
    const credentials = chance(rng, 0.25);
    const body = method === 'GET' || method === 'HEAD' || !chance(rng, 0.4) ? null : 'payload';
    // A correct server answer, then none, one or two faults in it.
    const m = new Set<Mutation>();
    const faults = pick(rng, [0, 0, 0, 1, 1, 2]);
    for (let k = 0; k < faults; k++) m.add(pick(rng, MUTATIONS));

    const names = unsafeNames(headers);
    const sent = sentMethod(method);
    let acam: [string, string][] = [['Access-Control-Allow-Methods', `GET, POST, ${sent}`]];
    if (m.has('acam-star')) acam = [['Access-Control-Allow-Methods', '*']];
    if (m.has('acam-missing')) acam = [];
    if (m.has('acam-lower')) acam = [['Access-Control-Allow-Methods', sent.toLowerCase()]];
    if (m.has('acam-upper')) acam = [['Access-Control-Allow-Methods', sent.toUpperCase()]];
    if (m.has('acam-invalid')) acam = [['Access-Control-Allow-Methods', `GET ${sent}`]];
    if (m.has('acam-empty-items')) acam = [['Access-Control-Allow-Methods', `,, ${sent} ,`]];
    let acah: [string, string][] =
      names.length === 0 ? [] : [['Access-Control-Allow-Headers', names.join(', ')]];
    if (m.has('acah-star')) acah = [['Access-Control-Allow-Headers', '*']];
    if (m.has('acah-missing')) acah = [];
    if (m.has('acah-upper') && names.length > 0)
      acah = [['Access-Control-Allow-Headers', names.map((n) => n.toUpperCase()).join(',')]];
    if (m.has('acah-partial') && names.length > 1)
      acah = [['Access-Control-Allow-Headers', names.slice(1).join(',')]];
    if (m.has('acah-invalid')) acah = [['Access-Control-Allow-Headers', 'x-a;b']];
    const preflightStatus = m.has('status-404')
      ? 404
      : m.has('status-500')
        ? 500
        : m.has('status-302')
          ? 302
          : pick(rng, [204, 200]);
    const preflight: ResponseSpec = {
      status: preflightStatus,
      headers: [
        ...allowOrigin(m, origin, other),
        ...allowCredentials(m, credentials),
        ...acam,
        ...acah,
        ...(preflightStatus === 302 ? ([['Location', '/elsewhere']] as [string, string][]) : []),
      ],
    };
    // The actual answer gets its own draw of the origin and credential faults.
    const n = new Set<Mutation>();
    if (chance(rng, 0.3)) n.add(pick(rng, MUTATIONS));
    let aceh: [string, string][] = pick(rng, [
      [],
      [['Access-Control-Expose-Headers', 'X-Total']],
      [['Access-Control-Expose-Headers', 'x-total, X-Trace, set-cookie']],
    ] as [string, string][][]);
    if (n.has('aceh-star')) aceh = [['Access-Control-Expose-Headers', '*']];
    if (n.has('aceh-invalid')) aceh = [['Access-Control-Expose-Headers', 'x-total;']];
    const extra = EXPOSABLE.filter(() => chance(rng, 0.5));
    const actual: ResponseSpec = {
      status: n.has('status-404') ? 404 : n.has('status-500') ? 500 : pick(rng, [200, 200, 201]),
      headers: [...allowOrigin(n, origin, other), ...allowCredentials(n, credentials), ...aceh, ...extra],
    };
    let redirect: Redirect | null = null;
    if (chance(rng, 0.2)) {
      const crossOrigin = chance(rng, 0.4);
      const r = new Set<Mutation>();
      if (chance(rng, 0.3)) r.add(pick(rng, MUTATIONS));
      // After a taint the request carries Origin: null; a server that knows it answers null or *.
      const taintedOrigin = crossOrigin ? pick(rng, ['null', '*', origin]) : origin;
      const nextHeaders = allowOrigin(r, taintedOrigin, other);
      const status = pick(rng, [301, 302, 303, 307, 308] as const);
      const userinfo = chance(rng, 0.1);
      const to =
        options.otherSchemes === true && chance(rng, 0.1)
          ? pick(rng, ['ftp', 'data', 'mailto'] as const)
          : undefined;
      redirect = {
        status,
        crossOrigin,
        userinfo,
        ...(to === undefined ? {} : { to }),
        next: {
          status: 200,
          headers: [...nextHeaders, ...allowCredentials(r, credentials), ...aceh, ...extra],
        },
      };
    }
    scenarios.push({ id: `${seed}-${i}`, method, headers, credentials, body, preflight, actual, redirect });
  }
  return scenarios;
}

/** A request a scenario server saw. */
export interface Seen {
  readonly method: string;
  readonly acrm: string | null;
  readonly acrh: string | null;
  readonly origin: string | null;
  /** True for a request to the redirect's target. */
  readonly next: boolean;
}

/**
 * Answers /<run>/<scenario id> with the scenario's preflight answer (OPTIONS with
 * Access-Control-Request-Method) or actual answer, and records what arrived.
 */
export function scenarioHandler(scenarios: ReadonlyMap<string, Scenario>, seen: Map<string, Seen[]>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const [, run, id, hop] = path.split('/');
    const scenario = scenarios.get(id ?? '');
    if (scenario === undefined) {
      res.statusCode = 404;
      res.end('unknown scenario');
      return;
    }
    const key = `${run}/${id}`;
    const acrm = req.headers['access-control-request-method'];
    seen.set(key, [
      ...(seen.get(key) ?? []),
      {
        method: req.method ?? '',
        acrm: typeof acrm === 'string' ? acrm : null,
        acrh: (req.headers['access-control-request-headers'] as string | undefined) ?? null,
        origin: req.headers.origin ?? null,
        next: hop === 'next',
      },
    ]);
    const redirect = scenario.redirect;
    const preflight = req.method === 'OPTIONS' && acrm !== undefined;
    let spec = preflight ? scenario.preflight : scenario.actual;
    if (!preflight && redirect !== null) {
      if (hop === 'next') spec = redirect.next;
      else {
        const host = req.headers.host ?? '';
        const otherHost = host.startsWith('localhost')
          ? host.replace('localhost', '127.0.0.1')
          : host.replace('127.0.0.1', 'localhost');
        const userinfo = redirect.userinfo ? 'user:pw@' : '';
        const next = `${redirect.crossOrigin ? otherHost : host}/${run}/${id}/next`;
        // Every Location names /<run>/<id>, so that a browser's lines about it can be told apart.
        const location =
          redirect.to === 'ftp'
            ? `ftp://${next}`
            : redirect.to === 'data'
              ? `data:text/plain,/${run}/${id}`
              : redirect.to === 'mailto'
                ? `mailto:cors@example.com?subject=/${run}/${id}`
                : `http://${userinfo}${next}`;
        res.setHeader('Location', location);
        spec = { status: redirect.status, headers: scenario.actual.headers };
      }
    }
    res.statusCode = spec.status;
    const grouped = new Map<string, string[]>();
    for (const [name, value] of spec.headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? values[0]! : values);
    req.resume();
    res.end(req.method === 'HEAD' ? undefined : 'body');
  };
}

/** Connection-level headers depend on the client's connection handling, not on CORS. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive']);

/** Readable response header names, compared across a browser and the model: sorted, once each. */
export const readableList = (names: Iterable<string>): string =>
  [...new Set(names)]
    .filter((n) => !HOP_BY_HOP.has(n))
    .sort()
    .join(',');

/**
 * The requests a server saw, in order: `OPTIONS(method; headers)` for a preflight, and after the
 * redirect `@next(origin)`; with `every`, each request names the Origin it carried (`[origin]`).
 */
export function describeSeen(
  seen: readonly Seen[] | undefined,
  origins: 'after-redirect' | 'every' = 'after-redirect',
): string {
  return (seen ?? [])
    .map((s) => {
      const request = s.acrm === null ? s.method : `OPTIONS(${s.acrm}; ${s.acrh ?? '-'})`;
      return origins === 'every'
        ? `${request}${s.next ? '@next' : ''}[${s.origin}]`
        : `${request}${s.next ? `@next(${s.origin})` : ''}`;
    })
    .join(' → ');
}

/** A scenario as the arguments of fetch(), for a batch that a page runs. */
export function fetchRequest(s: Scenario, url: string) {
  return {
    id: s.id,
    url,
    init: {
      method: s.method,
      headers: s.headers.map(([n, v]) => [n, v]),
      credentials: s.credentials ? 'include' : 'same-origin',
      ...(s.body === null ? {} : { body: s.body }),
    },
  };
}
