// From the battery's answers to findings: one rule per class of the closed table (codes.ts), each
// reading only the probes built for it, so that one mistake is named by its own class. A server
// that echoes any origin is reported as that and nothing narrower (every bypass probe would pass).

import { checkPreflight, classifyRequest, getHeader, readableHeaders } from '../browser/index.js';
import { SAFELISTED_RESPONSE_HEADERS } from '../spec/header-names.js';
import { isPublicSuffix } from '../spec/public-suffix.js';
import { classInfo, type FindingClass, type FindingFix, type FindingSeverity } from './codes.js';
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
  readonly response: { readonly status: number; readonly headers: readonly [string, string][] } | null;
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
    const values = lines.map(([, v]) => v.trim()).filter((v) => v !== '');
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

/** Whether a preflight answer lets the browser send the probe's method and header, with or without credentials. */
function preflightPasses(r: ProbeRecord, url: string): boolean {
  if (r.response === null || r.origin === null) return false;
  for (const credentials of ['include', 'omit'] as const) {
    const c = classifyRequest({
      url,
      origin: r.origin,
      method: 'DELETE',
      headers: [['X-Corsica-Probe', '1']],
      credentials,
    });
    if (c.ok && checkPreflight(c.value, r.response, r.origin).ok) return true;
  }
  return false;
}

type ByKind = (k: ProbeKind) => ProbeRecord[];

/** Any origin echoed (with or without credentials), or only by preflights. */
function anyOriginFindings(byKind: ByKind, url: string): { found: Finding[]; reflectsAny: boolean } {
  const unrelated = byKind('unrelated');
  const echoing = unrelated.filter(echoes);
  const anyOrigin = echoing.find(withCredentials) ?? echoing[0];
  if (anyOrigin !== undefined) {
    const why = `the server echoes any origin: ${granted(anyOrigin)}`;
    const c = withCredentials(anyOrigin) ? 'reflected-any-origin-with-credentials' : 'reflected-any-origin';
    return { found: [finding(c, anyOrigin, why)], reflectsAny: true };
  }
  const preflight = byKind('unrelated-preflight')[0];
  if (preflight === undefined || !echoes(preflight)) return { found: [], reflectsAny: false };
  const passes = preflightPasses(preflight, url);
  const get = unrelated[0] === undefined ? null : acao(unrelated[0]);
  const message = `the preflight from ${preflight.origin} for DELETE with X-Corsica-Probe got Access-Control-Allow-Origin: ${acao(preflight)}${passes ? ' and passes' : ''}, while a GET from the same origin got ${get === null ? 'no CORS headers' : `Access-Control-Allow-Origin: ${get}`}`;
  return { found: [finding('preflight-reflects-any', preflight, message)], reflectsAny: false };
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
  const special =
    prefix === null || specials.some((r) => !echoes(r))
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
        `the origin only has to contain ${site.domain}: ${granted(middle.proof)}`,
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

/** Findings about answers that browsers refuse, or that miss part of the protocol. */
function protocolFindings(site: ProbeRecord | undefined, sitePreflight: ProbeRecord | undefined): Finding[] {
  const out: Finding[] = [];
  if (site?.response == null || sitePreflight?.response == null) return out;
  const siteAcao = acao(site);
  const preflightAcao = acao(sitePreflight);
  if (siteAcao === null && preflightAcao !== null)
    out.push(
      finding(
        'preflight-only-cors',
        site,
        `the preflight from ${site.origin} got Access-Control-Allow-Origin: ${preflightAcao}, the GET got no CORS headers (status ${site.response.status})`,
      ),
    );
  const preflightHasCors = sitePreflight.response.headers.some(([n]) =>
    n.toLowerCase().startsWith('access-control-'),
  );
  if (siteAcao !== null && !preflightHasCors)
    out.push(
      finding(
        'actual-only-cors',
        sitePreflight,
        `a GET from ${site.origin} got Access-Control-Allow-Origin: ${siteAcao}, the preflight for PUT got no CORS headers (status ${sitePreflight.response.status})`,
      ),
    );
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
      const vary = (header(r, 'vary') ?? '')
        .toLowerCase()
        .split(',')
        .map((v) => v.trim());
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

/** The table's fixes name https://app.example.com; the site's own origin reads better. */
function forSite(fix: FindingFix, site: Site): FindingFix {
  const escaped = site.host.replaceAll('.', '\\.');
  const own = (text: string) =>
    text.replaceAll('https://app.example.com', site.origin).replaceAll('app\\.example\\.com', escaped);
  return {
    summary: own(fix.summary),
    corsica: own(fix.corsica),
    cors: own(fix.cors),
    fastify: own(fix.fastify),
    nginx: own(fix.nginx),
  };
}

const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = { exploitable: 0, broken: 1, info: 2 };

/** Every finding the battery's answers show, most severe first. */
export function findingsOf(site: Site, url: string, records: readonly ProbeRecord[]): Finding[] {
  const byKind = (k: ProbeKind) => records.filter((r) => r.kind === k);
  const siteGet = byKind('site')[0];
  const sitePreflight = byKind('site-preflight')[0];
  const gets = records.filter((r) => r.request.method === 'GET');
  const findings = [
    ...trustFindings(site, byKind, url),
    ...brokenValues(records),
    ...protocolFindings(siteGet, sitePreflight),
    ...infoFindings(siteGet, gets),
  ];
  return findings
    .map((f) => ({ ...f, fix: forSite(f.fix, site) }))
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
  const corsHeaders = (r: ProbeRecord | undefined) =>
    r?.response?.headers.some(([n]) => n.toLowerCase().startsWith('access-control-')) === true;
  const siteGet = records.find((r) => r.kind === 'site');
  const sitePreflight = records.find((r) => r.kind === 'site-preflight');
  if (!corsHeaders(siteGet) && !corsHeaders(sitePreflight))
    notes.push(
      `The site's origin ${site.origin} got no CORS headers, neither on a GET (status ${siteGet?.response?.status ?? '-'}) nor on a preflight: if the pages that call this API are elsewhere, give their origin with --origin; if the API wants authentication first, pass it with --header (preflights go without it, as browsers send them).`,
    );
  const unanswered = records.filter((r) => r.response === null);
  if (unanswered.length > 0)
    notes.push(
      `${unanswered.length} of ${records.length} probes got no answer (${unanswered[0]!.error}); the classes they test are not reported.`,
    );
  return notes;
}
