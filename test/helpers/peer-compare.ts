// What the peer case tables (hono-compat, koa-compat) check the same way: that a browser reads no
// more of corsica's answer than of the peer plugin's, and that the docs list exactly the
// differences the table uses.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type FetchOutcome, getHeader } from '../../src/browser/index.js';

/** The response header names Access-Control-Expose-Headers grants on the final response ('*': all, without credentials). */
function exposed(outcome: FetchOutcome, mode: 'omit' | 'include'): string[] {
  const last = outcome.exchanges.at(-1)?.response;
  const value =
    last === undefined || last === null ? null : getHeader(last.headers, 'access-control-expose-headers');
  const names = (value ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  return mode === 'include' ? names.filter((n) => n !== '*') : names;
}
const covers = (names: string[], name: string) => names.includes(name) || names.includes('*');

/** Where corsica's answer is readable, the peer's is too, and exposes at least as much. */
export function assertNoWider(
  mine: FetchOutcome,
  theirs: FetchOutcome,
  mode: 'omit' | 'include',
  peer: string,
): void {
  if (mine.verdict !== 'allowed') return;
  assert.equal(theirs.verdict, 'allowed', `${mode}: corsica allows what ${peer} refuses`);
  const wider = exposed(mine, mode).filter((name) => !covers(exposed(theirs, mode), name));
  assert.deepEqual(wider, [], `${mode}: corsica exposes more`);
}

/** The doc's `## Differences` table has one row per difference id, and the table uses each. */
export function assertDocListsDifferences(
  doc: string,
  used: Iterable<string>,
  known: Iterable<string>,
): void {
  const text = readFileSync(doc, 'utf8');
  const section = text.slice(text.indexOf('## Differences'));
  const listed = new Set([...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));
  const usedIds = [...new Set(used)].sort();
  assert.deepEqual([...listed].sort(), usedIds);
  assert.deepEqual(usedIds, [...known].sort());
}
