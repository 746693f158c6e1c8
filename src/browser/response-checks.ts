// What the browser checks on the answers: the CORS check (Fetch #cors-check), the preflight's
// checks (#cors-preflight-fetch), and which response headers a page may read (#cors-filtered
// response). Orders and diagnostics follow Chromium (cors.cc CheckAccess, preflight_controller.cc,
// preflight_result.cc).

import { type ListLimits, parseTokenList } from '../spec/header-list.js';
import { FORBIDDEN_RESPONSE_HEADERS, SAFELISTED_RESPONSE_HEADERS } from '../spec/header-names.js';
import { isSafelistedMethod } from '../spec/methods.js';
import type { Classification } from './classify.js';
import type { CorsFailureCore } from './codes.js';
import { getHeader, type HeaderPairs } from './headers.js';

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

/**
 * The CORS check: null when `response` grants `origin` (the request's serialized origin, `null`
 * when tainted) access, with credentials when `credentialed`.
 */
export function corsCheck(
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
  if (allowOrigin !== origin) {
    if (/[ ,]/.test(allowOrigin)) return { code: 'MultipleAllowOriginValues', hint: allowOrigin };
    if (allowOrigin === 'null' || isUrl(allowOrigin))
      return { code: 'AllowOriginMismatch', hint: allowOrigin };
    return { code: 'InvalidAllowOriginValue', hint: allowOrigin };
  }
  if (credentialed) {
    const allowCredentials = getHeader(response.headers, 'access-control-allow-credentials');
    if (allowCredentials !== 'true') return { code: 'InvalidAllowCredentials', hint: allowCredentials ?? '' };
  }
  return null;
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

/** Seconds a preflight answer may be cached by the given browser. */
export function parseMaxAge(value: string | null, browser: 'chromium' | 'firefox' = 'chromium'): number {
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

/** Checks the answer to a preflight; on success, what it grants. */
export function checkPreflight(
  request: Classification,
  response: BrowserResponse,
  originSent: string,
):
  | { readonly ok: true; readonly grant: PreflightGrant }
  | { readonly ok: false; readonly failure: CorsFailureCore } {
  const access = corsCheck(response, originSent, request.credentialed);
  if (access !== null) {
    return {
      ok: false,
      failure: { code: `Preflight${access.code}` as CorsFailureCore['code'], hint: access.hint },
    };
  }
  if (response.status < 200 || response.status > 299) {
    return { ok: false, failure: { code: 'PreflightInvalidStatus', hint: '' } };
  }
  const methods = parseList(getHeader(response.headers, 'access-control-allow-methods'), false);
  if (methods === null)
    return { ok: false, failure: { code: 'InvalidAllowMethodsPreflightResponse', hint: '' } };
  const headers = parseList(getHeader(response.headers, 'access-control-allow-headers'), true);
  if (headers === null)
    return { ok: false, failure: { code: 'InvalidAllowHeadersPreflightResponse', hint: '' } };
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
