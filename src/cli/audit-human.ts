// The human report of `corsica audit`: findings grouped by severity, each with its proof, what an
// attacker does with it, and the fix in each tool's terms.

import pc from 'picocolors';
import type { AuditReport, Finding, FindingSeverity } from '../audit/index.js';

const SHOWN = /^(access-control-|vary$|origin$)/i;

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
        out.push(`      hono:    ${f.fix.hono}`);
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

/** The last line of a run over several URLs: how many, and what was found in all. */
export function humanTotals(reports: readonly AuditReport[]): string {
  const sum = (s: FindingSeverity) => reports.reduce((n, r) => n + r.counts[s], 0);
  const bad = sum('exploitable') + sum('broken');
  const verdict =
    bad === 0
      ? pc.green('✔ nothing exploitable or broken')
      : pc.red(`✖ ${sum('exploitable')} exploitable, ${sum('broken')} broken`);
  return `${pc.bold('corsica audit')}: ${reports.length} URLs: ${verdict}${sum('info') > 0 ? `, ${sum('info')} info` : ''}`;
}
