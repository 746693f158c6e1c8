// `corsica audit <url> --policy cors.config.mjs`: the live server against the policy it is meant
// to follow. Every probe with an Origin is also answered by the policy (the caller compiles it:
// audit does not import the server side), and the browser model judges both answers alike
// (judge.ts): an origin the live server lets read that the policy refuses, one the policy allows
// that the live server refuses (its declared methods and headers included), and a Vary: Origin
// the policy sends that the live answer lacks are drift (a gateway that adds `*`, a deploy that
// lost an OPTIONS handler, a CDN that strips Vary).

import type { CorsErrorCode } from '../browser/index.js';
import { splitCommaList } from '../syntax/whitespace.js';
import { finding, type ProbeRecord, type RuleFinding } from './finding.js';
import {
  answerHeader,
  grantsWithCredentials,
  preflightPasses,
  preflightRefusal,
  readersOf,
  refusal,
} from './judge.js';
import type { Probe, Site } from './probes.js';

/** A request as the policy is asked about it. */
export interface PolicyRequest {
  readonly method: string;
  readonly origin: string;
  readonly requestMethod?: string;
  readonly requestHeaders?: string;
}

/** What the API is meant to answer: its policy, compiled by the caller. */
export interface IntendedPolicy {
  /** The file it came from, for messages. */
  readonly source: string;
  /** Origins the policy allows by name (patterns as one example each), probed besides the battery. */
  readonly origins: readonly string[];
  /** Methods it declares (preflighted ones get a preflight from each allowed origin). */
  readonly methods: readonly string[];
  /** Request headers it allows by name (sent in those preflights). */
  readonly headers: readonly string[];
  /** Its answer: the status (0: the route's own) and the CORS headers, Vary included. */
  answer(request: PolicyRequest): Promise<{ status: number; headers: readonly [string, string][] }>;
}

/** Methods a page sends without a preflight (with safelisted headers). */
const SIMPLE = new Set(['GET', 'HEAD', 'POST']);
/** Bounds on the extra probes a policy adds. */
const MAX_ORIGINS = 20;
const MAX_METHODS = 8;

/** The policy's allowed origins, GETs and their preflights (each declared method with its headers). */
export function policyProbes(site: Site, policy: IntendedPolicy, sent: readonly Probe[]): Probe[] {
  const origins = [...new Set([site.origin, ...policy.origins])].slice(0, MAX_ORIGINS);
  const methods = policy.methods.filter((m) => !SIMPLE.has(m.toUpperCase())).slice(0, MAX_METHODS);
  const headers = policy.headers
    .map((h) => h.toLowerCase())
    .sort()
    .join(',');
  const out: Probe[] = [];
  // A URL audited by preflights only (no GET declared) gets no GET from the policy either.
  const gets = sent.some((p) => p.method === 'GET');
  for (const origin of origins) {
    if (gets && !sent.some((p) => p.method === 'GET' && p.origin === origin))
      out.push({ kind: 'policy-origin', origin, method: 'GET' });
    for (const requestMethod of methods.length > 0 ? methods : ['PUT'])
      out.push({
        kind: 'policy-preflight',
        origin,
        method: 'OPTIONS',
        requestMethod: requestMethod.toUpperCase(),
        ...(headers === '' ? {} : { requestHeaders: headers }),
      });
  }
  return out;
}

/** The record as the policy would have answered it (its status when it sets one, else the live one). */
async function intended(policy: IntendedPolicy, r: ProbeRecord): Promise<ProbeRecord> {
  const asked = (name: string) => r.request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const requestMethod = r.request.method === 'OPTIONS' ? asked('access-control-request-method') : undefined;
  const requestHeaders = asked('access-control-request-headers');
  const answer = await policy.answer({
    method: r.request.method,
    origin: r.origin!,
    ...(requestMethod === undefined ? {} : { requestMethod }),
    ...(requestHeaders === undefined ? {} : { requestHeaders }),
  });
  const status = answer.status === 0 ? r.response!.status : answer.status;
  return { ...r, response: { status, headers: [...answer.headers] } };
}

/** Whether a page on the record's origin gets what it asked for: reads the answer, or passes the preflight. */
function passes(r: ProbeRecord, url: string, credentialed: boolean): boolean {
  if (r.request.method === 'OPTIONS') return preflightPasses(r, url, credentialed ? 'include' : 'omit');
  return readersOf(r, credentialed).length > 0;
}

const varies = (r: ProbeRecord) => {
  const vary = splitCommaList((answerHeader(r, 'vary') ?? '').toLowerCase());
  return vary.includes('origin') || vary.includes('*');
};

/** What was asked, in words: a GET, or a preflight for a method with its headers. */
function what(r: ProbeRecord): string {
  if (r.request.method !== 'OPTIONS') return `a GET from ${r.origin}`;
  const asked = r.request.headers
    .filter(([n]) => /^access-control-request-(method|headers)$/i.test(n))
    .map(([, v]) => v)
    .join(' with ');
  return `the preflight from ${r.origin} for ${asked}`;
}

/** Chromium's CORS error code for a refused answer, as `corsica check` names it. */
function refusedAs(r: ProbeRecord, url: string): CorsErrorCode | null {
  return (r.request.method === 'OPTIONS' ? preflightRefusal(r, url) : refusal(r, false))?.code ?? null;
}

/** Drift between the live answers and the policy's, one finding per class, the first proof first. */
export async function conformanceFindings(
  records: readonly ProbeRecord[],
  url: string,
  policy: IntendedPolicy,
): Promise<RuleFinding[]> {
  const more: ProbeRecord[] = [];
  const less: ProbeRecord[] = [];
  const vary: ProbeRecord[] = [];
  for (const r of records) {
    if (r.origin === null || r.response === null || r.kind === 'site-anonymous' || r.kind === 'misspelled')
      continue;
    // A rate limiter or an outage says nothing about the policy.
    if (r.response.status === 429 || r.response.status >= 500) continue;
    const meant = await intended(policy, r);
    // With credentials when the policy grants them: a grant without them is a refusal to a page that sends cookies.
    const credentialed = grantsWithCredentials(meant) || grantsWithCredentials(r);
    const live = passes(r, url, credentialed);
    const policyPasses = passes(meant, url, credentialed);
    if (live && !policyPasses) more.push(r);
    else if (!live && policyPasses) less.push(r);
    if (r.request.method === 'GET' && varies(meant) && !varies(r)) vary.push(r);
  }
  const out: RuleFinding[] = [];
  const also = (rs: ProbeRecord[]) =>
    [...new Set(rs.map((r) => r.origin!))].filter((o) => o !== rs[0]!.origin);
  if (more.length > 0)
    out.push(
      finding(
        'policy-drift-allows-more',
        more[0]!,
        `${what(more[0]!)} is granted by the live server (Access-Control-Allow-Origin: ${answerHeader(more[0]!, 'access-control-allow-origin')}), while ${policy.source} refuses it`,
        also(more),
      ),
    );
  if (less.length > 0)
    out.push(
      finding(
        'policy-drift-allows-less',
        less[0]!,
        `${what(less[0]!)} is refused by the live server (status ${less[0]!.response!.status}), while ${policy.source} allows it`,
        also(less),
        refusedAs(less[0]!, url),
      ),
    );
  if (vary.length > 0)
    out.push(
      finding(
        'policy-drift-vary-stripped',
        vary[0]!,
        `${policy.source} answers ${vary[0]!.origin} with Vary: Origin, the live answer has ${answerHeader(vary[0]!, 'vary') === null ? 'no Vary' : `Vary: ${answerHeader(vary[0]!, 'vary')}`}`,
        also(vary),
      ),
    );
  return out;
}
