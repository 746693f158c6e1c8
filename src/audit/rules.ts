// From the battery's answers to findings, most severe first: the trust rules (trust-rules.ts) and
// the rules about the answers themselves (answer-rules.ts). What a browser does with each answer
// is the browser model's to say (judge.ts); the rules decide what a grant to each probe's origin
// means.

import { brokenValues, declaredPreflightFindings, infoFindings, protocolFindings } from './answer-rules.js';
import { type FindingSeverity, fixFor } from './codes.js';
import { acao, echoes, type Finding, type ProbeRecord, type RuleFinding, requested } from './finding.js';
import { type Network, privateNetworkFindings, ratedForNetwork } from './network-rules.js';
import type { Probe, ProbeKind, Site } from './probes.js';
import { misspelledListFindings, trustFindings } from './trust-rules.js';

export type { Finding, ProbeRecord } from './finding.js';

/** What the rules know beyond the answers: where the API lives, and whether its operations were declared. */
export interface RuleContext extends Network {
  /** The site's preflights are those of operations the API declares (--openapi). */
  readonly declared?: boolean;
  /** Drift from the intended policy (--policy), found by conformance.ts. */
  readonly drift?: readonly RuleFinding[];
}

const SEVERITY_ORDER: Readonly<Record<FindingSeverity, number>> = { exploitable: 0, broken: 1, info: 2 };

/** Every finding the battery's answers show, most severe first. */
export function findingsOf(
  site: Site,
  url: string,
  records: readonly ProbeRecord[],
  context: RuleContext = { intranet: null },
): Finding[] {
  const byKind = (k: ProbeKind) => records.filter((r) => r.kind === k);
  const siteGet = byKind('site')[0];
  const gets = records.filter((r) => r.request.method === 'GET');
  const broken = brokenValues(records);
  const findings = [
    ...trustFindings(site, byKind, url),
    ...broken,
    // A misspelling the server also sends as a value is reported once, by the value.
    ...misspelledListFindings(site, siteGet, byKind).filter((f) => !broken.some((b) => b.class === f.class)),
    ...protocolFindings(siteGet, byKind('site-anonymous')[0], byKind('site-preflight')),
    ...infoFindings(siteGet, gets),
    ...privateNetworkFindings(byKind, url),
  ];
  // A preflight of a declared operation refused, unless actual-only-cors said it for the same one.
  if (context.declared === true && !findings.some((f) => f.class === 'actual-only-cors'))
    findings.push(...declaredPreflightFindings(byKind('site-preflight'), url));
  // Vary stripped on the way names the cause of a missing Vary: one finding, by its cause.
  const stripped = context.drift?.find((f) => f.class === 'policy-drift-vary-stripped');
  // A refused preflight already named by its cause (no CORS on OPTIONS) is not drift again.
  const preflightRefused = findings.some(
    (f) => f.class === 'declared-preflight-refused' || f.class === 'actual-only-cors',
  );
  const drift = (context.drift ?? []).filter(
    (f) =>
      !(preflightRefused && f.class === 'policy-drift-allows-less' && f.proof.request.method === 'OPTIONS'),
  );
  const all = [...findings, ...drift].filter(
    (f) => stripped === undefined || !f.class.startsWith('vary-origin-missing'),
  );
  // A fix about preflights grants the methods the site's preflights asked for.
  const methods = requested(byKind('site-preflight'), 'access-control-request-method');
  return ratedForNetwork(all, context)
    .map(({ fixDetail, ...f }) => ({ ...f, fix: fixFor(f.class, site, { methods, ...fixDetail }) }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** The probe as it goes out: method, URL, and headers. */
export function wireHeaders(probe: Probe, extra: readonly [string, string][]): [string, string][] {
  // Browsers send no credentials and none of the page's headers with a preflight.
  const bare = probe.method === 'OPTIONS' || probe.anonymous === true;
  const headers: [string, string][] = [...(bare ? [] : extra), ['Accept', '*/*']];
  if (probe.withCookie === true && !extra.some(([n]) => n.toLowerCase() === 'cookie'))
    headers.push(['Cookie', 'corsica_probe=1']);
  if (probe.method === 'OPTIONS') {
    headers.push(['Access-Control-Request-Method', probe.requestMethod ?? 'PUT']);
    if (probe.requestHeaders !== undefined)
      headers.push(['Access-Control-Request-Headers', probe.requestHeaders]);
    if (probe.privateNetwork === true) headers.push(['Access-Control-Request-Private-Network', 'true']);
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
      `The site's origin ${site.origin} got no CORS headers${siteGet === undefined ? ' on its preflights (the URL takes no GET: preflights only were sent)' : `, neither on a GET (status ${siteGet.response?.status ?? '-'}) nor on a preflight`}: if the pages that call this API are elsewhere, give their origin with --origin; if the API wants authentication first, pass it with --header (preflights go without it, as browsers send them).`,
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
