// Every finding `corsica audit` reports, in one closed table: its severity, the seed article's
// pitfall where it is one, what the probe saw and what an attacker (or a browser) does with it.
// The types and docs/audit.md come from here (test/audit/vocabulary.test.ts holds the page to it).
// The rows live by concern in classes-*.ts; the probes that prove each class are in probes.ts,
// the rules in *-rules.ts. The fix of each class is advice's to write (src/advice/audit-fixes.ts),
// as every fix corsica prints is.

import { type AuditFixDetail, auditFix, type Fix } from '../advice/index.js';
import { ANSWER_CLASSES } from './classes-answer.js';
import { DRIFT_CLASSES } from './classes-drift.js';
import { TRUST_CLASSES } from './classes-trust.js';
import type { Site } from './probes.js';

/** The same change in corsica, cors, @fastify/cors, hono/cors and nginx terms. */
export type FindingFix = Fix;

/**
 * `exploitable`: another site can read answers meant for the site (or make the browser send
 * requests it should not); `broken`: browsers refuse the answer, so the API does not work
 * cross-origin; `info`: worth knowing, not a hole.
 */
export type FindingSeverity = 'exploitable' | 'broken' | 'info';

export interface FindingInfo {
  readonly severity: FindingSeverity;
  /** The seed article's pitfall (1 to 7) the finding is an instance of. */
  readonly pitfall?: number;
  /** What the probe saw, in one sentence. */
  readonly when: string;
  /** What an attacker can do with it (exploitable), or what breaks (broken), or why it matters. */
  readonly impact: string;
}

/** Every class, in the order the vocabulary lists them within each severity. */
export const FINDING_CLASSES = { ...TRUST_CLASSES, ...ANSWER_CLASSES, ...DRIFT_CLASSES } as const;

/** A finding's class: one of the table's keys. */
export type FindingClass = keyof typeof FINDING_CLASSES;

/** The fix of a finding of class `c`, written for the site the user gave (a class without one does not compile). */
export function fixFor(c: FindingClass, site: Site, detail?: AuditFixDetail): FindingFix {
  return auditFix(c, site, detail);
}

/** The table's row for a class, typed as a row. */
export function classInfo(c: FindingClass): FindingInfo {
  return FINDING_CLASSES[c];
}

const SEVERITY_TITLES: Readonly<Record<FindingSeverity, string>> = {
  exploitable: 'Exploitable',
  broken: 'Broken',
  info: 'Info',
};

/** The vocabulary as markdown tables, one per severity: docs/audit.md holds exactly this text. */
export function vocabularyMarkdown(): string {
  const out: string[] = [];
  for (const severity of ['exploitable', 'broken', 'info'] as const) {
    out.push(
      `### ${SEVERITY_TITLES[severity]}`,
      '',
      '| class | pitfall | when | impact |',
      '|---|---|---|---|',
    );
    for (const [name, info] of Object.entries(FINDING_CLASSES) as [FindingClass, FindingInfo][])
      if (info.severity === severity)
        out.push(`| \`${name}\` | ${info.pitfall ?? ''} | ${info.when} | ${info.impact} |`);
    out.push('');
  }
  return out.join('\n');
}
