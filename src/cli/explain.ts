// `corsica explain "<pasted console message>"`: prints what src/explain/explain-message.ts makes of
// a CORS error from Chromium, Firefox (a line or only its key, CORSMissingAllowOrigin2) or Safari
// (WebKit).

import pc from 'picocolors';
import { explainMessage } from '../explain/index.js';
import { printFix } from './print.js';
import { terminalJson, visibleDeep } from './terminal.js';
import { UsageError } from './usage.js';

/** Prints the explanation; returns the exit code (0 explained, 2 not a CORS message). */
export function explain(message: string | undefined, json: boolean): number {
  if (message === undefined || message.trim() === '')
    throw new UsageError('paste the console message in quotes: corsica explain "<message>"');
  // A pasted console line carries what the server sent: printed as visible escapes (terminal.ts).
  const explained = explainMessage(message);
  const e = explained === null ? null : visibleDeep(explained);
  if (e === null) {
    const text =
      'Not a CORS message I know. Paste the whole line from the browser console (it starts with "Access to fetch at", "Cross-Origin Request Blocked" or "Origin ... is not allowed"), or run corsica check.';
    if (json) process.stdout.write(`${JSON.stringify({ recognized: false, message: text })}\n`);
    else process.stderr.write(`${text}\n`);
    return 2;
  }
  if (json) {
    process.stdout.write(`${terminalJson({ recognized: true, ...explained })}\n`);
    return 0;
  }
  const browser = { chromium: 'Chromium', firefox: 'Firefox', safari: 'Safari (WebKit)' }[e.browser];
  const firefox = e.key ?? e.firefox;
  const names = [...(e.code === null ? [] : [e.code]), ...(firefox === null ? [] : [`Firefox ${firefox}`])];
  const out = [
    `${pc.bold('corsica explain')}: a ${browser} CORS ${e.key === 'CORSAllowHeaderFromPreflightDeprecation' ? 'warning' : 'error'}${names.length === 0 ? '' : ` (${names.join(', ')})`}`,
  ];
  if (e.serverSent !== null) out.push(`  ${pc.bold('The server')}: ${e.serverSent}.`);
  out.push(`  ${pc.bold('Cause')}:      ${e.cause}`);
  if (e.fix !== null) {
    printFix(e.fix, '        ', out);
  }
  if (e.reproduce !== null) out.push(`  ${pc.bold('Reproduce')}:  ${e.reproduce}`);
  if (e.reproduceNote !== null) out.push(`              ${e.reproduceNote}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
