// What the browser checks on the answers: the CORS check (Fetch #cors-check), the preflight's
// checks (#cors-preflight-fetch), and which response headers a page may read (#cors-filtered
// response). Orders and diagnostics follow each engine: Chromium (cors.cc CheckAccess,
// preflight_controller.cc, preflight_result.cc), Firefox (nsCORSListenerProxy.cpp
// CheckRequestApproved, nsCORSPreflightListener), WebKit (CrossOriginAccessControl.cpp
// passesAccessControlCheck, validatePreflightResponse). The standard sets no order; `standard`
// takes Chromium's.

import { type ListLimits, parseTokenList } from '../spec/header-list.js';
import { FORBIDDEN_RESPONSE_HEADERS, SAFELISTED_RESPONSE_HEADERS } from '../spec/header-names.js';
import { isSafelistedMethod } from '../spec/methods.js';
import { isToken } from '../spec/tokens.js';
import { splitCommaList } from '../spec/whitespace.js';
import type { Classification } from './classify.js';
import type { CorsErrorCode, CorsFailureCore } from './codes.js';
import { getHeader, type HeaderPairs } from './headers.js';
import type { Engine } from './safelist.js';

/** A response as the browser received it: status and header lines. */
export interface BrowserResponse {
  readonly status: number;
  readonly headers: HeaderPairs;
}

/** Browsers put no cap on these lists; only their syntax matters. */
const BROWSER_LIST_LIMITS: ListLimits = {
  maxLength: Number.POSITIVE_INFINITY,
  maxWhitespacePerItem: Number.POSITIVE_INFINITY,
  maxEmptyItems: Number.POSITIVE_INFINITY,
  maxItems: Number.POSITIVE_INFINITY,
};

/** Chromium: an allow-origin value that is not even a URL gets its own diagnosis. */
function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** How a value that is not the origin is named (Chromium's diagnosis, which the other engines share in kind). */
function mismatch(allowOrigin: string): CorsFailureCore {
  if (/[ ,]/.test(allowOrigin)) return { code: 'MultipleAllowOriginValues', hint: allowOrigin };
  if (allowOrigin === 'null' || isUrl(allowOrigin)) return { code: 'AllowOriginMismatch', hint: allowOrigin };
  return { code: 'InvalidAllowOriginValue', hint: allowOrigin };
}

function credentialsCheck(response: BrowserResponse, credentialed: boolean): CorsFailureCore | null {
  if (!credentialed) return null;
  const allowCredentials = getHeader(response.headers, 'access-control-allow-credentials');
  return allowCredentials === 'true'
    ? null
    : { code: 'InvalidAllowCredentials', hint: allowCredentials ?? '' };
}

/** Chromium (and the standard): `*` first, then presence, then the value, then credentials. */
function chromiumCorsCheck(
  response: BrowserResponse,
  origin: string,
  credentialed: boolean,
): CorsFailureCore | null {
  const allowOrigin = getHeader(response.headers, 'access-control-allow-origin');
  if (allowOrigin === '*') {
    if (!credentialed) return null;
    return { code: 'WildcardOriginNotAllowed', hint: '' };
  }
  if (allowOrigin === null) return { code: 'MissingAllowOriginHeader', hint: '' };
  if (allowOrigin !== origin) return mismatch(allowOrigin);
  return credentialsCheck(response, credentialed);
}

/**
 * Firefox 153: several Access-Control-Allow-Origin lines are refused before anything else
 * (CORSMultipleAllowOriginNotAllowed); one line holding a comma is a mismatch that quotes it.
 */
function firefoxCorsCheck(
  response: BrowserResponse,
  origin: string,
  credentialed: boolean,
): CorsFailureCore | null {
  const lines = response.headers.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin');
  if (lines.length > 1) {
    const hint = getHeader(response.headers, 'access-control-allow-origin') ?? '';
    return { code: 'MultipleAllowOriginValues', hint, engineKey: 'CORSMultipleAllowOriginNotAllowed' };
  }
  const allowOrigin = lines[0]?.[1] ?? null;
  if (allowOrigin === null) return { code: 'MissingAllowOriginHeader', hint: '' };
  if (credentialed && allowOrigin === '*') return { code: 'WildcardOriginNotAllowed', hint: '' };
  if ((credentialed || allowOrigin !== '*') && allowOrigin !== origin) return mismatch(allowOrigin);
  return credentialsCheck(response, credentialed);
}

/** WebKit: one message for a missing, a different and an unparsable value; "more than one" only on a comma. */
function webkitCorsCheck(
  response: BrowserResponse,
  origin: string,
  credentialed: boolean,
): CorsFailureCore | null {
  const allowOrigin = getHeader(response.headers, 'access-control-allow-origin');
  if (allowOrigin === '*' && !credentialed) return null;
  if (allowOrigin !== origin) {
    if (allowOrigin === '*') return { code: 'WildcardOriginNotAllowed', hint: '' };
    if (allowOrigin === null) return { code: 'MissingAllowOriginHeader', hint: '' };
    if (allowOrigin.includes(',')) return { code: 'MultipleAllowOriginValues', hint: allowOrigin };
    const named = mismatch(allowOrigin);
    return named.code === 'MultipleAllowOriginValues'
      ? { code: 'InvalidAllowOriginValue', hint: allowOrigin }
      : named;
  }
  return credentialsCheck(response, credentialed);
}

/**
 * The CORS check: null when `response` grants `origin` (the request's serialized origin, `null`
 * when tainted) access, with credentials when `credentialed`; otherwise the failure, found in the
 * order `engine` checks.
 */
export function corsCheck(
  response: BrowserResponse,
  origin: string,
  credentialed: boolean,
  engine: Engine = 'chromium',
): CorsFailureCore | null {
  if (engine === 'firefox') return firefoxCorsCheck(response, origin, credentialed);
  if (engine === 'webkit') return webkitCorsCheck(response, origin, credentialed);
  return chromiumCorsCheck(response, origin, credentialed);
}

/** What a successful preflight grants, as the preflight cache keeps it. */
export interface PreflightGrant {
  /** Methods as listed (case kept; compared byte for byte). */
  readonly methods: readonly string[];
  /** Header names as listed, lower-case. */
  readonly headers: readonly string[];
  /** Seconds the grant may be cached, after the browser's default and cap. */
  readonly maxAge: number;
  readonly credentialed: boolean;
}

/** Chromium (preflight_result.cc): absent or not an integer → 5 s; negative → 0 (not cached); capped at 2 h. */
export const CHROMIUM_MAX_AGE = { default: 5, cap: 7200 } as const;
/** Firefox (nsCORSListenerProxy.cpp): absent → 5 s; anything but digits, or 0 → not cached; capped at 24 h. */
export const FIREFOX_MAX_AGE = { default: 5, cap: 86400 } as const;

/** WebKit (CrossOriginPreflightResultCache.cpp): absent or not an integer → 5 s; capped at 600 s. */
export const WEBKIT_MAX_AGE = { default: 5, cap: 600 } as const;

/** Seconds a preflight answer may be cached by the given browser. */
export function parseMaxAge(value: string | null, browser: Engine = 'chromium'): number {
  if (browser === 'webkit') {
    if (value === null || !/^[+-]?\d+$/.test(value)) return WEBKIT_MAX_AGE.default;
    return Math.max(0, Math.min(Number(value), WEBKIT_MAX_AGE.cap));
  }
  if (browser === 'firefox') {
    // An empty value is no value, in Firefox as in the standard: the 5 s default (issue 15.4).
    if (value === null || value.trim() === '') return FIREFOX_MAX_AGE.default;
    if (!/^\d+$/.test(value)) return 0;
    return Math.min(Number(value), FIREFOX_MAX_AGE.cap);
  }
  if (value === null || !/^[+-]?\d+$/.test(value)) return CHROMIUM_MAX_AGE.default;
  const seconds = Number(value);
  if (seconds < 0) return 0;
  return Math.min(seconds, CHROMIUM_MAX_AGE.cap);
}

function parseList(value: string | null, lowerCase: boolean): string[] | null {
  if (value === null) return [];
  const parsed = parseTokenList(value, BROWSER_LIST_LIMITS, lowerCase);
  return parsed.ok ? parsed.items : null;
}

type PreflightCheck =
  | { readonly ok: true; readonly grant: PreflightGrant }
  | { readonly ok: false; readonly failure: CorsFailureCore };

const refuse = (code: CorsErrorCode, hint = ''): PreflightCheck => ({ ok: false, failure: { code, hint } });

/** The CORS check of a preflight answer, as a preflight failure. */
function preflightAccess(
  response: BrowserResponse,
  origin: string,
  request: Classification,
): PreflightCheck | null {
  const access = corsCheck(response, origin, request.credentialed, request.engine);
  if (access === null) return null;
  return { ok: false, failure: { ...access, code: `Preflight${access.code}` as CorsErrorCode } };
}

const isOk = (status: number) => status >= 200 && status <= 299;

/**
 * Firefox's and WebKit's list parsing (nsCORSPreflightListener, parseAccessControlAllowList): split
 * on commas, trim, skip empty items, and name the first item that is not a token.
 */
function tokenItems(value: string | null): { items: string[]; invalid: string | null } {
  const items: string[] = [];
  for (const item of splitCommaList(value ?? '')) {
    if (item === '') continue;
    if (!isToken(item)) return { items, invalid: item };
    items.push(item);
  }
  return { items, invalid: null };
}

/**
 * Firefox: the CORS check (by the preflight's CORS listener), the status, the methods (parsed and
 * the method looked for, before the headers are read), then the headers, compared with the list
 * Access-Control-Request-Headers carried.
 */
function firefoxPreflight(
  request: Classification,
  response: BrowserResponse,
  origin: string,
  asked: readonly string[],
): PreflightCheck {
  const access = preflightAccess(response, origin, request);
  if (access !== null) return access;
  if (!isOk(response.status)) return refuse('PreflightInvalidStatus');
  const methods = tokenItems(getHeader(response.headers, 'access-control-allow-methods'));
  if (methods.invalid !== null) return refuse('InvalidAllowMethodsPreflightResponse', methods.invalid);
  const wildcard = !request.credentialed;
  if (
    !isSafelistedMethod(request.method) &&
    !methods.items.includes(request.method) &&
    !(wildcard && methods.items.includes('*'))
  )
    return refuse('MethodDisallowedByPreflightResponse', request.method);
  const headers = tokenItems(getHeader(response.headers, 'access-control-allow-headers'));
  if (headers.invalid !== null) return refuse('InvalidAllowHeadersPreflightResponse', headers.invalid);
  const allowed = headers.items.map((h) => h.toLowerCase());
  const grant: PreflightGrant = {
    methods: methods.items,
    headers: allowed,
    maxAge: parseMaxAge(getHeader(response.headers, 'access-control-max-age'), 'firefox'),
    credentialed: request.credentialed,
  };
  if (wildcard && allowed.includes('*')) return { ok: true, grant };
  const refused = asked.filter((name) => !allowed.includes(name));
  if (refused.length > 0)
    return {
      ok: false,
      failure: { code: 'HeaderDisallowedByPreflightResponse', hint: refused[0]!, refused },
    };
  return { ok: true, grant };
}

/** WebKit: the status before anything else (issue 15.9), then the CORS check, the lists, method, headers. */
function webkitPreflight(request: Classification, response: BrowserResponse, origin: string): PreflightCheck {
  if (!isOk(response.status)) return refuse('PreflightInvalidStatus');
  const access = preflightAccess(response, origin, request);
  if (access !== null) return access;
  const methodsValue = getHeader(response.headers, 'access-control-allow-methods');
  const methods = tokenItems(methodsValue);
  if (methods.invalid !== null) return refuse('InvalidAllowMethodsPreflightResponse', methodsValue ?? '');
  const headersValue = getHeader(response.headers, 'access-control-allow-headers');
  const headers = tokenItems(headersValue);
  if (headers.invalid !== null) return refuse('InvalidAllowHeadersPreflightResponse', headersValue ?? '');
  const grant: PreflightGrant = {
    methods: methods.items,
    headers: headers.items.map((h) => h.toLowerCase()),
    maxAge: parseMaxAge(getHeader(response.headers, 'access-control-max-age'), 'webkit'),
    credentialed: request.credentialed,
  };
  const refused = refusedBy(grant, request);
  if (refused === null) return { ok: true, grant };
  if (refused.code !== 'HeaderDisallowedByPreflightResponse') return { ok: false, failure: refused };
  // WebKit names the first refused header in the request's own order.
  const first = request.headers.map(([n]) => n).find((n) => refused.refused?.includes(n)) ?? refused.hint;
  return { ok: false, failure: { ...refused, hint: first } };
}

/** Chromium (and the standard): the CORS check, the status, both lists parsed, then method and headers. */
function chromiumPreflight(
  request: Classification,
  response: BrowserResponse,
  origin: string,
): PreflightCheck {
  const access = preflightAccess(response, origin, request);
  if (access !== null) return access;
  if (!isOk(response.status)) return refuse('PreflightInvalidStatus');
  const methods = parseList(getHeader(response.headers, 'access-control-allow-methods'), false);
  if (methods === null) return refuse('InvalidAllowMethodsPreflightResponse');
  const headers = parseList(getHeader(response.headers, 'access-control-allow-headers'), true);
  if (headers === null) return refuse('InvalidAllowHeadersPreflightResponse');
  const grant: PreflightGrant = {
    methods,
    headers,
    maxAge: parseMaxAge(getHeader(response.headers, 'access-control-max-age')),
    credentialed: request.credentialed,
  };
  const refused = refusedBy(grant, request);
  return refused === null ? { ok: true, grant } : { ok: false, failure: refused };
}

/**
 * Checks the answer to a preflight sent with `originSent`, in the order the request's engine
 * checks; on success, what it grants. `asked` is what Access-Control-Request-Headers listed
 * (Firefox compares the answer with that list; the others with the request's headers).
 */
export function checkPreflight(
  request: Classification,
  response: BrowserResponse,
  originSent: string,
  asked: readonly string[] = request.unsafeHeaderNames,
): PreflightCheck {
  if (request.engine === 'firefox') return firefoxPreflight(request, response, originSent, asked);
  if (request.engine === 'webkit') return webkitPreflight(request, response, originSent);
  return chromiumPreflight(request, response, originSent);
}

/**
 * Whether a grant covers the request's method and headers (also used for cache hits). Methods are
 * compared byte for byte; `*` covers any method and any header only without credentials. Under the
 * standard `*` never covers Authorization; Chromium 156 does not enforce that, and the model follows
 * Chromium unless asked for the standard.
 */
export function refusedBy(grant: PreflightGrant, request: Classification): CorsFailureCore | null {
  const wildcard = !request.credentialed;
  const method = request.method;
  if (
    !grant.methods.includes(method) &&
    !isSafelistedMethod(method) &&
    !(wildcard && grant.methods.includes('*'))
  ) {
    return { code: 'MethodDisallowedByPreflightResponse', hint: method };
  }
  if (wildcard && grant.headers.includes('*')) {
    const strict = request.engine === 'standard';
    if (
      strict &&
      request.unsafeHeaderNames.includes('authorization') &&
      !grant.headers.includes('authorization')
    ) {
      return { code: 'HeaderDisallowedByPreflightResponse', hint: 'authorization' };
    }
    return null;
  }
  const refused = request.unsafeHeaderNames.filter((name) => !grant.headers.includes(name));
  if (refused.length > 0) return { code: 'HeaderDisallowedByPreflightResponse', hint: refused[0]!, refused };
  return null;
}

/**
 * The response header names (lower-case, sorted) a page can read from a CORS response: the
 * safelisted ones and those in Access-Control-Expose-Headers (`*` means all, without credentials);
 * Set-Cookie never.
 */
export function readableHeaders(response: BrowserResponse, credentialed: boolean): string[] {
  const exposed = parseList(getHeader(response.headers, 'access-control-expose-headers'), true) ?? [];
  const all = !credentialed && exposed.includes('*');
  const names = new Set<string>();
  for (const [name] of response.headers) {
    const lower = name.toLowerCase();
    if (FORBIDDEN_RESPONSE_HEADERS.has(lower)) continue;
    if (all || SAFELISTED_RESPONSE_HEADERS.has(lower) || exposed.includes(lower)) names.add(lower);
  }
  return [...names].sort();
}
