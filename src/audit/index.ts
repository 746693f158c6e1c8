// `corsica audit` as a library: probe a live URL with a battery of Origins derived from the site's
// own origin (simple GETs and OPTIONS preflights, never an unsafe method), and report every CORS
// misconfiguration found, each with its class from a closed table, the probe that proves it and
// the fix (issue 16). The requests go through the same node:http transport as `corsica check`.

import type { Transport } from '../browser/index.js';
import { headerLine, httpTransport, httpUrl, NetworkError } from '../check/index.js';
import { parseSerializedOrigin } from '../spec/origin-syntax.js';
import type { FindingSeverity } from './codes.js';
import { keptHeaders } from './kept-headers.js';
import { battery, type Probe, type Site, siteOf } from './probes.js';
import { type Finding, findingsOf, notesOf, type ProbeRecord, wireHeaders } from './rules.js';

export {
  FINDING_CLASSES,
  type FindingClass,
  type FindingFix,
  type FindingSeverity,
  vocabularyMarkdown,
} from './codes.js';
export { ATTACKER_DOMAIN, type Probe, type ProbeKind, type Site, THIRD_PARTY_ORIGINS } from './probes.js';
export type { Finding, ProbeRecord } from './rules.js';
export { NetworkError };

/** The URL, origin, headers or limits of an audit are not usable as written. */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';
}

export interface AuditOptions {
  /** The site's own origin (the pages that legitimately call the API); default: the URL's origin. */
  readonly origin?: string;
  /** Headers sent with every probe, `Name: value` (an API key, a cookie the API needs to answer). */
  readonly headers?: readonly string[];
  /** Probes in flight at once (default 8). */
  readonly concurrency?: number;
  /** Per probe, in milliseconds (default 5000). */
  readonly timeout?: number;
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

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of results. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Header lines read of each answer: a real one has a few dozen; a hostile one of 12,000 lines,
 * times ~95 probes in flight eight at a time, once took the audit past 300 MiB.
 */
const MAX_HEADER_LINES = 1000;

type Answer = ProbeRecord['response'];

function recordOf(
  probe: Probe,
  url: string,
  extra: readonly [string, string][],
  answer: Answer,
  error: string | null,
): ProbeRecord {
  const request = { method: probe.method, url, headers: wireHeaders(probe, extra) };
  return { kind: probe.kind, origin: probe.origin, request, response: answer, error };
}

async function send(transport: Transport, url: string, probe: Probe, extra: readonly [string, string][]) {
  const record = recordOf(probe, url, extra, null, null);
  try {
    const response = await transport({ ...record.request, credentials: false });
    // Only what the rules read is kept, within fixed bounds: a hostile answer costs little memory.
    const { headers, dropped } = keptHeaders(response.headers);
    // At the cap, Node dropped lines past it too: at least one more than kept.
    const capped = response.headers.length >= MAX_HEADER_LINES ? 1 : 0;
    return {
      ...record,
      response: {
        status: response.status,
        headers,
        ...(dropped + capped > 0 ? { droppedLines: dropped + capped } : {}),
      },
    };
  } catch (err) {
    return { ...record, error: err instanceof Error ? err.message : String(err) };
  }
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
  const [first, ...rest] = battery(site);
  // The site's own probe first: an unreachable URL is one clear error, not forty timeouts.
  const siteRecord = await send(transport, href, first!, extra);
  if (siteRecord.response === null)
    throw new NetworkError(siteRecord.error ?? `no answer from ${target.host}`);
  // A server that stops answering costs a few rounds of timeouts, not one per probe: after
  // 2 x concurrency unanswered probes in a row, the rest are not sent.
  let silentInARow = 0;
  const probeOnce = async (p: Probe): Promise<ProbeRecord> => {
    if (silentInARow >= 2 * concurrency)
      return recordOf(p, href, extra, null, 'not sent: the server had stopped answering');
    const record = await send(transport, href, p, extra);
    silentInARow = record.response === null ? silentInARow + 1 : 0;
    return record;
  };
  const records = [siteRecord, ...(await pool(rest, concurrency, probeOnce))];
  const findings = findingsOf(site, href, records);
  const counts = { exploitable: 0, broken: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    url: href,
    site: site.origin,
    findings,
    counts,
    probes: records,
    unanswered: records.filter((r) => r.response === null).length,
    notes: notesOf(site, records),
    elapsedMs: Math.round(performance.now() - started),
  };
}
