// `corsica audit --format sarif|junit|github`: the same findings for CI. SARIF 2.1.0 for GitHub
// code scanning (one rule per class of the closed table, one result per finding, located in the
// file that describes the API when there is one), JUnit XML (one test case per class and URL, a
// failure for each exploitable or broken one), and GitHub Actions workflow commands
// (`::error title=...::`). Every server-controlled string is made visible first (terminal.ts), then
// escaped for its format, so that a hostile answer cannot forge an annotation or break the XML.

import { createHash } from 'node:crypto';
import {
  type AuditReport,
  FINDING_CLASSES,
  type Finding,
  type FindingClass,
  type FindingSeverity,
  fixFor,
  type Site,
  siteOf,
} from '../audit/index.js';
import { visible } from './terminal.js';

/** One audited URL and where a finding about it points: the file that describes it, if any. */
export interface LocatedReport {
  readonly report: AuditReport;
  /** A path relative to the repository (the OpenAPI or --policy file), or the URL itself. */
  readonly uri: string;
  /** The line of the path in that file, 1-based, when known. */
  readonly line?: number;
}

const CLASSES = Object.keys(FINDING_CLASSES) as FindingClass[];
const LEVEL: Readonly<Record<FindingSeverity, 'error' | 'warning' | 'note'>> = {
  exploitable: 'error',
  broken: 'warning',
  info: 'note',
};
/** GitHub's security severity (0-10): exploitable classes are high; the rest are not security. */
const SECURITY_SEVERITY = '8.1';

/** What the finding says, with its fix, on one line. */
const sentence = (f: Finding) => visible(`${f.class}: ${f.message}. Fix: ${f.fix.summary}`);

function rule(c: FindingClass, site: Site) {
  const info = FINDING_CLASSES[c];
  const security = info.severity === 'exploitable';
  return {
    id: c,
    shortDescription: { text: `${c} (${info.severity})` },
    fullDescription: { text: `When ${info.when}: ${info.impact}.` },
    help: { text: `${fixFor(c, site).summary} (corsica's docs/audit.md, The vocabulary)` },
    defaultConfiguration: { level: LEVEL[info.severity] },
    properties: {
      tags: security ? ['security', 'cors'] : ['cors', 'correctness'],
      ...(security ? { 'security-severity': SECURITY_SEVERITY } : {}),
      precision: 'high',
    },
  };
}

/** A SARIF 2.1.0 log: one run, every class as a rule, every finding as a result. */
export function sarifLog(located: readonly LocatedReport[], version: string): object {
  const results = located.flatMap(({ report, uri, line }) =>
    report.findings.map((f) => ({
      ruleId: f.class,
      ruleIndex: CLASSES.indexOf(f.class),
      level: LEVEL[f.severity],
      message: { text: `${sentence(f)} (${visible(report.url)})` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri },
            ...(line === undefined ? {} : { region: { startLine: line } }),
          },
        },
      ],
      // Stable across runs: the same class on the same URL is the same alert.
      partialFingerprints: {
        'corsicaFinding/v1': createHash('sha256').update(`${f.class} ${report.url}`).digest('hex'),
      },
      properties: { url: visible(report.url), origin: f.origin === null ? null : visible(f.origin) },
    })),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'corsica audit',
            version,
            // A fix is written for a site: the first URL's (one --origin serves them all).
            rules: CLASSES.map((c) => rule(c, siteOf(located[0]?.report.site ?? 'http://localhost'))),
          },
        },
        results,
      },
    ],
  };
}

const xml = (text: string) =>
  visible(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

/** The classes of a report that fail: exploitable and broken ones, each once. */
const failing = (r: AuditReport) =>
  new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.class));

/** One test case: passed, passed with the info found as output, or failed with its proof. */
function testCase(report: AuditReport, c: FindingClass): string {
  const found = report.findings.filter((f) => f.class === c);
  const open = `    <testcase classname="${xml(`corsica audit ${report.url}`)}" name="${c}" time="0"`;
  if (found.length === 0) return `${open}/>`;
  const first = found[0]!;
  const body = found
    .map(
      (f) =>
        `${f.message}\nproof: ${f.proof.request.method} Origin: ${f.origin ?? '(none)'}\nfix: ${f.fix.summary}`,
    )
    .join('\n\n');
  const inner =
    first.severity === 'info'
      ? `<system-out>${xml(body)}</system-out>`
      : `<failure message="${xml(first.message)}" type="${first.severity}">${xml(body)}</failure>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

/** JUnit XML: a test suite per URL, a test case per class; exploitable and broken ones fail. */
export function junitXml(located: readonly LocatedReport[]): string {
  const suites = located.map(({ report }) =>
    [
      `  <testsuite name="${xml(report.url)}" tests="${CLASSES.length}" failures="${failing(report).size}" errors="0" skipped="0" time="${(report.elapsedMs / 1000).toFixed(3)}">`,
      ...CLASSES.map((c) => testCase(report, c)),
      '  </testsuite>',
    ].join('\n'),
  );
  const failures = located.reduce((n, { report }) => n + failing(report).size, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="corsica audit" tests="${CLASSES.length * located.length}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}

/** A workflow command's data: %, CR and LF escaped (GitHub's toolkit escapeData). */
const commandData = (text: string) =>
  visible(text).replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
/** A workflow command's property value: also : and , (GitHub's toolkit escapeProperty). */
const commandProperty = (text: string) => commandData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

const COMMAND: Readonly<Record<FindingSeverity, string>> = {
  exploitable: 'error',
  broken: 'error',
  info: 'notice',
};

/** GitHub Actions annotations: one workflow command per finding, then a summary line. */
export function githubAnnotations(located: readonly LocatedReport[]): string {
  const lines = located.flatMap(({ report, uri, line }) =>
    report.findings.map((f) => {
      const where =
        uri === report.url ? '' : `file=${commandProperty(uri)},${line === undefined ? '' : `line=${line},`}`;
      const title = commandProperty(`corsica audit: ${f.class} (${f.severity})`);
      return `::${COMMAND[f.severity]} ${where}title=${title}::${commandData(`${report.url}: ${f.message}. Fix: ${f.fix.summary}`)}`;
    }),
  );
  // What limits the audit (probes unanswered, the site's origin refused...), as notices.
  for (const { report } of located)
    for (const note of report.notes)
      lines.push(`::notice title=${commandProperty('corsica audit: note')}::${commandData(note)}`);
  const count = (s: FindingSeverity) => located.reduce((n, { report }) => n + report.counts[s], 0);
  lines.push(
    `corsica audit: ${located.length} URL${located.length === 1 ? '' : 's'}, ${count('exploitable')} exploitable, ${count('broken')} broken, ${count('info')} info`,
  );
  return lines.join('\n');
}
