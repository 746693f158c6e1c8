// `corsica audit` as a library: probe a live URL with a battery of Origins derived from the site's
// own origin (simple GETs and OPTIONS preflights, never an unsafe method), and report every CORS
// misconfiguration found, each with its class from a closed table, the probe that proves it and
// the fix. The requests go through the same node:http transport as `corsica check`.

import type { Transport } from '../browser/index.js';
import { headerLine, httpTransport, httpUrl, NetworkError } from '../check/index.js';
import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import type { FindingSeverity } from './codes.js';
import { conformanceFindings, type IntendedPolicy, policyProbes } from './conformance.js';
import { AuditInputError } from './errors.js';
import { acao } from './finding.js';
import { networkOf } from './network.js';
import { batteryFor, type Operation, preflightShownCors } from './operations.js';
import { asPreflights, type Site, siteOf } from './probes.js';
import { type Finding, findingsOf, notesOf, type ProbeRecord } from './rules.js';
import { MAX_HEADER_LINES, sender } from './send.js';

export {
  FINDING_CLASSES,
  type FindingClass,
  type FindingFix,
  type FindingSeverity,
  fixFor,
  vocabularyMarkdown,
} from './codes.js';
export type { IntendedPolicy, PolicyRequest } from './conformance.js';
export type { Operation } from './operations.js';
export {
  ATTACKER_DOMAIN,
  type Probe,
  type ProbeKind,
  type Site,
  siteOf,
  THIRD_PARTY_ORIGINS,
} from './probes.js';
export type { Finding, ProbeRecord } from './rules.js';
export { AuditInputError, NetworkError };

export interface AuditOptions {
  /** The site's own origin (the pages that legitimately call the API); default: the URL's origin. */
  readonly origin?: string;
  /** Headers sent with every probe, `Name: value` (an API key, a cookie the API needs to answer). */
  readonly headers?: readonly string[];
  /** Probes in flight at once (default 8). */
  readonly concurrency?: number;
  /** Per probe, in milliseconds (default 5000). */
  readonly timeout?: number;
  /**
   * The API is reachable only inside a network (an intranet, a VPN): `*` or any origin echoed is
   * then exploitable. Without it, an API on a private address for a site that is not public is.
   */
  readonly intranet?: boolean;
  /**
   * What the URL takes (from an OpenAPI description): its preflights are those a browser sends for
   * each operation, and a URL without GET is audited by preflights only. Default: PUT and POST
   * preflights with Content-Type, and GETs.
   */
  readonly operations?: readonly Operation[];
  /**
   * The policy the API is meant to follow (--policy): its allowed origins, methods and headers are
   * probed too, and every answer that differs from the policy's is drift.
   */
  readonly policy?: IntendedPolicy;
  /** Told after each probe: how many are done, of how many planned so far (a progress line). */
  readonly onProgress?: (done: number, planned: number) => void;
  /** Replaces the HTTP transport (tests). */
  readonly transport?: Transport;
}

export interface AuditReport {
  readonly url: string;
  /** The site's origin the probes were derived from. */
  readonly site: string;
  /** Every finding, most severe first. */
  readonly findings: readonly Finding[];
  readonly counts: Readonly<Record<FindingSeverity, number>>;
  /** Every probe, its request and its answer. */
  readonly probes: readonly ProbeRecord[];
  /** Probes that got no answer (timeouts, resets): their classes could not be tested. */
  readonly unanswered: number;
  /** What limits this audit (the site's origin got no CORS at all, probes unanswered), in words. */
  readonly notes: readonly string[];
  /** Wall time of the audit, in milliseconds. */
  readonly elapsedMs: number;
}

function parseHeaderLine(line: string): [string, string] {
  const pair = headerLine(line);
  if (pair === null) throw new AuditInputError(`--header must look like 'Name: value', got '${line}'`);
  return pair;
}

function positiveInteger(value: number | undefined, fallback: number, what: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > max)
    throw new AuditInputError(`${what} must be a whole number from 1 to ${max}, got ${value}`);
  return value;
}

function siteFor(url: string, origin: string | undefined): { target: URL; site: Site } {
  const target = httpUrl(url);
  if (target === null) throw new AuditInputError(`'${url}' is not an http(s) URL`);
  if (origin === undefined) return { target, site: siteOf(target.origin) };
  const parsed = parseSerializedOrigin(origin);
  if (parsed === null || (parsed.scheme !== 'http' && parsed.scheme !== 'https'))
    throw new AuditInputError(
      `--origin '${origin}' is not an origin as browsers send it: http(s)://host[:port], lower case, no path or trailing slash`,
    );
  return { target, site: siteOf(origin) };
}

/**
 * Audits the CORS answers of `url`: every finding, with its proof. Throws AuditInputError for
 * unusable input and NetworkError when the URL does not answer at all.
 */
export async function audit(url: string, options: AuditOptions = {}): Promise<AuditReport> {
  const started = performance.now();
  const { target, site } = siteFor(url, options.origin);
  const extra = (options.headers ?? []).map(parseHeaderLine);
  const concurrency = positiveInteger(options.concurrency, 8, '--concurrency', 64);
  const timeout = positiveInteger(options.timeout, 5000, '--timeout', 600_000);
  const transport = options.transport ?? httpTransport({ timeout, maxHeaderLines: MAX_HEADER_LINES });
  const href = target.href;
  const probes = batteryFor(site, href, {
    anonymous: extra.length > 0,
    ...(options.operations === undefined ? {} : { operations: options.operations }),
  });
  let planned = probes.length;
  let done = 0;
  const progress = () => options.onProgress?.(++done, planned);
  const send = sender(transport, href, extra, concurrency, progress);
  // The site's own probe first: an unreachable URL is one clear error, not forty timeouts.
  const [siteRecord] = await send.many(probes.slice(0, 1));
  if (siteRecord!.response === null)
    throw new NetworkError(siteRecord!.error ?? `no answer from ${target.host}`);
  const records = [siteRecord!, ...(await send.many(probes.slice(1)))];
  // Actual answers without CORS headers while a preflight has them: authentication (or an error
  // page) answers first, and the trust probes go again as preflights, where CORS answers.
  const like = preflightShownCors(probes, records, acao);
  if (like !== null) {
    const again = asPreflights(probes, like);
    planned += again.length;
    records.push(...(await send.many(again)));
  }
  if (options.policy !== undefined) {
    const more = policyProbes(site, options.policy, probes);
    planned += more.length;
    records.push(...(await send.many(more)));
  }
  const drift = options.policy === undefined ? [] : await conformanceFindings(records, href, options.policy);
  const network = await networkOf(target, site, options.intranet === true);
  const findings = findingsOf(site, href, records, {
    intranet: network.intranet,
    declared: (options.operations?.length ?? 0) > 0,
    drift,
  });
  const counts = { exploitable: 0, broken: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    url: href,
    site: site.origin,
    findings,
    counts,
    probes: records,
    unanswered: records.filter((r) => r.response === null).length,
    notes: [...notesOf(site, records), ...(network.note === null ? [] : [network.note])],
    elapsedMs: Math.round(performance.now() - started),
  };
}
