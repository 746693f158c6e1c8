// Rules about the answers themselves: values browsers refuse (the model names the failure, audit
// its shape), parts of the protocol missing (preflights without CORS, or only preflights with it),
// and what is worth knowing (a missing Vary: Origin, headers a page cannot read, a public `*`).

import { type CorsErrorCode, readableHeaders } from '../browser/index.js';
import { SAFELISTED_RESPONSE_HEADERS } from '../syntax/header-names.js';
import { splitCommaList } from '../syntax/whitespace.js';
import type { FindingClass } from './codes.js';
import {
  acao,
  acaoLines,
  allowsCredentials,
  echoes,
  finding,
  header,
  type ProbeRecord,
  type RuleFinding,
  requested,
} from './finding.js';
import { preflightRefusal, refusal } from './judge.js';

/** Headers a page plainly has no use for, or that browsers handle themselves. */
const UNINTERESTING = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'server',
  'vary',
  'etag',
  'age',
  'via',
  'allow',
  'alt-svc',
  'accept-ranges',
  'content-encoding',
  'strict-transport-security',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-powered-by',
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'referrer-policy',
  'permissions-policy',
  'origin-agent-cluster',
  'nel',
  'report-to',
  'reporting-endpoints',
  'timing-allow-origin',
  'expect-ct',
  'set-cookie',
  'set-cookie2',
]);

function isUninteresting(name: string): boolean {
  return (
    UNINTERESTING.has(name) ||
    SAFELISTED_RESPONSE_HEADERS.has(name) ||
    name.startsWith('access-control-') ||
    name.startsWith('cross-origin-')
  );
}

/**
 * The class of an allow-origin value browsers refuse, by its shape (audit's names), or null when
 * it is simply another origin (a refusal, as it should be) or empty.
 */
function refusedValueClass(code: CorsErrorCode, value: string): FindingClass | null {
  if (code === 'MultipleAllowOriginValues') return 'several-origins';
  if (
    (code !== 'InvalidAllowOriginValue' && code !== 'AllowOriginMismatch') ||
    value === '' ||
    value === 'null'
  )
    return null;
  if (value.includes('*')) return 'literal-wildcard-pattern';
  if (!value.includes('://')) return 'origin-without-scheme';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i.test(value)) return 'origin-trailing-slash';
  return null;
}

/** Why a value of that class is refused, as the finding's message ends. */
const REFUSED_BECAUSE: Partial<Record<FindingClass, string>> = {
  'literal-wildcard-pattern': ', a pattern no browser matches',
  'origin-without-scheme': ', without a scheme',
  'origin-trailing-slash': ', which is not an origin (a path)',
};

/** What the probe's answer said: its allow-origin lines. */
function allowOriginSaid(r: ProbeRecord): string {
  const values = acaoLines(r).map(([, v]) => v.trim());
  const shown = values.map((v) => `Access-Control-Allow-Origin: ${v}`).join(' and ');
  return `${values.length > 1 ? `${values.length} header lines, ` : ''}${shown}`;
}

/**
 * The allow-origin values browsers refuse (the model says so, and with which error), one finding
 * per class: the first answer that shows it.
 */
export function brokenValues(records: readonly ProbeRecord[]): RuleFinding[] {
  const found = new Map<FindingClass, RuleFinding>();
  const add = (c: FindingClass, r: ProbeRecord, message: string, code: CorsErrorCode) => {
    if (!found.has(c)) found.set(c, finding(c, r, message, [], code));
  };
  for (const r of records) {
    // Without Origin a request is not a CORS request: what its answer says binds no browser.
    if (r.origin === null || r.response === null) continue;
    const sent = `Origin: ${r.origin}`;
    const failure = refusal(r, false);
    if (failure === null) {
      // Read without credentials; `*` with Allow-Credentials fails every credentialed request.
      const withCookies = refusal(r, true);
      if (acao(r) === '*' && allowsCredentials(r) && withCookies !== null)
        add(
          'wildcard-with-credentials',
          r,
          `${sent} got Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true`,
          withCookies.code,
        );
      continue;
    }
    const c = refusedValueClass(failure.code, acao(r) ?? '');
    if (c !== null) add(c, r, `${sent} got ${allowOriginSaid(r)}${REFUSED_BECAUSE[c] ?? ''}`, failure.code);
  }
  return [...found.values()];
}

/** Request headers a browser sends only after a preflight (what the user's --header adds, e.g. Authorization). */
const SAFE_PROBE_HEADERS = new Set([
  'accept',
  'accept-language',
  'content-language',
  'content-type',
  'origin',
  'cookie',
  'sec-fetch-mode',
]);

/**
 * Whether the API is meant for preflighted calls from the site: an origin-specific or credentialed
 * grant, an Allow header that lists an unsafe method, or headers the user must send (a token).
 * A public resource read by plain GETs needs no preflight answer at all.
 */
function preflightsExpected(site: ProbeRecord, preflights: readonly ProbeRecord[]): boolean {
  if (acao(site) !== '*' || allowsCredentials(site)) return true;
  const allow = preflights.map((p) => header(p, 'allow') ?? '').join(',');
  if (/\b(PUT|PATCH|DELETE|POST)\b/i.test(allow)) return true;
  return site.request.headers.some(([n]) => !SAFE_PROBE_HEADERS.has(n.toLowerCase()));
}

/**
 * Whether the route takes the method a preflight asked for, as its answer says: a 405, or an
 * `Allow` that does not list it, means the route does not (Express answers OPTIONS itself with
 * `Allow: GET,HEAD` on a GET-only route); no `Allow` says nothing, and the method is assumed taken.
 */
function routeTakes(p: ProbeRecord): boolean {
  const asked = p.request.headers.find(([n]) => n.toLowerCase() === 'access-control-request-method')?.[1];
  if (p.response!.status === 405) return false;
  if (asked === undefined) return true;
  const allow = header(p, 'allow');
  return allow === null || splitCommaList(allow).some((m) => m.toUpperCase() === asked.toUpperCase());
}

/** Statuses of authentication: the answer came from it, before CORS ran. */
const AUTHENTICATION = new Set([401, 403, 407]);

/** Preflights with CORS headers, a GET without: what the GET was, and who answered it. */
function preflightOnly(get: ProbeRecord, preflight: ProbeRecord): RuleFinding {
  const status = get.response!.status;
  const which = get.kind === 'site-anonymous' ? 'the GET without the headers given (--header)' : 'the GET';
  const cause = AUTHENTICATION.has(status)
    ? ': authentication answers before CORS does, so a page cannot read its own 401 (an expired session looks like a network failure)'
    : '';
  return finding(
    'preflight-only-cors',
    get,
    `the preflight from ${get.origin} got Access-Control-Allow-Origin: ${acao(preflight)}, ${which} got no CORS headers (status ${status})${cause}`,
  );
}

/** Findings about answers that browsers refuse, or that miss part of the protocol. */
export function protocolFindings(
  site: ProbeRecord | undefined,
  anonymous: ProbeRecord | undefined,
  preflights: readonly ProbeRecord[],
): RuleFinding[] {
  const out: RuleFinding[] = [];
  // A preflight answered 429 or 5xx says nothing about the CORS setup (a rate limiter, an outage).
  const answered = preflights.filter(
    (p) => p.response !== null && p.response.status !== 429 && p.response.status < 500,
  );
  if (site?.response == null || answered.length === 0) return out;
  const siteAcao = acao(site);
  const withAcao = answered.find((p) => acao(p) !== null);
  // The GET as sent, or without the user's headers (a session expired): the first without CORS.
  const bare = [site, anonymous].find(
    (r) => r?.response != null && r.response.status !== 429 && r.response.status < 500 && acao(r) === null,
  );
  if (bare !== undefined && withAcao !== undefined) out.push(preflightOnly(bare, withAcao));
  // The reverse of preflight-only: preflights answered without any CORS header at all. A preflight
  // with CORS headers that grants too little (no methods, a 404 carrying the origin) is left alone:
  // an API that takes only simple GETs, with the origin set on every answer, is correct, and from
  // outside the two look the same.
  const hasCors = (p: ProbeRecord) =>
    p.response!.headers.some(([n]) => n.toLowerCase().startsWith('access-control-'));
  // Only preflights for methods the route takes: a GET-only route needs no PUT grant.
  const taken = answered.filter(routeTakes);
  if (siteAcao !== null && taken.length > 0 && !taken.some(hasCors) && preflightsExpected(site, taken)) {
    const first = taken[0]!;
    out.push(
      finding(
        'actual-only-cors',
        first,
        `a GET from ${site.origin} got Access-Control-Allow-Origin: ${siteAcao}, the preflights for PUT and POST got no CORS headers (status ${first.response!.status})`,
      ),
    );
  }
  return out;
}

/**
 * The site's preflights for operations the API declares that browsers refuse (the model names the
 * failure): the operation cannot be called from the site at all. One finding, the others as also.
 */
export function declaredPreflightFindings(preflights: readonly ProbeRecord[], url: string): RuleFinding[] {
  const refused = preflights
    .filter((p) => p.response !== null && p.response.status !== 429 && p.response.status < 500)
    .map((p) => ({ p, failure: preflightRefusal(p, url) }))
    .filter((x) => x.failure !== null);
  if (refused.length === 0) return [];
  const { p, failure } = refused[0]!;
  const asked = (r: ProbeRecord) =>
    r.request.headers
      .filter(([n]) => n.toLowerCase().startsWith('access-control-request-'))
      .map(([, v]) => v)
      .join(' with ');
  // The fix grants what every refused preflight asked for.
  const asking = refused.map((x) => x.p);
  return [
    {
      ...finding(
        'declared-preflight-refused',
        p,
        `the preflight from ${p.origin} for ${asked(p)}, an operation the API declares, is refused (${failure!.code}${failure!.hint === '' ? '' : `: ${failure!.hint}`}, status ${p.response!.status})`,
        refused.slice(1).map((x) => asked(x.p)),
        failure!.code,
      ),
      fixDetail: {
        methods: requested(asking, 'access-control-request-method'),
        headers: requested(asking, 'access-control-request-headers'),
      },
    },
  ];
}

/**
 * The Cache-Control value that lets a shared cache (a CDN) store the answer (RFC 9111 §3: public,
 * s-maxage, or max-age when the request carried no Authorization), or null when none does.
 */
function sharedCacheable(r: ProbeRecord): string | null {
  const value = header(r, 'cache-control');
  if (value === null) return null;
  const directives = splitCommaList(value.toLowerCase()).map((d) => d.split('=')[0]!.trim());
  if (directives.includes('private') || directives.includes('no-store')) return null;
  const authorized = r.request.headers.some(([n]) => n.toLowerCase() === 'authorization');
  const shared =
    directives.includes('public') ||
    directives.includes('s-maxage') ||
    (!authorized && directives.includes('max-age') && !/max-age\s*=\s*"?0"?(\D|$)/.test(value));
  return shared ? value : null;
}

/** Info findings: reflected origins without Vary, unexposed headers, a public endpoint. */
export function infoFindings(site: ProbeRecord | undefined, gets: readonly ProbeRecord[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  // The grant depends on the Origin when two GETs got different answers.
  const answers = new Set(gets.filter((r) => r.response !== null).map((r) => acao(r) ?? ''));
  if (answers.size > 1) {
    const echoing = [site, ...gets].filter(
      (r): r is ProbeRecord => r !== undefined && echoes(r) && r.origin !== 'null',
    );
    const noVary = echoing.find((r) => {
      const vary = splitCommaList((header(r, 'vary') ?? '').toLowerCase());
      return !vary.includes('origin') && !vary.includes('*');
    });
    if (noVary !== undefined) {
      const cached = sharedCacheable(noVary);
      out.push(
        finding(
          cached === null ? 'vary-origin-missing' : 'vary-origin-missing-cached',
          noVary,
          `the answer to ${noVary.origin} names it in Access-Control-Allow-Origin without Vary: Origin, while other origins get other answers${cached === null ? '' : `, and Cache-Control: ${cached} lets a shared cache keep it for every origin`}`,
        ),
      );
    }
  }
  if (site?.response != null && site.origin !== null) {
    const a = acao(site);
    const credentials = allowsCredentials(site);
    if (a === '*' && !credentials)
      out.push(finding('public-wildcard', site, `Origin: ${site.origin} got Access-Control-Allow-Origin: *`));
    if (a === '*' || echoes(site)) {
      const readable = new Set(readableHeaders(site.response, credentials && a !== '*'));
      const hidden = [
        ...new Set(site.response.headers.map(([n]) => n.toLowerCase()).filter((n) => !readable.has(n))),
      ].filter((n) => !isUninteresting(n));
      if (hidden.length > 0) {
        const f = finding(
          'headers-not-exposed',
          site,
          `the answer to ${site.origin} carries ${hidden.join(', ')}, which pages cannot read (no Access-Control-Expose-Headers for ${hidden.length === 1 ? 'it' : 'them'})`,
        );
        // The fix exposes these headers, and keeps the grant the answer made.
        out.push({ ...f, fixDetail: { exposed: hidden, public: a === '*', credentials } });
      }
    }
  }
  return out;
}
