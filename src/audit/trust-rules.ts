// Rules about trust: which origins the server lets read its answers. Each reads the probes built
// for its class (probes.ts), so that one mistake is named by its own class; a server that echoes
// any origin is reported as that and nothing narrower (every bypass probe would pass).

import { isPublicSuffix } from '../syntax/public-suffix.js';
import type { FindingClass } from './codes.js';
import {
  acao,
  type ByKind,
  echoes,
  echoFinding,
  finding,
  granted,
  type ProbeRecord,
  type RuleFinding,
} from './finding.js';
import { grantsWithCredentials, preflightPasses, refusal } from './judge.js';
import { isLoopbackHost } from './network.js';
import { PROBE_LABEL, type Site } from './probes.js';

/**
 * The preflight from an unrelated origin echoed and passing, where actual answers do not grant
 * that origin as much: a script on any site can then send the unsafe method (with the user's
 * cookies when the preflight allows credentials). A public `*` endpoint without credentials that
 * also echoes on preflights gives nothing away, and is not reported.
 */
function preflightReflectsAny(byKind: ByKind, url: string, get: ProbeRecord | undefined): RuleFinding | null {
  const preflight = byKind('unrelated-preflight')[0];
  if (preflight === undefined || !echoes(preflight)) return null;
  const withCookies = preflightPasses(preflight, url, 'include');
  const passes = withCookies || preflightPasses(preflight, url, 'omit');
  const getAcao = get === undefined ? null : acao(get);
  const getCredentials = get !== undefined && grantsWithCredentials(get);
  // Actual answers as open as the preflight: the actual-answer rules say it, if anything.
  if (getAcao !== null && (getAcao === '*' || getAcao === get?.origin) && (getCredentials || !withCookies))
    return null;
  const message = `the preflight from ${preflight.origin} for DELETE with X-Corsica-Probe got Access-Control-Allow-Origin: ${acao(preflight)}${passes ? ` and passes${withCookies ? ' with credentials' : ''}` : ''}, while a GET from the same origin got ${getAcao === null ? 'no CORS headers' : `Access-Control-Allow-Origin: ${getAcao}${getCredentials ? ' with credentials' : ''}`}`;
  return finding('preflight-reflects-any', preflight, message);
}

/** Any origin echoed (with or without credentials), or only by preflights. */
function anyOriginFindings(byKind: ByKind, url: string): { found: RuleFinding[]; reflectsAny: boolean } {
  const unrelated = byKind('unrelated');
  const echoing = unrelated.filter(echoes);
  const anyOrigin = echoing.find(grantsWithCredentials) ?? echoing[0];
  const preflight = preflightReflectsAny(byKind, url, anyOrigin ?? unrelated[0]);
  if (anyOrigin !== undefined) {
    const why = `the server echoes any origin: ${granted(anyOrigin)}`;
    const c = grantsWithCredentials(anyOrigin)
      ? 'reflected-any-origin-with-credentials'
      : 'reflected-any-origin';
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
export function misspelledListFindings(
  site: Site,
  siteGet: ProbeRecord | undefined,
  byKind: ByKind,
): RuleFinding[] {
  // The site's own page reads the answers: whatever else is echoed, its list is not misspelt.
  const siteRefused = siteGet === undefined ? null : refusal(siteGet, false);
  if (siteGet !== undefined && siteRefused === null) return [];
  const out: RuleFinding[] = [];
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
        [],
        siteRefused?.code ?? null,
      ),
    );
  }
  return out;
}

/**
 * Origin checks that compare only part of the origin: prefix, suffix, substring, dot, special
 * characters. Each class is reported only when its own probes prove it; a check that takes the
 * site's host anywhere (before and after it) is one unanchored check, whose prefix and suffix
 * probes pass too and add nothing.
 */
function partialMatchFindings(site: Site, byKind: ByKind): RuleFinding[] {
  const sibling = `${site.scheme}://${PROBE_LABEL}.${site.domain}${site.port}`;
  // Every subdomain of the domain trusted explains attacker<host> when the site is itself a subdomain.
  const siblingTrusted = byKind('subdomain').some((r) => r.origin === sibling && echoes(r));
  // attacker<host> with <host> a subdomain is a subdomain too when every subdomain is trusted:
  // only attacker<domain> then shows a check open before the host.
  const openBefore = (r: ProbeRecord) =>
    r.origin!.startsWith(`${site.scheme}://attacker${site.domain}`) || !siblingTrusted;
  const middle = echoFinding(
    'unanchored-regexp',
    byKind('middle').filter(openBefore),
    "the site's host is looked for anywhere in the origin",
  );
  const prefix =
    middle === null
      ? echoFinding(
          'prefix-match',
          byKind('prefix'),
          `only the start of the origin is compared with ${site.origin}`,
        )
      : null;
  const suffix =
    middle === null
      ? echoFinding(
          'suffix-match',
          byKind('suffix').filter(openBefore),
          'the end of the origin is compared without a dot boundary',
        )
      : null;
  // A plain startsWith takes every special character; a check that takes some of them but not a
  // dot (or refuses some prefixes) stops reading the host at a character browsers accept in hosts.
  const specials = byKind('special');
  const special =
    middle === null &&
    (prefix === null || specials.some((r) => !echoes(r)) || byKind('prefix').some((r) => !echoes(r)))
      ? echoFinding(
          'special-characters',
          specials,
          'the check stops reading the host at a character browsers accept in host names',
        )
      : null;
  const substring = echoFinding(
    'substring-match',
    byKind('substring'),
    `a piece of ${site.origin} is accepted as a whole`,
  );
  const dot = byKind('dot').filter((r) => {
    // Not new URL(): a probe origin need not parse (127x0.0.1 is no URL host), and must not throw.
    const host = r.origin!.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
    // wwwxexample.com still contains example.com: an open end explains it, not the dot.
    return (
      !((suffix !== null || middle !== null) && host.includes(site.domain)) &&
      !(siblingTrusted && host.endsWith(`.${site.domain}`))
    );
  });
  const unescaped = echoFinding(
    'unescaped-dot',
    dot,
    'a dot of the allowed host matches any character (an unescaped . in a RegExp)',
  );
  return [middle, prefix, suffix, substring, unescaped, special].filter((f): f is RuleFinding => f !== null);
}

/** Whole origins trusted that should not be: null, any subdomain with credentials, http:, third-party hosting. */
function wholeOriginFindings(site: Site, byKind: ByKind): RuleFinding[] {
  const out: RuleFinding[] = [];
  const push = (f: RuleFinding | null) => {
    if (f !== null) out.push(f);
  };
  push(echoFinding('null-origin-trusted', byKind('null'), "the 'null' origin is trusted"));
  push(
    echoFinding(
      'any-subdomain-with-credentials',
      byKind('subdomain').filter((r) => echoes(r) && grantsWithCredentials(r)),
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
  out.push(...localhostFindings(site, byKind));
  return out;
}

/**
 * Development origins trusted with credentials by a site that is not itself on this machine:
 * several ports granted show a pattern (`http://localhost:*`), one port a leftover entry.
 */
function localhostFindings(site: Site, byKind: ByKind): RuleFinding[] {
  if (isLoopbackHost(site.host)) return [];
  const hits = byKind('localhost').filter((r) => echoes(r) && grantsWithCredentials(r));
  const ports = new Set(hits.filter((r) => r.origin!.startsWith('http://localhost:')).map((r) => r.origin));
  const why =
    ports.size > 1
      ? 'every port of localhost is trusted with credentials (a http://localhost:* pattern)'
      : 'a development origin on the user’s machine is trusted with credentials';
  const f = echoFinding('localhost-trusted-with-credentials', hits, why);
  return f === null ? [] : [f];
}

/** Findings about trust: which origins the server lets read its answers. */
export function trustFindings(site: Site, byKind: ByKind, url: string): RuleFinding[] {
  const any = anyOriginFindings(byKind, url);
  // A server that echoes any origin passes every narrower probe: say that, and nothing narrower.
  if (any.reflectsAny) return any.found;
  return [...any.found, ...partialMatchFindings(site, byKind), ...wholeOriginFindings(site, byKind)];
}
