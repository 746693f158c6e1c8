// `corsica audit <url>`, or `--openapi <file> --base-url <url>` for every path of an API: probes
// each URL with a battery of Origins derived from the site's own and prints every CORS
// misconfiguration found, with its proof and fix, for people (grouped by severity) or for CI
// (json, sarif, junit, github). The audit lives in src/audit; this file parses and prints.

import pc from 'picocolors';
import { AuditInputError, type AuditOptions, type AuditReport, audit, NetworkError } from '../audit/index.js';
import { githubAnnotations, junitXml, type LocatedReport, sarifLog } from './audit-formats.js';
import { humanAudit, humanTotals } from './audit-human.js';
import { type Progress, progressLine } from './progress.js';
import { terminalJson, visible, visibleDeep } from './terminal.js';
import { packageVersion } from './version.js';

export interface AuditCommandOptions {
  readonly origin?: string;
  readonly header?: readonly string[];
  readonly json?: boolean;
  readonly format?: string;
  readonly intranet?: boolean;
  readonly concurrency?: string;
  readonly timeout?: string;
  readonly openapi?: string;
  readonly baseUrl?: string;
  readonly pathParam?: readonly string[];
  readonly policy?: string;
}

const FORMATS = ['human', 'json', 'sarif', 'junit', 'github'] as const;
type Format = (typeof FORMATS)[number];

function numberOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new AuditInputError(`${flag} must be a whole number, not '${value}'`);
  return Number(value);
}

function formatOf(options: AuditCommandOptions): Format {
  if (options.json === true && options.format !== undefined && options.format !== 'json')
    throw new AuditInputError(`give either --json or --format ${options.format}, not both`);
  const format = options.format ?? (options.json === true ? 'json' : 'human');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new AuditInputError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  return format as Format;
}

/** `--path-param id=42`, repeatable: the values of path parameters by name. */
function pathParams(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new AuditInputError(`--path-param must look like 'name=value', got '${v}'`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** The options every URL of a run shares. */
async function sharedOptions(options: AuditCommandOptions): Promise<AuditOptions> {
  const concurrency = numberOption('--concurrency', options.concurrency);
  const timeout = numberOption('--timeout', options.timeout);
  // Loaded on use: the policy's compiler is the server side, which a plain audit does not need.
  const policy =
    options.policy === undefined
      ? undefined
      : await (await import('./audit-policy.js')).policyFile(options.policy);
  return {
    ...(policy === undefined ? {} : { policy }),
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    headers: options.header ?? [],
    intranet: options.intranet === true,
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

/** Every path of the OpenAPI description, one audit each, one after the other. */
async function auditOpenApi(
  file: string,
  options: AuditCommandOptions,
  shared: AuditOptions,
  progress: Progress,
): Promise<LocatedReport[]> {
  if (options.baseUrl === undefined)
    throw new AuditInputError(
      '--openapi needs --base-url, the URL the paths are under (https://api.example.com/v1)',
    );
  const { apiPaths } = await import('../audit/openapi.js');
  const paths = await apiPaths(file, options.baseUrl, pathParams(options.pathParam ?? []));
  if (paths.length === 0) throw new AuditInputError(`${file} describes no path with an operation to audit`);
  const out: LocatedReport[] = [];
  for (const [i, p] of paths.entries()) {
    const onProgress = (done: number, planned: number) =>
      progress.update(done, planned, `path ${i + 1}/${paths.length} ${p.path}`);
    const report = await audit(p.url, { ...shared, operations: p.operations, onProgress });
    out.push({ report, uri: file, ...(p.line === undefined ? {} : { line: p.line }) });
  }
  return out;
}

/** The URL or URLs of this run, audited. */
async function run(url: string | undefined, options: AuditCommandOptions, progress: Progress) {
  const shared = await sharedOptions(options);
  if (options.openapi !== undefined) {
    if (url !== undefined)
      throw new AuditInputError(`give either a URL or --openapi with --base-url, not both ('${url}')`);
    return auditOpenApi(options.openapi, options, shared, progress);
  }
  if (url === undefined)
    throw new AuditInputError("missing required argument 'url' (or --openapi <file> --base-url <url>)");
  if (options.baseUrl !== undefined || options.pathParam !== undefined)
    throw new AuditInputError('--base-url and --path-param go with --openapi');
  const onProgress = (done: number, planned: number) => progress.update(done, planned, url);
  const report = await audit(url, { ...shared, onProgress });
  // A finding about a URL points at the policy file when there is one: a file in the repository.
  return [{ report, uri: options.policy ?? report.url }];
}

function output(format: Format, located: readonly LocatedReport[], options: AuditCommandOptions): string {
  const reports = located.map((l) => l.report);
  switch (format) {
    case 'json':
      // What the server sent is kept exact in JSON (escaped for terminals, terminal.ts).
      return terminalJson(
        options.openapi === undefined
          ? reports[0]
          : { openapi: options.openapi, baseUrl: options.baseUrl, counts: totals(reports), reports },
      );
    case 'sarif':
      return terminalJson(sarifLog(located, packageVersion('corsica')));
    case 'junit':
      return junitXml(located);
    case 'github': {
      const once = onceEach(reports);
      return githubAnnotations(located.map((l, i) => ({ ...l, report: once[i]! })));
    }
    default: {
      const shown = onceEach(reports).map((r) => humanAudit(visibleDeep(r)));
      return (reports.length > 1 ? [...shown, humanTotals(reports)] : shown).join('\n\n');
    }
  }
}

/** The reports with each note said once in a run: the first report that has it keeps it. */
export function onceEach(reports: readonly AuditReport[]): AuditReport[] {
  const said = new Set<string>();
  return reports.map((r) => {
    const notes = r.notes.filter((n) => !said.has(n));
    for (const n of notes) said.add(n);
    return { ...r, notes };
  });
}

function totals(reports: readonly AuditReport[]): AuditReport['counts'] {
  const counts = { exploitable: 0, broken: 0, info: 0 };
  for (const r of reports)
    for (const s of ['exploitable', 'broken', 'info'] as const) counts[s] += r.counts[s];
  return counts;
}

/** Runs the audit; returns the exit code (0 nothing exploitable or broken, 1 findings, 2 usage or network error). */
export async function auditCommand(url: string | undefined, options: AuditCommandOptions): Promise<number> {
  let located: LocatedReport[];
  let format: Format;
  const progress = progressLine(process.stderr);
  try {
    format = formatOf(options);
    located = await run(url, options, progress);
  } catch (err) {
    progress.end();
    if (err instanceof AuditInputError) {
      process.stderr.write(`${pc.red('error:')} ${visible(err.message)}\n`);
      return 2;
    }
    if (err instanceof NetworkError) {
      process.stderr.write(
        `${pc.red('error:')} cannot audit ${visible(url ?? options.baseUrl ?? '')}: ${visible(err.message)}\n`,
      );
      return 2;
    }
    throw err;
  }
  progress.end();
  process.stdout.write(`${output(format, located, options)}\n`);
  const counts = totals(located.map((l) => l.report));
  return counts.exploitable + counts.broken > 0 ? 1 : 0;
}
