// `corsica check <url>`: sends the requests a browser (`--browser chromium|firefox|webkit`,
// Chromium by default) would send for a fetch() from `--origin` (preflight included), applies that
// browser's checks to the real answers, and says whether the page would get the response, and if
// not, that browser's console lines, the cause and the fix, and where the other browsers disagree.
// The probe lives in src/check; this file prints.

import pc from 'picocolors';
import type { Exchange, FetchOutcome } from '../browser/index.js';
import { BROWSER_NAMES, type CheckOptions, type CheckReport, probe } from '../check/index.js';
import { printFix } from './print.js';
import { terminalJson, visibleDeep } from './terminal.js';

const RELEVANT = /^(access-control-|vary$|location$|origin$)/i;

function printExchange(e: Exchange, out: string[]): void {
  out.push(`  ${pc.cyan('→')} ${e.request.method} ${e.request.url}`);
  // A preflight's own headers are all the browser chose; the request carries the page's headers
  // too, which are often what the server objects to, so every header it sent is shown.
  const preflight = e.request.headers.some(([n]) => n === 'Access-Control-Request-Method');
  for (const [n, v] of e.request.headers)
    if (!preflight || RELEVANT.test(n)) out.push(pc.dim(`      ${n}: ${v}`));
  if (e.response === null) {
    out.push(`  ${pc.red('←')} no answer`);
    return;
  }
  out.push(`  ${pc.cyan('←')} ${e.response.status}`);
  const relevant = e.response.headers.filter(([n]) => RELEVANT.test(n));
  if (relevant.length === 0) out.push(pc.dim('      (no CORS headers)'));
  for (const [n, v] of relevant) out.push(pc.dim(`      ${n}: ${v}`));
}

/** Each engine's verdict in one line, and where they disagree. */
function printEngines(r: CheckReport, out: string[]): void {
  if (r.engines.length === 0) return;
  const each = r.engines.map((e) =>
    e.verdict === 'not-sent'
      ? `${BROWSER_NAMES[e.engine]} ${e.line}`
      : `${BROWSER_NAMES[e.engine]} ${e.verdict}${e.key === null ? '' : ` (${e.key})`}`,
  );
  out.push(`  ${pc.bold('browsers')}: ${each.join(' · ')}`);
  if (r.disagreement !== null) out.push(`  ${pc.yellow('⚠ browsers disagree')}: ${r.disagreement}`);
}

/** The console lines the checked engine prints (warnings too), as that browser prints them. */
function printConsole(r: CheckReport, out: string[]): void {
  for (const line of r.console) {
    const label = line.level === 'warning' ? pc.yellow('warning') : pc.red('error');
    out.push(`      ${label}${line.key === null ? '' : ` ${line.key}`}: ${line.text}`);
  }
}

export function humanReport(outcome: FetchOutcome, r: CheckReport): string {
  const browser = r.browser === 'chromium' ? '' : ` as ${BROWSER_NAMES[r.browser]}`;
  const out: string[] = [
    `${pc.bold('corsica check')}: ${r.method} ${r.url} from origin ${r.origin}${browser}`,
  ];
  if (outcome.classification !== null) {
    if (!outcome.classification.crossOrigin) out.push('  same-origin request: CORS does not apply');
    else if (r.preflightNeeded) {
      out.push(
        `  preflight needed: ${r.preflightReasons.join('; ')}${outcome.preflightCached ? ' (answered from the preflight cache)' : ''}`,
      );
    } else out.push('  no preflight: a simple request (safelisted method and headers)');
  }
  for (const e of outcome.exchanges) printExchange(e, out);
  if (r.verdict === 'allowed') {
    out.push(`${pc.green('✔ allowed')}: the page can read the response.`);
    out.push(`  readable headers: ${r.exposedHeaders.length === 0 ? '(none)' : r.exposedHeaders.join(', ')}`);
    if (r.console.length > 0) out.push(`  ${pc.bold(BROWSER_NAMES[r.browser])} prints:`);
    printConsole(r, out);
    printEngines(r, out);
    for (const w of r.warnings) {
      const label = w.severity === 'hole' ? pc.red(`⚠ security hole (${w.code})`) : pc.yellow(`⚠ ${w.code}`);
      out.push(`${label}${w.pitfall === undefined ? '' : ` (pitfall ${w.pitfall})`}: ${w.message}`);
      out.push(`    ${pc.green('fix:')} ${w.fix}`);
    }
    return out.join('\n');
  }
  const f = outcome.failure;
  if (f === null) {
    out.push(`${pc.red('✖ network error')} (not a CORS block): ${outcome.typeError ?? 'unknown error'}`);
    printEngines(r, out);
    return out.join('\n');
  }
  out.push(`${pc.red('✖ blocked by CORS policy')}`);
  if (r.browser === 'firefox' || r.browser === 'webkit') {
    out.push(`  ${pc.bold(BROWSER_NAMES[r.browser])}:${f.reason.key === null ? '' : ` ${f.reason.key}`}`);
    printConsole(r, out);
  } else {
    out.push(`  ${pc.bold('Chromium')}: ${f.consoleMessage}`);
    out.push(`  ${pc.bold('Firefox')}:  ${f.firefox ?? '(no specific reason)'}`);
  }
  // The report holds the failure's advice, written from the whole fetch's answers.
  const error = r.error!;
  out.push(`  ${pc.bold('Cause')}:    ${error.cause}`);
  printFix(error.fix, '      ', out);
  printEngines(r, out);
  return out.join('\n');
}

/** Runs the check; returns the exit code (0 allowed, 1 blocked, 2 usage or network error). */
export async function check(
  url: string,
  options: CheckOptions & { readonly json?: boolean },
): Promise<number> {
  const { outcome, report: r } = await probe(url, options);
  // What the server sent is printed as visible escapes (terminal.ts); the JSON keeps it exact.
  if (options.json === true) process.stdout.write(`${terminalJson(r)}\n`);
  else process.stdout.write(`${humanReport(visibleDeep(outcome), visibleDeep(r))}\n`);
  if (outcome.verdict === 'allowed') return 0;
  return outcome.failure !== null ? 1 : 2;
}
