// Every problem code corsica reports about a configuration, in one closed table: its severity, the
// seed article's pitfall it guards (if any), and what it means. The types, the set of warning codes
// and docs/problem-codes.md all come from here (a test holds the doc and the README to it), so
// `corsica lint --json` consumers get a documented, closed set.

import type { Severity } from './types.js';

interface CodeInfo {
  readonly severity: Severity;
  /** The seed article's pitfall (1 to 7) the problem is an instance of. */
  readonly pitfall?: number;
  /** When the code is reported, in one sentence. */
  readonly when: string;
}

export const PROBLEM_CODES = {
  // Errors: configurations that can never work, or that the standard forbids.
  OPTIONS_INVALID_TYPE: { severity: 'error', when: 'the options are not an object' },
  OPTION_INVALID_TYPE: { severity: 'error', when: 'an option has the wrong type' },
  ORIGIN_INVALID_TYPE: { severity: 'error', when: 'an origin is neither a string nor a RegExp' },
  ORIGIN_INVALID: { severity: 'error', when: 'an origin string is not a valid origin' },
  ORIGIN_MISSING_SCHEME: {
    severity: 'error',
    pitfall: 4,
    when: 'an origin without its scheme (`example.com`, `localhost:3000`)',
  },
  ORIGIN_HAS_PATH: { severity: 'error', when: 'an origin with a path (`https://a.com/app`)' },
  ORIGIN_TRAILING_SLASH: { severity: 'error', when: 'an origin with a trailing slash (`https://a.com/`)' },
  ORIGIN_WHITESPACE: { severity: 'error', when: 'an origin with white space in it' },
  ORIGIN_NOT_CANONICAL: {
    severity: 'error',
    when: 'an origin not written as browsers send it (upper case, a non-canonical IP, Unicode, a trailing dot)',
  },
  ORIGIN_DEFAULT_PORT: {
    severity: 'error',
    pitfall: 4,
    when: 'an origin with its default port written out (`https://a.com:443`), which browsers never send',
  },
  ORIGIN_SEVERAL_IN_ONE: { severity: 'error', pitfall: 2, when: 'several origins in one string' },
  ORIGIN_BAD_WILDCARD: {
    severity: 'error',
    pitfall: 3,
    when: 'a wildcard anywhere but `*.` at the start of the host or `:*` as the port',
  },
  ORIGIN_WILDCARD_WITHOUT_SCHEME: {
    severity: 'error',
    pitfall: 3,
    when: 'a pattern without its scheme (`*.example.com`)',
  },
  ORIGIN_WILDCARD_IN_LIST: { severity: 'error', pitfall: 1, when: "`'*'` inside a list of origins" },
  ORIGIN_WILDCARD_WITH_CREDENTIALS: { severity: 'error', pitfall: 7, when: "`origin: '*'` with credentials" },
  ORIGIN_PUBLIC_SUFFIX: {
    severity: 'error',
    pitfall: 1,
    when: 'a subdomain pattern on a public suffix (`https://*.github.io`), or on a base with one under it (`https://*.amazonaws.com`, which covers `s3.amazonaws.com`), with credentials',
  },
  ORIGIN_NULL: { severity: 'error', when: "`'null'` written as an origin (use allowNullOrigin)" },
  ORIGIN_FILE: { severity: 'error', when: 'a `file:` origin, which browsers send as `null`' },
  METHODS_WILDCARD_WITH_CREDENTIALS: {
    severity: 'error',
    pitfall: 7,
    when: "`'*'` in methods with credentials",
  },
  ALLOWED_HEADERS_WILDCARD_WITH_CREDENTIALS: {
    severity: 'error',
    pitfall: 7,
    when: "`'*'` in allowedHeaders with credentials",
  },
  EXPOSED_HEADERS_WILDCARD_WITH_CREDENTIALS: {
    severity: 'error',
    pitfall: 7,
    when: "`'*'` in exposedHeaders with credentials",
  },
  METHOD_INVALID: { severity: 'error', when: 'a method that is not an HTTP token' },
  METHOD_FORBIDDEN: { severity: 'error', when: 'CONNECT, TRACE or TRACK' },
  HEADER_INVALID: { severity: 'error', when: 'a header name that is not an HTTP token' },
  EXPOSED_FORBIDDEN: { severity: 'error', pitfall: 6, when: 'exposing `Set-Cookie` or `Set-Cookie2`' },
  MAX_AGE_INVALID: { severity: 'error', when: 'a maxAge that is not a whole number from -1 to 86400' },
  STATUS_INVALID: { severity: 'error', when: 'an optionsSuccessStatus that is not 2xx' },
  OPTION_UNSET: {
    severity: 'error',
    when: 'an adapter option given as `undefined` or `null` where the plugin it replaces does not fall back to its default (`methods` in cors, `origin` in @fastify/cors and hono/cors)',
  },
  OPTION_MISSPELLED: {
    severity: 'error',
    when: 'an option name that is a near miss of a known one (`orign`, `Origin`, `allowHeaders`): left as written, the option meant would take its default, often wider',
  },
  SILENCE_UNKNOWN_CODE: { severity: 'error', when: '`silence` names a code that is not a warning' },
  // Errors of one adapter's own options (corsica/fastify).
  CACHE_CONTROL_INVALID: {
    severity: 'error',
    when: 'Fastify: a cacheControl that is not seconds or a header value',
  },
  DELEGATOR_WITH_OPTIONS: { severity: 'error', when: 'Fastify: CORS options given beside a delegator' },
  HOOK_INVALID: { severity: 'error', when: 'Fastify: a hook that is not a request hook' },
  HOOK_PRE_SERIALIZATION: {
    severity: 'error',
    when: "Fastify: hook 'preSerialization', which never runs for preflights",
  },
  // Warnings: configurations that work but are dangerous; once per process, silenced by code.
  CORSICA_REFLECT_ANY_WITH_CREDENTIALS: {
    severity: 'warning',
    pitfall: 1,
    when: "`origin: true` with `credentials: true`: every site can read your users' data (cors GHSA-8gfh-8qhq-hv6f)",
  },
  CORSICA_NULL_ORIGIN: { severity: 'warning', when: '`allowNullOrigin: true`' },
  CORSICA_REGEXP_UNANCHORED: {
    severity: 'warning',
    when: 'a RegExp without `^` and `$`: `/example\\.com$/` matches `https://evil-example.com` (cors#408)',
  },
  CORSICA_REGEXP_UNESCAPED_DOT: {
    severity: 'warning',
    when: 'a RegExp with `example.com` where `example\\.com` was meant',
  },
  CORSICA_PATTERN_TOO_BROAD: {
    severity: 'warning',
    pitfall: 1,
    when: 'a subdomain pattern on a public suffix, or on a base with one under it, without credentials: `https://*.com`, `https://*.co.uk`, `https://*.github.io`, `https://*.vercel.app`, `https://*.amazonaws.com` (it covers `s3.amazonaws.com`) (the Public Suffix List, private section included, through `tldts`: anyone can publish a site there)',
  },
  CORSICA_INSECURE_ORIGIN_WITH_CREDENTIALS: {
    severity: 'warning',
    when: 'a plain-http, non-local origin allowed with credentials',
  },
  CORSICA_UNKNOWN_OPTION: {
    severity: 'warning',
    when: 'an option corsica does not know and that is no near miss of one it knows (`whitelist`); a near miss is the error `OPTION_MISSPELLED`',
  },
  CORSICA_WIDER_THAN_PLUGIN: {
    severity: 'warning',
    when: "an adapter's option that corsica reads more widely than the framework's own CORS plugin did (a pattern string such as `https://*.example.com`, a RegExp or Koa's `origin: true`, which the plugin compared literally): a migrated configuration would otherwise start allowing origins it refused before",
  },
  CORSICA_NOT_A_PREFLIGHT: {
    severity: 'warning',
    when: "Fastify's `strictPreflight: false`: @fastify/cors then answers every OPTIONS as a preflight; corsica passes an OPTIONS without `Origin` and `Access-Control-Request-Method` to your routes (https://fetch.spec.whatwg.org/#http-requests)",
  },
  // Hints: settings that change nothing, or not what was meant.
  ORIGIN_ANY: { severity: 'hint', pitfall: 1, when: "`origin: '*'`: every site can read the responses" },
  ORIGIN_EMPTY_LIST: { severity: 'hint', when: 'an empty list of origins: CORS allows no origin' },
  METHOD_LOWER_CASE: {
    severity: 'hint',
    when: 'a lower-case method other than the six the standard normalizes',
  },
  HEADER_FORBIDDEN: { severity: 'hint', when: 'a request header scripts cannot set (`Cookie`, `Host`...)' },
  HEADER_RESPONSE_ONLY: { severity: 'hint', when: 'a response header listed in allowedHeaders' },
  HEADER_WILDCARD_AUTHORIZATION: {
    severity: 'hint',
    when: "`'*'` in allowedHeaders without `Authorization`, which the standard does not cover by `*`",
  },
  EXPOSED_SAFELISTED: { severity: 'hint', pitfall: 6, when: 'exposing a header that is always readable' },
  MAX_AGE_ABOVE_CAP: { severity: 'hint', when: 'a maxAge above Chromium’s cap of 7200 seconds' },
} as const satisfies Record<string, CodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
type CodesOf<S extends Severity> = {
  [C in ProblemCode]: (typeof PROBLEM_CODES)[C]['severity'] extends S ? C : never;
}[ProblemCode];
export type ErrorCode = CodesOf<'error'>;
export type WarningCode = CodesOf<'warning'>;
export type HintCode = CodesOf<'hint'>;

/** The codes `silence` may name. */
export const WARNING_CODES: ReadonlySet<string> = new Set(
  (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter((code) => PROBLEM_CODES[code].severity === 'warning'),
);

/** The pitfall a code guards, if any. */
export function pitfallOf(code: ProblemCode): number | undefined {
  return (PROBLEM_CODES[code] as CodeInfo).pitfall;
}
