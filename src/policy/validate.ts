// Validating options: every problem is collected (never just the first), each with its fix.
// Errors are configurations that can never work or that the Fetch standard forbids; warnings are
// configurations that work but open a hole; hints are harmless oddities that `corsica lint` shows.

import { isForbiddenRequestHeader, SAFELISTED_RESPONSE_HEADERS } from '../syntax/header-names.js';
import { isForbiddenMethod, normalizeMethod } from '../syntax/methods.js';
import { asciiLower, isToken } from '../syntax/tokens.js';
import { WARNING_CODES } from './codes.js';
import { describeValue, type OriginRuleSpec, parseOriginRule } from './origin-rules.js';
import { ProblemList } from './problems.js';
import type { CorsOptions, CorsProblem, DecisionReport, OriginCallback, OriginFunction } from './types.js';

export const DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

/** How the allowed origins are decided. */
export type OriginMode =
  | { readonly type: 'disabled' }
  | { readonly type: 'any' } // '*'
  | { readonly type: 'reflect' } // origin: true
  | { readonly type: 'rules'; readonly rules: readonly OriginRuleSpec[] }
  | { readonly type: 'function'; readonly fn: OriginCallback | OriginFunction };

/** A token list option after validation: its header value and its members for checks. */
export interface TokenList {
  readonly value: string;
  readonly wildcard: boolean;
  /** Members (lower-case for header names, exact for methods). */
  readonly members: ReadonlySet<string>;
}

export interface ResolvedConfig {
  readonly origin: OriginMode;
  readonly credentials: boolean;
  readonly methods: TokenList;
  /** null: reflect Access-Control-Request-Headers (the `cors` default). */
  readonly allowedHeaders: TokenList | null;
  readonly exposedHeaders: TokenList;
  readonly maxAge: string | null;
  readonly preflightContinue: boolean;
  readonly optionsSuccessStatus: number;
  readonly privateNetwork: boolean;
  readonly allowNullOrigin: boolean;
  readonly onDecision: ((report: DecisionReport) => void) | null;
  readonly silence: true | ReadonlySet<string>;
}

const KNOWN_OPTIONS = [
  'origin',
  'methods',
  'allowedHeaders',
  'headers',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'preflightContinue',
  'optionsSuccessStatus',
  'privateNetwork',
  'allowNullOrigin',
  'onDecision',
  'debug',
  'silence',
] as const;

export interface Validation {
  readonly problems: readonly CorsProblem[];
  /** Present when there is no error. */
  readonly config: ResolvedConfig | null;
}

/** Checks `options` and resolves them, listing every problem found. Never throws. */
export function validateOptions(input: unknown): Validation {
  const problems = new ProblemList();
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    problems.error(
      'OPTIONS_INVALID_TYPE',
      'options',
      `Options must be an object, not ${describeValue(input)}.`,
      'Pass an object such as { origin: "https://app.example.com" }.',
    );
    return { problems: problems.all, config: null };
  }
  const options = (input ?? {}) as CorsOptions & Record<string, unknown>;
  checkUnknownOptions(options, problems);
  const credentials = readBoolean(options, 'credentials', false, problems);
  const allowNullOrigin = readBoolean(options, 'allowNullOrigin', false, problems);
  const origin = resolveOrigin(options.origin, credentials, problems);
  if (allowNullOrigin) {
    problems.warn(
      'CORSICA_NULL_ORIGIN',
      'allowNullOrigin',
      "The 'null' origin is allowed: any site can send it from a sandboxed iframe or a data: URL.",
      'Serve the pages that need access from a real origin and allow that origin instead.',
    );
  }
  const methods = resolveMethods(options.methods, credentials, problems);
  const headersOption = options.allowedHeaders !== undefined ? 'allowedHeaders' : 'headers';
  const rawHeaders = options.allowedHeaders ?? options.headers;
  const allowedHeaders =
    rawHeaders === undefined
      ? null
      : resolveTokenList(rawHeaders, headersOption, true, credentials, problems);
  if (allowedHeaders !== null) hintAllowedHeaders(allowedHeaders, headersOption, credentials, problems);
  const exposedHeaders = resolveExposedHeaders(options.exposedHeaders, credentials, problems);
  const maxAge = resolveMaxAge(options.maxAge, problems);
  const optionsSuccessStatus = resolveStatus(options.optionsSuccessStatus, problems);
  const preflightContinue = readBoolean(options, 'preflightContinue', false, problems);
  const privateNetwork = readBoolean(options, 'privateNetwork', false, problems);
  const debug = readBoolean(options, 'debug', false, problems);
  const onDecision = resolveOnDecision(options.onDecision, debug, problems);
  const silence = resolveSilence(options.silence, problems);
  if (problems.errors.length > 0) return { problems: problems.all, config: null };
  return {
    problems: problems.all,
    config: {
      origin: origin!,
      credentials,
      methods: methods!,
      allowedHeaders,
      exposedHeaders: exposedHeaders!,
      maxAge,
      preflightContinue,
      optionsSuccessStatus,
      privateNetwork,
      allowNullOrigin,
      onDecision,
      silence,
    },
  };
}

/**
 * Options corsica does not know. A near miss of a known name (`orign`) is an error: the option meant
 * would silently take its default, and `origin`'s default, '*', lets every site read the answers.
 * Any other unknown key only warns (it may belong to code that shares the object).
 */
function checkUnknownOptions(options: Record<string, unknown>, problems: ProblemList): void {
  for (const key of Object.keys(options)) {
    if ((KNOWN_OPTIONS as readonly string[]).includes(key)) continue;
    const near = KNOWN_OPTIONS.find((known) => editDistance(known.toLowerCase(), key.toLowerCase()) <= 2);
    if (near !== undefined) {
      problems.error(
        'OPTION_MISSPELLED',
        key,
        `'${key}' is not a corsica option; it looks like '${near}' misspelt, and left as it is, ${near} takes its default instead of the value written.`,
        `Write '${near}'.`,
      );
      continue;
    }
    problems.warn(
      'CORSICA_UNKNOWN_OPTION',
      key,
      `'${key}' is not a corsica option, so it has no effect.`,
      `Remove it; the options are ${KNOWN_OPTIONS.join(', ')}.`,
    );
  }
}

/** A boolean option, or `fallback` (and an OPTION_INVALID_TYPE error) for anything else. */
export function readBoolean(
  options: Record<string, unknown>,
  key: string,
  fallback: boolean,
  problems: ProblemList,
): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  problems.error(
    'OPTION_INVALID_TYPE',
    key,
    `${key} must be true or false, not ${describeValue(value)}.`,
    `Write ${key}: ${value === 'true' || value === 1 ? 'true' : 'false'}.`,
  );
  return fallback;
}

/** An optional function option: false (and a problem naming the fix) when it is set and not a function. */
export function isFunctionOrUnset(value: unknown, key: string, fix: string, problems: ProblemList): boolean {
  if (value === undefined || typeof value === 'function') return true;
  problems.error('OPTION_INVALID_TYPE', key, `${key} must be a function, not ${describeValue(value)}.`, fix);
  return false;
}

function resolveOrigin(value: unknown, credentials: boolean, problems: ProblemList): OriginMode | null {
  if (value === undefined || value === '*') {
    if (credentials) {
      problems.error(
        'ORIGIN_WILDCARD_WITH_CREDENTIALS',
        'origin',
        value === undefined
          ? "credentials: true needs an explicit origin: the default origin '*' is refused by browsers on credentialed requests."
          : "origin '*' cannot be used with credentials: browsers refuse Access-Control-Allow-Origin: * on credentialed requests.",
        "List the origins that may send credentials, e.g. origin: ['https://app.example.com'], or drop credentials.",
      );
      return null;
    }
    problems.hint(
      'ORIGIN_ANY',
      'origin',
      'Every website may read these responses (Access-Control-Allow-Origin: *): right for a public API, wrong for one that serves your own pages only.',
      "For a private API, list its pages' origins, e.g. origin: ['https://app.example.com'].",
    );
    return { type: 'any' };
  }
  if (value === false) return { type: 'disabled' };
  if (value === true) {
    if (credentials) {
      problems.warn(
        'CORSICA_REFLECT_ANY_WITH_CREDENTIALS',
        'origin',
        "origin: true with credentials: true lets every website read your users' credentialed responses (cors GHSA-8gfh-8qhq-hv6f).",
        "List the origins you trust, e.g. origin: ['https://app.example.com'] or 'https://*.example.com'.",
      );
    }
    return { type: 'reflect' };
  }
  if (typeof value === 'function') return { type: 'function', fn: value as OriginCallback | OriginFunction };
  const list: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    problems.hint(
      'ORIGIN_EMPTY_LIST',
      'origin',
      'The list of origins is empty, so every cross-origin request is refused.',
      'Add the origins that may read responses, or use origin: false to turn CORS off.',
    );
  }
  const rules: OriginRuleSpec[] = [];
  list.forEach((rule, i) => {
    const path = Array.isArray(value) ? `origin[${i}]` : 'origin';
    const parsed = parseOriginRule(rule, path, credentials, problems);
    if (parsed !== null) rules.push(parsed);
  });
  return { type: 'rules', rules };
}

/** Splits a `cors`-style list option (a comma string or an array of strings) into trimmed items. */
function splitListOption(value: unknown, path: string, problems: ProblemList): string[] | null {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (items === null || items.some((item) => typeof item !== 'string')) {
    problems.error(
      'OPTION_INVALID_TYPE',
      path,
      `${path} must be a comma-separated string or an array of strings, not ${describeValue(value)}.`,
      `Write ${path}: ['…', '…'].`,
    );
    return null;
  }
  return (items as string[])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The code for `'*'` with credentials, by option: one literal per code, so a search finds each. */
const WILDCARD_WITH_CREDENTIALS = {
  methods: 'METHODS_WILDCARD_WITH_CREDENTIALS',
  allowedHeaders: 'ALLOWED_HEADERS_WILDCARD_WITH_CREDENTIALS',
  headers: 'ALLOWED_HEADERS_WILDCARD_WITH_CREDENTIALS',
  exposedHeaders: 'EXPOSED_HEADERS_WILDCARD_WITH_CREDENTIALS',
} as const;

function resolveTokenList(
  value: unknown,
  path: keyof typeof WILDCARD_WITH_CREDENTIALS,
  headerNames: boolean,
  credentials: boolean,
  problems: ProblemList,
): TokenList | null {
  const items = splitListOption(value, path, problems);
  if (items === null) return null;
  const members = new Set<string>();
  const written: string[] = [];
  let wildcard = false;
  for (const item of items) {
    if (!isToken(item)) {
      problems.error(
        headerNames ? 'HEADER_INVALID' : 'METHOD_INVALID',
        path,
        `'${item}' is not a valid ${headerNames ? 'header name' : 'method'} (HTTP token), so browsers fail to parse the whole list.`,
        `Remove it or correct it to a token such as '${headerNames ? 'X-Api-Key' : 'PATCH'}'.`,
      );
      continue;
    }
    const member = headerNames ? asciiLower(item) : normalizeMethod(item);
    if (item === '*') wildcard = true;
    if (members.has(member)) continue;
    members.add(member);
    written.push(headerNames ? item : member);
  }
  if (wildcard && credentials) {
    problems.error(
      WILDCARD_WITH_CREDENTIALS[path],
      path,
      `'*' in ${path} is taken literally on credentialed requests, so it allows nothing there.`,
      `List the ${headerNames ? 'header names' : 'methods'} you need, e.g. ${path}: ['${headerNames ? 'Content-Type' : 'PUT'}'].`,
    );
  }
  return { value: written.join(','), wildcard, members };
}

function resolveMethods(value: unknown, credentials: boolean, problems: ProblemList): TokenList | null {
  const list = resolveTokenList(value ?? DEFAULT_METHODS, 'methods', false, credentials, problems);
  if (list === null) return null;
  for (const method of list.members) {
    if (isForbiddenMethod(method)) {
      problems.error(
        'METHOD_FORBIDDEN',
        'methods',
        `${method} is a forbidden method: no browser lets a page send it.`,
        `Remove '${method}'.`,
      );
    } else if (method !== '*' && method !== method.toUpperCase()) {
      problems.hint(
        'METHOD_LOWER_CASE',
        'methods',
        `'${method}' matches only fetch(…, { method: '${method}' }): browsers upper-case just DELETE, GET, HEAD, OPTIONS, POST and PUT, and compare the rest byte for byte.`,
        `Write '${method.toUpperCase()}' if that is what your pages send.`,
      );
    }
  }
  return list;
}

function hintAllowedHeaders(
  list: TokenList,
  path: string,
  credentials: boolean,
  problems: ProblemList,
): void {
  for (const name of list.members) {
    if (isForbiddenRequestHeader(name)) {
      problems.hint(
        'HEADER_FORBIDDEN',
        path,
        `'${name}' is set by the browser itself; a page can never send it, so listing it does nothing.`,
        `Remove '${name}'.`,
      );
    } else if (name.startsWith('access-control-')) {
      problems.hint(
        'HEADER_RESPONSE_ONLY',
        path,
        `'${name}' is a response header; listing it lets pages send it, which only hides a client bug.`,
        `Remove '${name}' and stop sending it from the page.`,
      );
    }
  }
  // With credentials '*' is refused above: a hint to keep it would point the wrong way.
  if (list.wildcard && !credentials && !list.members.has('authorization')) {
    problems.hint(
      'HEADER_WILDCARD_AUTHORIZATION',
      path,
      "'*' does not cover Authorization in the Fetch standard (Chromium, Firefox with a deprecation warning, and WebKit still let it through; a browser that follows the standard will not).",
      `If pages send Authorization, add it: ${path}: ['*', 'Authorization'].`,
    );
  }
}

function resolveExposedHeaders(
  value: unknown,
  credentials: boolean,
  problems: ProblemList,
): TokenList | null {
  if (value === undefined) return { value: '', wildcard: false, members: new Set() };
  const list = resolveTokenList(value, 'exposedHeaders', true, credentials, problems);
  if (list === null) return null;
  for (const name of list.members) {
    if (name === 'set-cookie' || name === 'set-cookie2') {
      problems.error(
        'EXPOSED_FORBIDDEN',
        'exposedHeaders',
        `'${name}' can never be exposed: browsers hide it from every page.`,
        `Remove '${name}'; cookies reach the page through document.cookie or a response body.`,
      );
    } else if (SAFELISTED_RESPONSE_HEADERS.has(name)) {
      problems.hint(
        'EXPOSED_SAFELISTED',
        'exposedHeaders',
        `'${name}' is always readable; exposing it changes nothing.`,
        `Remove '${name}'.`,
      );
    }
  }
  return list;
}

function resolveMaxAge(value: unknown, problems: ProblemList): string | null {
  if (value === undefined) return null;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -1 || n > 86400) {
    problems.error(
      'MAX_AGE_INVALID',
      'maxAge',
      `maxAge must be a whole number of seconds from -1 to 86400, not ${describeValue(value)}.`,
      'Write maxAge: 600 (ten minutes); 0 (or -1) turns preflight caching off.',
    );
    return null;
  }
  if (n > 7200) {
    problems.hint(
      'MAX_AGE_ABOVE_CAP',
      'maxAge',
      `Chromium caps the preflight cache at 7200 seconds; ${n} only holds in Firefox (cap 86400).`,
      'Write maxAge: 7200 to say what browsers do.',
    );
  }
  // -1 is not delta-seconds: a browser that follows the standard fails to parse it and caches the
  // preflight for its default 5 s, the opposite of what -1 promises. 0 means "do not cache" everywhere.
  return String(n === -1 ? 0 : n);
}

function resolveStatus(value: unknown, problems: ProblemList): number {
  if (value === undefined) return 204;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 200 && value <= 299) return value;
  problems.error(
    'STATUS_INVALID',
    'optionsSuccessStatus',
    `optionsSuccessStatus must be an ok status (200 to 299): browsers fail every preflight answered with ${describeValue(value)}.`,
    'Write optionsSuccessStatus: 204 (or 200 for very old clients).',
  );
  return 204;
}

function resolveOnDecision(
  value: unknown,
  debug: boolean,
  problems: ProblemList,
): ((report: DecisionReport) => void) | null {
  if (
    !isFunctionOrUnset(
      value,
      'onDecision',
      'Write onDecision: (decision) => console.log(decision.message).',
      problems,
    )
  )
    return null;
  const hook = (value as ((report: DecisionReport) => void) | undefined) ?? null;
  if (!debug) return hook;
  return (report) => {
    if (!report.allowed && report.reason !== 'no-origin') console.warn(`corsica: ${report.message}`);
    hook?.(report);
  };
}

function resolveSilence(value: unknown, problems: ProblemList): true | ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (value === true) return true;
  if (Array.isArray(value) && value.every((code) => typeof code === 'string')) {
    for (const code of value) {
      if (!WARNING_CODES.has(code)) {
        problems.error(
          'SILENCE_UNKNOWN_CODE',
          'silence',
          `'${code}' is not a corsica warning code.`,
          `Use one of ${[...WARNING_CODES].join(', ')}.`,
        );
      }
    }
    return new Set(value);
  }
  problems.error(
    'OPTION_INVALID_TYPE',
    'silence',
    `silence must be true or a list of warning codes, not ${describeValue(value)}.`,
    "Write silence: ['CORSICA_NULL_ORIGIN'].",
  );
  return new Set();
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
