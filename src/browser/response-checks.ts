// What the browser checks on the answers: the CORS check (https://fetch.spec.whatwg.org/#cors-check),
// the preflight's checks (https://fetch.spec.whatwg.org/#cors-preflight-fetch), and which response
// headers a page may read (https://fetch.spec.whatwg.org/#concept-filtered-response-cors). Where
// the engines differ (the order of the checks, how a failure is named, the max-age), this file
// reads their facts from engines.ts.

import { type ListLimits, parseTokenList } from '../syntax/header-list.js';
import { FORBIDDEN_RESPONSE_HEADERS, SAFELISTED_RESPONSE_HEADERS } from '../syntax/header-names.js';
import { isSafelistedMethod } from '../syntax/methods.js';
import { isToken } from '../syntax/tokens.js';
import { splitCommaList } from '../syntax/whitespace.js';
import type { Classification } from './classify.js';
import type { CorsErrorCode, CorsFailureCore } from './codes.js';
import { type Engine, type EngineFacts, factsOf, type PreflightCheckStep } from './engines.js';
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
 * How an allow-origin value that is not the origin is named: Chromium's diagnosis, which the other
 * engines share in kind, with what marks "several origins" in the engine.
 */
function mismatch(allowOrigin: string, several: EngineFacts['severalOriginsMarkedBy']): CorsFailureCore {
  const comma = allowOrigin.includes(',');
  const space = allowOrigin.includes(' ');
  if (comma || (space && several === 'comma-or-space'))
    return { code: 'MultipleAllowOriginValues', hint: allowOrigin };
  if (!space && (allowOrigin === 'null' || isUrl(allowOrigin)))
    return { code: 'AllowOriginMismatch', hint: allowOrigin };
  return { code: 'InvalidAllowOriginValue', hint: allowOrigin };
}

function credentialsCheck(response: BrowserResponse, credentialed: boolean): CorsFailureCore | null {
  if (!credentialed) return null;
  const allowCredentials = getHeader(response.headers, 'access-control-allow-credentials');
  return allowCredentials === 'true'
    ? null
    : { code: 'InvalidAllowCredentials', hint: allowCredentials ?? '' };
}

/**
 * The CORS check: null when `response` grants `origin` (the request's serialized origin, `null`
 * when tainted) access, with credentials when `credentialed`; otherwise the failure, named as
 * `engine` names it. `*` first, then presence, then the value, then credentials: the engines'
 * own orders (cors.cc CheckAccess, nsCORSListenerProxy.cpp CheckRequestApproved,
 * CrossOriginAccessControl.cpp passesAccessControlCheck) all come to this.
 */
export function corsCheck(
  response: BrowserResponse,
  origin: string,
  credentialed: boolean,
  engine: Engine = 'chromium',
): CorsFailureCore | null {
  const facts = factsOf(engine);
  if (facts.severalAllowOriginLines !== null) {
    const lines = response.headers.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin');
    if (lines.length > 1) {
      const hint = getHeader(response.headers, 'access-control-allow-origin') ?? '';
      return { code: 'MultipleAllowOriginValues', hint, engineKey: facts.severalAllowOriginLines };
    }
  }
  const allowOrigin = getHeader(response.headers, 'access-control-allow-origin');
  if (allowOrigin === '*') return credentialed ? { code: 'WildcardOriginNotAllowed', hint: '' } : null;
  if (allowOrigin === null) return { code: 'MissingAllowOriginHeader', hint: '' };
  if (allowOrigin !== origin) return mismatch(allowOrigin, facts.severalOriginsMarkedBy);
  return credentialsCheck(response, credentialed);
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

/** Seconds a preflight answer may be cached by the given browser (its rule is in engines.ts). */
export function parseMaxAge(value: string | null, browser: Engine = 'chromium'): number {
  const rule = factsOf(browser).maxAge;
  // An empty value is no value, in every engine as in the standard: the default.
  if (value === null || value.trim() === '') return rule.default;
  if (!rule.syntax.test(value)) return rule.malformed === 'default' ? rule.default : 0;
  return Math.max(0, Math.min(Number(value), rule.cap));
}

function parseList(value: string | null, lowerCase: boolean): string[] | null {
  if (value === null) return [];
  const parsed = parseTokenList(value, BROWSER_LIST_LIMITS, lowerCase);
  return parsed.ok ? parsed.items : null;
}

type PreflightCheck =
  | { readonly ok: true; readonly grant: PreflightGrant }
  | { readonly ok: false; readonly failure: CorsFailureCore };

const isOk = (status: number) => status >= 200 && status <= 299;

/**
 * The `tokens` list syntax (Firefox's nsCORSPreflightListener, WebKit's
 * parseAccessControlAllowList): split on commas, trim, skip empty items, and name the first item
 * that is not a token.
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

/** An allow list of a preflight answer read with the engine's syntax: its items, or what a refusal quotes. */
function allowList(
  value: string | null,
  facts: EngineFacts,
  lowerCase: boolean,
): { readonly items: string[] } | { readonly invalid: string } {
  const lists = facts.allowLists;
  if (lists.syntax === 'fetch-list') {
    const items = parseList(value, lowerCase);
    return items === null ? { invalid: '' } : { items };
  }
  const parsed = tokenItems(value);
  if (parsed.invalid !== null) return { invalid: lists.quote === 'item' ? parsed.invalid : (value ?? '') };
  return { items: lowerCase ? parsed.items.map((h) => h.toLowerCase()) : parsed.items };
}

/** The method check: methods compared byte for byte; `*` covers any method only without credentials. */
function methodRefused(methods: readonly string[], request: Classification): CorsFailureCore | null {
  const method = request.method;
  if (
    !methods.includes(method) &&
    !isSafelistedMethod(method) &&
    !(!request.credentialed && methods.includes('*'))
  )
    return { code: 'MethodDisallowedByPreflightResponse', hint: method };
  return null;
}

/**
 * The header check of `names` against the allowed (lower-case) names: `*` covers any header only
 * without credentials, and Authorization only where the engine lets it.
 */
function headersRefused(
  allowed: readonly string[],
  names: readonly string[],
  request: Classification,
  facts: EngineFacts,
): CorsFailureCore | null {
  if (!request.credentialed && allowed.includes('*')) {
    if (
      !facts.wildcardCoversAuthorization &&
      names.includes('authorization') &&
      !allowed.includes('authorization')
    )
      return { code: 'HeaderDisallowedByPreflightResponse', hint: 'authorization' };
    return null;
  }
  const refused = names.filter((name) => !allowed.includes(name));
  if (refused.length === 0) return null;
  const inRequest =
    facts.refusedHeaderNamed === 'first-in-request'
      ? request.headers.map(([n]) => n).find((n) => refused.includes(n))
      : undefined;
  return { code: 'HeaderDisallowedByPreflightResponse', hint: inRequest ?? refused[0]!, refused };
}

/** One check of a preflight answer: the failure, or null to go on. `read` keeps the parsed lists. */
function preflightStep(
  step: PreflightCheckStep,
  request: Classification,
  response: BrowserResponse,
  origin: string,
  asked: readonly string[],
  read: { methods: string[]; headers: string[] },
): CorsFailureCore | null {
  const facts = factsOf(request.engine);
  switch (step) {
    case 'cors-check': {
      const access = corsCheck(response, origin, request.credentialed, request.engine);
      return access === null ? null : { ...access, code: `Preflight${access.code}` as CorsErrorCode };
    }
    case 'status':
      return isOk(response.status) ? null : { code: 'PreflightInvalidStatus', hint: '' };
    case 'allow-methods':
    case 'allow-headers': {
      const methods = step === 'allow-methods';
      const name = methods ? 'access-control-allow-methods' : 'access-control-allow-headers';
      const list = allowList(getHeader(response.headers, name), facts, !methods);
      if ('invalid' in list) {
        const code = methods
          ? 'InvalidAllowMethodsPreflightResponse'
          : 'InvalidAllowHeadersPreflightResponse';
        return { code, hint: list.invalid };
      }
      read[methods ? 'methods' : 'headers'] = list.items;
      return null;
    }
    case 'method':
      return methodRefused(read.methods, request);
    default: {
      const names = facts.headersChecked === 'asked' ? asked : request.unsafeHeaderNames;
      return headersRefused(read.headers, names, request, facts);
    }
  }
}

/**
 * Checks the answer to a preflight sent with `originSent`, in the order the request's engine
 * checks (engines.ts, `preflightChecks`); on success, what it grants. `asked` is what
 * Access-Control-Request-Headers listed (Firefox compares the answer with that list; the others
 * with the request's headers).
 */
export function checkPreflight(
  request: Classification,
  response: BrowserResponse,
  originSent: string,
  asked: readonly string[] = request.unsafeHeaderNames,
): PreflightCheck {
  const read = { methods: [] as string[], headers: [] as string[] };
  for (const step of factsOf(request.engine).preflightChecks) {
    const failure = preflightStep(step, request, response, originSent, asked, read);
    if (failure !== null) return { ok: false, failure };
  }
  const grant: PreflightGrant = {
    methods: read.methods,
    headers: read.headers,
    maxAge: parseMaxAge(getHeader(response.headers, 'access-control-max-age'), request.engine),
    credentialed: request.credentialed,
  };
  return { ok: true, grant };
}

/**
 * Whether a cached grant covers the request's method and headers: null when it does. Methods are
 * compared byte for byte; `*` covers any method and any header only without credentials, and
 * Authorization only where the request's engine lets it (engines.ts).
 */
export function refusedBy(grant: PreflightGrant, request: Classification): CorsFailureCore | null {
  return (
    methodRefused(grant.methods, request) ??
    headersRefused(grant.headers, request.unsafeHeaderNames, request, factsOf(request.engine))
  );
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
