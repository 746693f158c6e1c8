// What `check` and `explain` print the same way: a fix, in each tool's terms.

import pc from 'picocolors';
import type { Fix } from '../advice/index.js';

/** The fix's summary, then the change in corsica, cors, Fastify, Hono and nginx terms. */
export function printFix(fix: Fix, label: string, out: string[]): void {
  out.push(`  ${pc.bold('Fix')}:${label}${fix.summary}`);
  out.push(`    corsica: ${fix.corsica}`);
  out.push(`    cors:    ${fix.cors}`);
  out.push(`    fastify: ${fix.fastify}`);
  out.push(`    hono:    ${fix.hono}`);
  out.push(`    nginx:   ${fix.nginx}`);
}
