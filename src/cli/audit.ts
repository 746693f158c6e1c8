// `corsica audit <url>`: probes a live API with a battery of Origins derived from the site's own
// and prints every CORS misconfiguration found, grouped by severity, each with the probe that
// proves it and the fix (issue 16). The audit lives in src/audit; this file parses and prints.

import pc from 'picocolors';
import {
  AuditInputError,
  type AuditReport,
  audit,
  type Finding,
  type FindingSeverity,
  NetworkError,
} from '../audit/index.js';
import { terminalJson, visible, visibleDeep } from './terminal.js';

export interface AuditCommandOptions {
  readonly origin?: string;
  readonly header?: readonly string[];
  readonly json?: boolean;
  readonly intranet?: boolean;
  readonly concurrency?: string;
  readonly timeout?: string;
}

const SHOWN = /^(access-control-|vary$|origin$)/i;

function numberOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new AuditInputError(`${flag} must be a whole number, not '${value}'`);
  return Number(value);
}

function proofLines(f: Finding): string[] {
  const { request, response } = f.proof;
  const sent = request.headers
    .filter(([n]) => SHOWN.test(n))
    .map(([n, v]) => `${n}: ${v}`)
    .join(', ');
  const got =
    response === null
      ? 'no answer'
      : `${response.status} ${
          response.headers
            .filter(([n]) => SHOWN.test(n))
            .map(([n, v]) => `${n}: ${v}`)
            .join(', ') || '(no CORS headers)'
        }`;
  return [
    `    ${pc.dim('proof:')} ${request.method} ${sent || '(no Origin)'}`,
    `           ${pc.dim('←')} ${got}`,
  ];
}

const HEADINGS: Readonly<Record<FindingSeverity, (n: number) => string>> = {
  exploitable: (n) => pc.red(pc.bold(`✖ exploitable (${n})`)),
  broken: (n) => pc.yellow(pc.bold(`⚠ broken (${n})`)),
  info: (n) => pc.cyan(pc.bold(`ℹ info (${n})`)),
};

/** The report for people: grouped by severity, one line per finding, then its proof and fix. */
export function humanAudit(r: AuditReport): string {
  const out: string[] = [
    `${pc.bold('corsica audit')}: ${r.url} for the site ${r.site} (${r.probes.length} probes, ${r.elapsedMs} ms)`,
  ];
  const shown = new Set<string>();
  for (const severity of ['exploitable', 'broken', 'info'] as const) {
    const group = r.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('', HEADINGS[severity](group.length));
    for (const f of group) {
      const pitfall = f.pitfall === null ? '' : pc.dim(` (pitfall ${f.pitfall})`);
      out.push(`  ${pc.bold(f.class)}${pitfall}: ${f.message}`);
      out.push(...proofLines(f));
      if (f.also.length > 0)
        out.push(
          `    ${pc.dim('also:')} ${f.also.slice(0, 5).join(', ')}${f.also.length > 5 ? ', ...' : ''}`,
        );
      out.push(`    ${pc.dim(severity === 'exploitable' ? 'attack:' : 'impact:')} ${f.impact}`);
      out.push(`    ${pc.green('fix:')} ${f.fix.summary}`);
      // Each tool's lines once: several findings of one mistake share them.
      if (!shown.has(f.fix.corsica)) {
        shown.add(f.fix.corsica);
        out.push(`      corsica: ${f.fix.corsica}`);
        out.push(`      cors:    ${f.fix.cors}`);
        out.push(`      fastify: ${f.fix.fastify}`);
        out.push(`      nginx:   ${f.fix.nginx}`);
      }
    }
  }
  for (const note of r.notes) out.push('', `${pc.yellow('note:')} ${note}`);
  const { exploitable, broken, info } = r.counts;
  const verdict =
    exploitable + broken === 0
      ? pc.green('✔ nothing exploitable or broken')
      : pc.red(`✖ ${exploitable} exploitable, ${broken} broken`);
  out.push('', `${verdict}${info > 0 ? `, ${info} info` : ''}`);
  return out.join('\n');
}

/** Runs the audit; returns the exit code (0 nothing exploitable or broken, 1 findings, 2 usage or network error). */
export async function auditCommand(url: string, options: AuditCommandOptions): Promise<number> {
  let report: AuditReport;
  try {
    const concurrency = numberOption('--concurrency', options.concurrency);
    const timeout = numberOption('--timeout', options.timeout);
    report = await audit(url, {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      headers: options.header ?? [],
      intranet: options.intranet === true,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(timeout === undefined ? {} : { timeout }),
    });
  } catch (err) {
    if (err instanceof AuditInputError) {
      process.stderr.write(`${pc.red('error:')} ${visible(err.message)}\n`);
      return 2;
    }
    if (err instanceof NetworkError) {
      process.stderr.write(`${pc.red('error:')} cannot audit ${visible(url)}: ${visible(err.message)}\n`);
      return 2;
    }
    throw err;
  }
  // What the server sent is printed as visible escapes (terminal.ts); the JSON keeps it exact.
  if (options.json === true) process.stdout.write(`${terminalJson(report)}\n`);
  else process.stdout.write(`${humanAudit(visibleDeep(report))}\n`);
  return report.counts.exploitable + report.counts.broken > 0 ? 1 : 0;
}
