// A finding and the probe record it stands on, and the few readings of an answer every rule
// shares; what a browser makes of the answer comes from the model (judge.ts).

import type { AuditFixDetail } from '../advice/index.js';
import type { CorsErrorCode } from '../browser/index.js';
import { splitCommaList } from '../syntax/whitespace.js';
import { classInfo, type FindingClass, type FindingFix, type FindingSeverity } from './codes.js';
import { answerHeader, grantsOrigin, grantsWithCredentials } from './judge.js';
import type { ProbeKind } from './probes.js';

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
  /**
   * For an answer browsers refuse: Chromium's CORS error code for it, the name `corsica check`
   * and `explain` give the same failure (`MultipleAllowOriginValues`...); null otherwise.
   */
  readonly browserCode: CorsErrorCode | null;
}

/**
 * A finding as a rule makes it. Its fix is written last, for the site the user gave (rules.ts),
 * with what the rule adds to it (`fixDetail`: the headers to expose, the preflight refused).
 */
export type RuleFinding = Omit<Finding, 'fix'> & { readonly fixDetail?: AuditFixDetail };

export const ACAO = 'access-control-allow-origin';
export const acaoLines = (r: ProbeRecord) =>
  (r.response?.headers ?? []).filter(([n]) => n.toLowerCase() === ACAO);
export const acao = (r: ProbeRecord) => answerHeader(r, ACAO);
export const header = answerHeader;
/** What the server says of credentials (Access-Control-Allow-Credentials: true), granted or not. */
export const allowsCredentials = (r: ProbeRecord) =>
  answerHeader(r, 'access-control-allow-credentials') === 'true';
/** A grant of the probe's own origin by name: a page there reads the answer. */
export const echoes = grantsOrigin;

export function granted(r: ProbeRecord): string {
  return `${r.origin} is allowed${grantsWithCredentials(r) ? ' with credentials' : ''}`;
}

export function finding(
  c: FindingClass,
  proof: ProbeRecord,
  message: string,
  also: readonly string[] = [],
  browserCode: CorsErrorCode | null = null,
): RuleFinding {
  const info = classInfo(c);
  return {
    class: c,
    severity: info.severity,
    pitfall: info.pitfall ?? null,
    message,
    impact: info.impact,
    origin: proof.origin,
    proof,
    also,
    browserCode,
  };
}

/** A finding for the first echoing probe among `records`, the others as `also`. */
export function echoFinding(
  c: FindingClass,
  records: readonly ProbeRecord[],
  why: string,
): RuleFinding | null {
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

/** What the probes asked for in a request header (Access-Control-Request-Method...), each name once. */
export function requested(records: readonly ProbeRecord[], name: string): string[] {
  const values = records.flatMap((r) =>
    r.request.headers.filter(([n]) => n.toLowerCase() === name).flatMap(([, v]) => splitCommaList(v)),
  );
  return [...new Set(values.filter((v) => v !== ''))];
}

/** The probes of one kind, in the order they were sent. */
export type ByKind = (k: ProbeKind) => ProbeRecord[];
