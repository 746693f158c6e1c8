// What browsers do with a probe's answer, asked of the browser model: the same judge as
// `corsica check`, engine by engine, so that audit never reads a CORS header its own way. What is
// audit's own stays in rules.ts: which probes prove what, and what a grant to a hostile origin
// means (an answer a page on that origin can read, granted by name, not `*`).

import { getHeader } from '../browser/headers.js';
import {
  type BrowserResponse,
  type CorsFailureCore,
  checkPreflight,
  classifyRequest,
  corsCheck,
  type Engine,
} from '../browser/index.js';
import { splitCommaList, trimHttpWhitespace } from '../syntax/whitespace.js';
import type { ProbeRecord } from './finding.js';

/** The engines an audit asks: a hole in one of them is a hole. */
export const JUDGED_ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

/** The answer as a browser reads it: header values without the whitespace around them. */
function received(r: ProbeRecord): BrowserResponse | null {
  if (r.response === null) return null;
  return {
    status: r.response.status,
    headers: r.response.headers.map(([n, v]) => [n, trimHttpWhitespace(v)] as const),
  };
}

/** A header of the answer, as the browser gets it (every line, joined); null when absent. */
export function answerHeader(r: ProbeRecord, name: string): string | null {
  const response = received(r);
  return response === null ? null : getHeader(response.headers, name);
}

/** The engines in which a page on the probe's Origin reads the answer, with cookies or without. */
export function readersOf(r: ProbeRecord, credentialed: boolean): Engine[] {
  const response = received(r);
  if (response === null || r.origin === null) return [];
  return JUDGED_ENGINES.filter((engine) => corsCheck(response, r.origin!, credentialed, engine) === null);
}

/**
 * Why Chromium refuses the answer to a page on the probe's Origin (its CORS error code and the
 * value it quotes, as `corsica check` reports them), or null when it reads it.
 */
export function refusal(r: ProbeRecord, credentialed: boolean): CorsFailureCore | null {
  const response = received(r);
  if (response === null || r.origin === null) return null;
  return corsCheck(response, r.origin, credentialed, 'chromium');
}

/** The probe's own Origin is granted by name (not `*`), readable in some browser. */
export function grantsOrigin(r: ProbeRecord): boolean {
  return answerHeader(r, 'access-control-allow-origin') !== '*' && readersOf(r, false).length > 0;
}

/** The probe's own Origin is granted with credentials, readable with cookies in some browser. */
export function grantsWithCredentials(r: ProbeRecord): boolean {
  return readersOf(r, true).length > 0;
}

/**
 * The preflight Chromium sends for a request from `origin` (its method and the unsafe header
 * names Access-Control-Request-Headers lists), or null when it sends none.
 */
export function preflightFor(
  url: string,
  origin: string,
  method: string,
  headers: readonly (readonly [string, string])[],
): { readonly method: string; readonly headers: readonly string[] } | null {
  const c = classifyRequest({
    url,
    origin,
    method,
    headers: headers.map(([n, v]) => [n, v] as [string, string]),
  });
  if (!c.ok || !c.value.preflight) return null;
  return { method: c.value.method, headers: c.value.unsafeHeaderNames };
}

/**
 * Whether a Private Network Access preflight passes: the CORS check of the preflight, then
 * `Access-Control-Allow-Private-Network: true` (WICG/private-network-access, §Additional CORS
 * headers). The browser model has no PNA (Chromium replaced it by a permission prompt, Local
 * Network Access), so its one header is read here, as Chromium read it.
 */
export function grantsPrivateNetwork(r: ProbeRecord, url: string): boolean {
  return (
    preflightPasses(r, url, 'omit') && answerHeader(r, 'access-control-allow-private-network') === 'true'
  );
}

/**
 * Whether a preflight answer lets some browser send the request the preflight asked for (its
 * method and headers), with credentials (`include`) or without (`omit`).
 */
export function preflightPasses(r: ProbeRecord, url: string, credentials: 'include' | 'omit'): boolean {
  return JUDGED_ENGINES.some((engine) => preflightCheck(r, url, credentials, engine) === null);
}

/**
 * Why Chromium refuses a preflight answer for the request the preflight asked for (its CORS error
 * code, as `corsica check` names it), without credentials; null when it passes.
 */
export function preflightRefusal(r: ProbeRecord, url: string): CorsFailureCore | null {
  const failure = preflightCheck(r, url, 'omit', 'chromium');
  return failure === UNJUDGED ? null : failure;
}

/** No answer, or a request fetch() would refuse: nothing to judge. */
const UNJUDGED = 'unjudged';

/** The model's check of a preflight answer in one engine: null when it passes. */
function preflightCheck(
  r: ProbeRecord,
  url: string,
  credentials: 'include' | 'omit',
  engine: Engine,
): CorsFailureCore | null | typeof UNJUDGED {
  const response = received(r);
  if (response === null || r.origin === null) return UNJUDGED;
  const asked = (name: string) => r.request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const headers: [string, string][] = splitCommaList(asked('access-control-request-headers') ?? '')
    .filter((n) => n !== '')
    .map((n) => [n, n === 'content-type' ? 'application/json' : '1']);
  const method = asked('access-control-request-method') ?? 'PUT';
  const c = classifyRequest({ url, origin: r.origin, method, headers, credentials, engine });
  if (!c.ok) return UNJUDGED;
  const checked = checkPreflight(c.value, response, r.origin);
  return checked.ok ? null : checked.failure;
}
