// From the battery's answers to findings: one rule per class of the closed table (codes.ts), each
// reading only the probes built for it, so that one mistake is named by its own class. A server
// that echoes any origin is reported as that and nothing narrower (every bypass probe would pass).

import { checkPreflight, classifyRequest, getHeader, readableHeaders } from '../browser/index.js';
import { SAFELISTED_RESPONSE_HEADERS } from '../spec/header-names.js';
import { isPublicSuffix } from '../spec/public-suffix.js';
import { splitCommaList, trimHttpWhitespace } from '../spec/whitespace.js';
import { classInfo, type FindingClass, type FindingFix, type FindingSeverity, fixForSite } from './codes.js';
import { PROBE_LABEL, type Probe, type ProbeKind, type Site } from './probes.js';

/** One probe as sent, and its answer (null when it got none). */
export interface ProbeRecord {
  readonly kind: ProbeKind;
  /** The Origin sent, or null for the probe without one. */
  readonly origin: string | null;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: readonly [string, string][];
  };
  readonly response: {
    readonly status: number;
    readonly headers: readonly [string, string][];
    /** Header lines the audit did not keep (repeats, or headers no rule reads, past fixed bounds). */
    readonly droppedLines?: number;
  } | null;
  /** Why there is no answer (a timeout, a reset connection), or null. */
  readonly error: string | null;
}

/** One finding: its class, what proves it, and what to do. */
export interface Finding {
  readonly class: FindingClass;
  readonly severity: FindingSeverity;
  readonly pitfall: number | null;
  /** What this server did, in one sentence. */
  readonly message: string;
  readonly impact: string;
  readonly fix: FindingFix;
  /** The Origin whose probe proves it (null for the probe without Origin). */
  readonly origin: string | null;
  /** The probe that proves it: request and response headers. */
  readonly proof: ProbeRecord;
  /** Other origins the same rule caught, if any. */
  readonly also: readonly string[];
}

const acaoLines = (r: ProbeRecord) =>
  (r.response?.headers ?? []).filter(([n]) => n.toLowerCase() === 'access-control-allow-origin');
const header = (r: ProbeRecord, name: string) =>
  r.response === null ? null : getHeader(r.response.headers, name);
const acao = (r: ProbeRecord) => header(r, 'access-control-allow-origin');
const withCredentials = (r: ProbeRecord) => header(r, 'access-control-allow-credentials')?.trim() === 'true';
/** The answer grants exactly the origin that asked (one line, byte for byte). */
const echoes = (r: ProbeRecord) => r.origin !== null && acaoLines(r).length === 1 && acao(r) === r.origin;

function granted(r: ProbeRecord): string {
  return `${r.origin} is allowed${withCredentials(r) ? ' with credentials' : ''}`;
}

function finding(
  c: FindingClass,
  proof: ProbeRecord,
  message: string,
  also: readonly string[] = [],
): Finding {
  const info = classInfo(c);
  return {
    class: c,
    severity: info.severity,
    pitfall: info.pitfall ?? null,
    message,
    impact: info.impact,
    fix: info.fix,
    origin: proof.origin,
    proof,
    also,
  };
}

/** A finding for the first echoing probe among `records`, the others as `also`. */
function echoFinding(c: FindingClass, records: readonly ProbeRecord[], why: string): Finding | null {
  const hits = records.filter(echoes);
  if (hits.length === 0) return null;
  const first = hits[0]!;
  return finding(
    c,
    first,
    `${why}: ${granted(first)}`,
    hits.slice(1).map((r) => r.origin!),
  );
}

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

/** The broken values of Access-Control-Allow-Origin, one finding per class (the first answer that shows it). */
function brokenValues(records: readonly ProbeRecord[]): Finding[] {
  const found = new Map<FindingClass, Finding>();
  const add = (c: FindingClass, r: ProbeRecord, message: string) => {
    if (!found.has(c)) found.set(c, finding(c, r, message));
  };
  for (const r of records) {
    // Without Origin a request is not a CORS request: what its answer says binds no browser.
    if (r.origin === null) continue;
    const lines = acaoLines(r);
    const sent = `Origin: ${r.origin}`;
    // An empty value grants nothing; an echo of the probe's own Origin is the probe's oddity, not the server's.
    const values = lines.map(([, v]) => trimHttpWhitespace(v)).filter((v) => v !== '');
    if (values.length === 0 || (values.length === 1 && values[0] === r.origin)) continue;
    if (values.length > 1 || /[\s,]/.test(values[0]!)) {
      const shown = values.map((v) => `Access-Control-Allow-Origin: ${v}`).join(' and ');
      add(
        'several-origins',
        r,
        `${sent} got ${values.length > 1 ? `${values.length} header lines, ` : ''}${shown}`,
      );
      continue;
    }
    const v = values[0]!;
    if (v === '*') {
      if (withCredentials(r))
        add(
          'wildcard-with-credentials',
          r,
          `${sent} got Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true`,
        );
      continue;
    }
    if (v === 'null') continue;
    if (v.includes('*'))
      add(
        'literal-wildcard-pattern',
        r,
        `${sent} got Access-Control-Allow-Origin: ${v}, a pattern no browser matches`,
      );
    else if (!v.includes('://'))
      add('origin-without-scheme', r, `${sent} got Access-Control-Allow-Origin: ${v}, without a scheme`);
    else if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i.test(v))
      add(
        'origin-trailing-slash',
        r,
        `${sent} got Access-Control-Allow-Origin: ${v}, which is not an origin (a path)`,
      );
  }
  return [...found.values()];
}

/**
 * Whether a preflight answer lets the browser send the request the preflight asked for (its method
 * and headers), with credentials (`include`) or without (`omit`).
 */
function preflightPasses(r: ProbeRecord, url: string, credentials: 'include' | 'omit'): boolean {
  if (r.response === null || r.origin === null) return false;
  const asked = (name: string) => r.request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const headers: [string, string][] = splitCommaList(asked('access-control-request-headers') ?? '')
    .filter((n) => n !== '')
    .map((n) => [n, n === 'content-type' ? 'application/json' : '1']);
  const c = classifyRequest({
    url,
    origin: r.origin,
    method: asked('access-control-request-method') ?? 'PUT',
    headers,
    credentials,
  });
  return c.ok && checkPreflight(c.value, r.response, r.origin).ok;
}

type ByKind = (k: ProbeKind) => ProbeRecord[];

/**
 * The preflight from an unrelated origin echoed and passing, where actual answers do not grant
 * that origin as much: a script on any site can then send the unsafe method (with the user's
 * cookies when the preflight allows credentials). A public `*` endpoint without credentials that
 * also echoes on preflights gives nothing away, and is not reported.
 */
function preflightReflectsAny(byKind: ByKind, url: string, get: ProbeRecord | undefined): Finding | null {
  const preflight = byKind('unrelated-preflight')[0];
  if (preflight === undefined || !echoes(preflight)) return null;
  const withCookies = preflightPasses(preflight, url, 'include');
  const passes = withCookies || preflightPasses(preflight, url, 'omit');
  const getAcao = get === undefined ? null : acao(get);
  const getCredentials = get !== undefined && withCredentials(get);
  // Actual answers as open as the preflight: the actual-answer rules say it, if anything.
  if (getAcao !== null && (getAcao === '*' || getAcao === get?.origin) && (getCredentials || !withCookies))
    return null;
  const message = `the preflight from ${preflight.origin} for DELETE with X-Corsica-Probe got Access-Control-Allow-Origin: ${acao(preflight)}${passes ? ` and passes${withCookies ? ' with credentials' : ''}` : ''}, while a GET from the same origin got ${getAcao === null ? 'no CORS headers' : `Access-Control-Allow-Origin: ${getAcao}${getCredentials ? ' with credentials' : ''}`}`;
  return finding('preflight-reflects-any', preflight, message);
}

/** Any origin echoed (with or without credentials), or only by preflights. */
function anyOriginFindings(byKind: ByKind, url: string): { found: Finding[]; reflectsAny: boolean } {
  const unrelated = byKind('unrelated');
  const echoing = unrelated.filter(echoes);
  const anyOrigin = echoing.find(withCredentials) ?? echoing[0];
  const preflight = preflightReflectsAny(byKind, url, anyOrigin ?? unrelated[0]);
  if (anyOrigin !== undefined) {
    const why = `the server echoes any origin: ${granted(anyOrigin)}`;
    const c = withCredentials(anyOrigin) ? 'reflected-any-origin-with-credentials' : 'reflected-any-origin';
    return {
      found: [finding(c, anyOrigin, why), ...(preflight === null ? [] : [preflight])],
      reflectsAny: true,
    };
  }
  return { found: preflight === null ? [] : [preflight], reflectsAny: false };
}

/**
 * The site's own origin refused while a misspelling of it is echoed: the allow-list holds the
 * origin with a trailing slash, without its scheme, or as a pattern the server compares as text.
 */
function misspelledListFindings(site: Site, siteGet: ProbeRecord | undefined, byKind: ByKind): Finding[] {
  const siteAcao = siteGet === undefined ? null : acao(siteGet);
  if (siteAcao === site.origin || siteAcao === '*') return [];
  const out: Finding[] = [];
  for (const r of byKind('misspelled').filter(echoes)) {
    const o = r.origin!;
    const c: FindingClass = o.endsWith('/')
      ? 'origin-trailing-slash'
      : o.includes('*')
        ? 'literal-wildcard-pattern'
        : 'origin-without-scheme';
    out.push(
      finding(
        c,
        r,
        `${site.origin} gets no Access-Control-Allow-Origin, but Origin: ${o} is echoed: the allowed origin is written ${o} in the server's list, which no browser ever sends`,
      ),
    );
  }
  return out;
}

/** Origin checks that compare only part of the origin: prefix, suffix, substring, dot, special characters. */
function partialMatchFindings(site: Site, byKind: ByKind): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding | null) => {
    if (f !== null) out.push(f);
  };
  const sibling = `${site.scheme}://${PROBE_LABEL}.${site.domain}${site.port}`;
  // Every subdomain of the domain trusted explains attacker<host> when the site is itself a subdomain.
  const siblingTrusted = byKind('subdomain').some((r) => r.origin === sibling && echoes(r));
  const prefix = echoFinding(
    'prefix-match',
    byKind('prefix'),
    `only the start of the origin is compared with ${site.origin}`,
  );
  const suffix = echoFinding(
    'suffix-match',
    byKind('suffix').filter(
      (r) => r.origin === `${site.scheme}://attacker${site.domain}${site.port}` || !siblingTrusted,
    ),
    'the end of the origin is compared without a dot boundary',
  );
  const middle = echoFinding(
    'unanchored-regexp',
    byKind('middle'),
    "the site's host is looked for anywhere in the origin",
  );
  // A plain startsWith takes every special character; a check that takes some of them but not a
  // dot stops reading the host at a character browsers accept in host names.
  const specials = byKind('special');
  // A check that refuses some prefixes (the dot) but takes the specials stops at them too.
  const special =
    prefix === null || specials.some((r) => !echoes(r)) || byKind('prefix').some((r) => !echoes(r))
      ? echoFinding(
          'special-characters',
          specials,
          'the check stops reading the host at a character browsers accept in host names',
        )
      : null;
  push(prefix);
  push(suffix);
  // Unanchored: whatever is accepted before or after the site's host. A RegExp without ^ or $
  // and startsWith/endsWith/includes behave the same from outside, so both names are given.
  const loose = middle ?? prefix ?? suffix ?? special;
  if (loose !== null)
    push(
      loose === middle
        ? middle
        : finding(
            'unanchored-regexp',
            loose.proof,
            `${loose.message} (a RegExp without ^ or $ behaves so)`,
            loose.also,
          ),
    );
  if (middle !== null)
    push(
      finding(
        'substring-match',
        middle.proof,
        `the origin only has to contain ${middle.proof.origin?.includes(`attacker${site.host}.`) ? site.host : site.domain}: ${granted(middle.proof)}`,
        middle.also,
      ),
    );
  else
    push(
      echoFinding('substring-match', byKind('substring'), `a piece of ${site.origin} is accepted as a whole`),
    );
  const dot = byKind('dot').filter((r) => {
    // Not new URL(): a probe origin need not parse (127x0.0.1 is no URL host), and must not throw.
    const host = r.origin!.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
    return (
      !(suffix !== null && host.endsWith(site.domain)) &&
      !(siblingTrusted && host.endsWith(`.${site.domain}`))
    );
  });
  push(
    echoFinding(
      'unescaped-dot',
      dot,
      'a dot of the allowed host matches any character (an unescaped . in a RegExp)',
    ),
  );
  push(special);
  return out;
}

/** Whole origins trusted that should not be: null, any subdomain with credentials, http:, third-party hosting. */
function wholeOriginFindings(site: Site, byKind: ByKind): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding | null) => {
    if (f !== null) out.push(f);
  };
  push(echoFinding('null-origin-trusted', byKind('null'), "the 'null' origin is trusted"));
  push(
    echoFinding(
      'any-subdomain-with-credentials',
      byKind('subdomain').filter((r) => echoes(r) && withCredentials(r)),
      `every subdomain of ${site.domain} is trusted with credentials`,
    ),
  );
  push(
    echoFinding('http-origin-trusted', byKind('http'), 'the plain-http origin of an https site is trusted'),
  );
  const hosting = echoFinding(
    'third-party-hosting-trusted',
    byKind('third-party'),
    'anyone can publish a page on this origin',
  );
  if (hosting !== null) {
    const host = new URL(hosting.origin!).hostname;
    const parent = host.slice(host.indexOf('.') + 1);
    const why = isPublicSuffix(parent)
      ? ` (${parent} is on the Public Suffix List: every name under it belongs to someone else)`
      : ' (a code playground or shared hosting: anyone runs their own script there)';
    out.push({ ...hosting, message: `${hosting.message}${why}` });
  }
  return out;
}

/** Findings about trust: which origins the server lets read its answers. */
function trustFindings(site: Site, byKind: ByKind, url: string): Finding[] {
  const any = anyOriginFindings(byKind, url);
  // A server that echoes any origin passes every narrower probe: say that, and nothing narrower.
  if (any.reflectsAny) return any.found;
  return [...any.found, ...partialMatchFindings(site, byKind), ...wholeOriginFindings(site, byKind)];
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
  if (acao(site) !== '*' || withCredentials(site)) return true;
  const allow = preflights.map((p) => header(p, 'allow') ?? '').join(',');
  if (/\b(PUT|PATCH|DELETE|POST)\b/i.test(allow)) return true;
  return site.request.headers.some(([n]) => !SAFE_PROBE_HEADERS.has(n.toLowerCase()));
}

/** Findings about answers that browsers refuse, or that miss part of the protocol. */
function protocolFindings(site: ProbeRecord | undefined, preflights: readonly ProbeRecord[]): Finding[] {
  const out: Finding[] = [];
  // A preflight answered 429 or 5xx says nothing about the CORS setup (a rate limiter, an outage).
  const answered = preflights.filter(
    (p) => p.response !== null && p.response.status !== 429 && p.response.status < 500,
  );
  if (site?.response == null || answered.length === 0) return out;
  const siteAcao = acao(site);
  const withAcao = answered.find((p) => acao(p) !== null);
  if (siteAcao === null && withAcao !== undefined)
    out.push(
      finding(
        'preflight-only-cors',
        site,
        `the preflight from ${site.origin} got Access-Control-Allow-Origin: ${acao(withAcao)}, the GET got no CORS headers (status ${site.response.status})`,
      ),
    );
  // The reverse of preflight-only: preflights answered without any CORS header at all. A preflight
  // with CORS headers that grants too little (no methods, a 404 carrying the origin) is left alone:
  // an API that takes only simple GETs, with the origin set on every answer, is correct, and from
  // outside the two look the same.
  const hasCors = (p: ProbeRecord) =>
    p.response!.headers.some(([n]) => n.toLowerCase().startsWith('access-control-'));
  if (siteAcao !== null && !answered.some(hasCors) && preflightsExpected(site, answered)) {
    const first = answered[0]!;
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

/** The table's expose fix, with the headers this answer really carries. */
function exposing(fix: FindingFix, names: readonly string[]): FindingFix {
  const list = names.map((n) => `'${n}'`).join(', ');
  const swap = (text: string) =>
    text.replace("'X-Total-Count', 'Link'", list).replace('"X-Total-Count, Link"', `"${names.join(', ')}"`);
  return {
    summary: fix.summary,
    corsica: swap(fix.corsica),
    cors: swap(fix.cors),
    fastify: swap(fix.fastify),
    nginx: swap(fix.nginx),
  };
}

/** Info findings: reflected origins without Vary, unexposed headers, a public endpoint. */
function infoFindings(site: ProbeRecord | undefined, gets: readonly ProbeRecord[]): Finding[] {
  const out: Finding[] = [];
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
    if (noVary !== undefined)
      out.push(
        finding(
          'vary-origin-missing',
          noVary,
          `the answer to ${noVary.origin} names it in Access-Control-Allow-Origin without Vary: Origin, while other origins get other answers`,
        ),
      );
  }
  if (site?.response != null && site.origin !== null) {
    const a = acao(site);
    const credentials = withCredentials(site);
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
        out.push({ ...f, fix: exposing(f.fix, hidden) });
      }
    }
  }
  return out;
}

const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = { exploitable: 0, broken: 1, info: 2 };

/** Every finding the battery's answers show, most severe first. */
export function findingsOf(site: Site, url: string, records: readonly ProbeRecord[]): Finding[] {
  const byKind = (k: ProbeKind) => records.filter((r) => r.kind === k);
  const siteGet = byKind('site')[0];
  const gets = records.filter((r) => r.request.method === 'GET');
  const broken = brokenValues(records);
  const findings = [
    ...trustFindings(site, byKind, url),
    ...broken,
    // A misspelling the server also sends as a value is reported once, by the value.
    ...misspelledListFindings(site, siteGet, byKind).filter((f) => !broken.some((b) => b.class === f.class)),
    ...protocolFindings(siteGet, byKind('site-preflight')),
    ...infoFindings(siteGet, gets),
  ];
  return findings
    .map((f) => ({ ...f, fix: fixForSite(f.fix, site) }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** The probe as it goes out: method, URL, and headers. */
export function wireHeaders(probe: Probe, extra: readonly [string, string][]): [string, string][] {
  // Browsers send no credentials and none of the page's headers with a preflight.
  const headers: [string, string][] = [...(probe.method === 'OPTIONS' ? [] : extra), ['Accept', '*/*']];
  if (probe.withCookie === true && !extra.some(([n]) => n.toLowerCase() === 'cookie'))
    headers.push(['Cookie', 'corsica_probe=1']);
  if (probe.method === 'OPTIONS') {
    headers.push(['Access-Control-Request-Method', probe.requestMethod ?? 'PUT']);
    if (probe.requestHeaders !== undefined)
      headers.push(['Access-Control-Request-Headers', probe.requestHeaders]);
  }
  if (probe.origin !== null) headers.push(['Origin', probe.origin]);
  headers.push(['Sec-Fetch-Mode', 'cors']);
  return headers;
}

/** Things to know about the audit itself (not findings): why some classes could not be tested. */
export function notesOf(site: Site, records: readonly ProbeRecord[]): string[] {
  const notes: string[] = [];
  // Access-Control-Allow-Origin only: cors and others send Allow-Credentials or Allow-Methods to
  // origins they refuse, which says nothing about the site being allowed.
  const granting = (r: ProbeRecord | undefined) => r !== undefined && acao(r) !== null;
  const siteGet = records.find((r) => r.kind === 'site');
  const preflights = records.filter((r) => r.kind === 'site-preflight');
  const misspelled = records.some((r) => r.kind === 'misspelled' && echoes(r));
  if (!granting(siteGet) && !preflights.some(granting) && !misspelled)
    notes.push(
      `The site's origin ${site.origin} got no CORS headers, neither on a GET (status ${siteGet?.response?.status ?? '-'}) nor on a preflight: if the pages that call this API are elsewhere, give their origin with --origin; if the API wants authentication first, pass it with --header (preflights go without it, as browsers send them).`,
    );
  const unanswered = records.filter((r) => r.response === null);
  if (unanswered.length > 0)
    notes.push(
      `${unanswered.length} of ${records.length} probes got no answer (${unanswered[0]!.error}); the classes they test are not reported.`,
    );
  const dropped = records.reduce((n, r) => n + (r.response?.droppedLines ?? 0), 0);
  if (dropped > 0)
    notes.push(
      `The answers carried ${dropped} or more header lines an audit does not keep (repeated lines, headers no rule reads, lines past the 1000th of an answer); the proofs show what was kept.`,
    );
  return notes;
}
