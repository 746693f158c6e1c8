// What the peer case tables (hono-compat, koa-compat) share: the shape of a case, what corsica is
// expected to answer, the request a page would have made, that a browser reads no more of
// corsica's answer than of the peer plugin's, and that the docs list exactly the differences the
// table uses.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getHeader } from '../../src/browser/headers.js';
import type { BrowserRequest, FetchOutcome } from '../../src/browser/index.js';

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

/** Expected status and headers; a header given as null must be absent. */
export interface Want {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | null>>;
}

/** One case of a peer table: the peer plugin's options and answer, and where corsica differs. */
export interface PeerCase<Options, Difference extends string, App extends string> {
  /** The peer's test name, or where the behaviour is documented. */
  readonly name: string;
  readonly options: Options;
  /** How the app around the middleware is built (each table says what its shapes mean). */
  readonly app?: App;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** What the peer plugin answers. */
  readonly expect: Want;
  /** Where corsica differs on purpose: its answer (merged over `expect`), or a start-up error. */
  readonly corsica?:
    | (Want & { readonly why: Difference })
    | { readonly throws: RegExp; readonly why: Difference };
}

/** What corsica answers a case: the peer's answer with the listed difference merged, or null when it refuses the options. */
export function corsicaWant(c: PeerCase<unknown, string, string>): Want | null {
  const d = c.corsica;
  if (d === undefined) return c.expect;
  if ('throws' in d) return null;
  return { status: d.status ?? c.expect.status, headers: { ...c.expect.headers, ...d.headers } };
}

/**
 * What a page would have fetched to cause a case's request, at `url`: the preflight's method and
 * headers, or the request itself; null for a request without Origin (not a CORS request).
 */
export function pageRequest(
  c: PeerCase<unknown, string, string>,
  url: string,
  credentials: 'omit' | 'include',
): BrowserRequest | null {
  const headers = c.headers ?? {};
  const origin = headers.origin;
  if (origin === undefined) return null;
  const names = (headers['access-control-request-headers'] ?? '').split(',').filter((n) => n.trim() !== '');
  return {
    url,
    origin,
    method: headers['access-control-request-method'] ?? c.method ?? 'GET',
    headers: Object.fromEntries(
      names.map((n) => [n.trim(), n.trim().toLowerCase() === 'content-type' ? 'application/json' : 'v']),
    ),
    credentials,
  };
}
