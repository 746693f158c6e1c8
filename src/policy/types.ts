// Public types of the policy engine: the options (the `cors` package's names, plus corsica's own)
// and the decision a policy takes for one request.

/** A static origin rule: an exact origin, a pattern (`https://*.example.com`, `http://localhost:*`), or a RegExp. */
export type OriginRule = string | RegExp;

/** What an origin function may answer: allow (`true`), refuse (`false`), or a static origin option to apply. */
export type OriginResult = boolean | '*' | OriginRule | readonly OriginRule[] | null | undefined;

/** `cors`'s callback form: `(origin, callback) => callback(null, true)`. */
export type OriginCallback = (
  origin: string | undefined,
  callback: (err: Error | null, allow?: OriginResult) => void,
) => void;

/** The promise form: `async (origin) => boolean | string`. */
export type OriginFunction = (origin: string | undefined) => OriginResult | Promise<OriginResult>;

/**
 * An origin function in either form, as one signature so that TypeScript types `origin` from the
 * context in both (`async (origin) => ...` and `(origin, callback) => ...`): a union of the two
 * forms leaves a one-parameter arrow untyped under `strict`. It answers through the callback, or
 * returns an OriginResult or a promise of one; what a callback-style function returns (as
 * `setImmediate`'s handle) is ignored, so the return type is `unknown`, as `cors`'s is `void`.
 */
export type OriginDecider = (
  origin: string | undefined,
  callback: (err: Error | null, allow?: OriginResult) => void,
) => unknown;

/** The `origin` option without a function: a configuration whose decisions are always synchronous. */
export type StaticOriginOption = boolean | '*' | OriginRule | readonly OriginRule[];

export type OriginOption = StaticOriginOption | OriginDecider;

export type { ErrorCode, HintCode, ProblemCode, WarningCode } from './codes.js';

import type { ProblemCode, WarningCode } from './codes.js';

export interface CorsOptions {
  /** Which origins may read responses. Default `'*'`. */
  origin?: OriginOption;
  /** Methods answered in Access-Control-Allow-Methods. Default `GET,HEAD,PUT,PATCH,POST,DELETE`. */
  methods?: string | readonly string[];
  /** Request headers allowed in preflights. Default: reflect what the preflight asks for. */
  allowedHeaders?: string | readonly string[];
  /** `cors`'s older name for `allowedHeaders`. */
  headers?: string | readonly string[];
  /** Response headers the page may read, beyond the safelisted ones. */
  exposedHeaders?: string | readonly string[];
  /** Send `Access-Control-Allow-Credentials: true`. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight (Access-Control-Max-Age), -1 to 86400. */
  maxAge?: number | string;
  /** Pass preflights to the next handler instead of ending them. */
  preflightContinue?: boolean;
  /** Status of an ended preflight, 200 to 299. Default 204. */
  optionsSuccessStatus?: number;
  /** Answer legacy Private Network Access preflights with Access-Control-Allow-Private-Network. */
  privateNetwork?: boolean;
  /** Allow the opaque `null` origin (sandboxed iframes, `file:` and `data:` pages). Warns. */
  allowNullOrigin?: boolean;
  /** Called with every decision about a cross-origin request, allowed or refused. */
  onDecision?: (report: DecisionReport) => void;
  /** Log every refused cross-origin request with its reason (console.warn). */
  debug?: boolean;
  /** Silence warnings: `true` for all of them, or a list of codes. */
  silence?: true | readonly WarningCode[];
}

/** Options without an origin function: every decision they give is synchronous (`createPolicy` says so in its type). */
export type StaticCorsOptions = Omit<CorsOptions, 'origin'> & { origin?: StaticOriginOption };

/** Why a request got no (or only partial) permission. */
export type DenialReason =
  | 'disabled'
  | 'no-origin'
  | 'malformed-origin'
  | 'null-origin'
  | 'origin-not-allowed'
  | 'malformed-request-method'
  | 'method-not-allowed'
  | 'malformed-request-headers'
  | 'header-not-allowed';

/**
 * What the policy answers to one request. Decisions are frozen and may be shared between requests:
 * never mutate one (rs/cors#198 and jub0bs/cors#14 were races on shared header slices).
 */
export interface Decision {
  /** A preflight is an OPTIONS request with `Origin` and `Access-Control-Request-Method` (https://fetch.spec.whatwg.org/#http-requests). */
  readonly kind: 'preflight' | 'actual';
  /** True when the response grants what the request needs. */
  readonly allowed: boolean;
  /** Why not, when `allowed` is false. */
  readonly reason: DenialReason | null;
  /** CORS response headers to set, as a flat list: name, value, name, value... */
  readonly headers: readonly string[];
  /** Field names to merge into `Vary` (comma-separated), or null. Independent of the outcome. */
  readonly vary: string | null;
  /** For a preflight the middleware ends: its status. 0 means: hand the request on. */
  readonly status: number;
}

/** A decision with the request it answered and a sentence saying why; given to `onDecision`. */
export interface DecisionReport extends Decision {
  readonly origin: string | null;
  readonly method: string;
  readonly requestMethod: string | null;
  readonly requestHeaders: string | null;
  /** One sentence for the server owner: what was decided and, when refused, what to change. */
  readonly message: string;
  /**
   * For a refusal a browser reports: the error its console shows, by Chromium's name for it
   * (`MethodDisallowedByPreflightResponse`...), the name `corsica check`, `explain` and the
   * browser model give the same failure; null when allowed or when no browser sends such a request.
   * A credentialed request to a policy without `credentials` fails earlier, on the credentials.
   */
  readonly browserError: BrowserError | null;
}

/** Chromium's names for the refusals a corsica policy makes (a subset of the browser model's codes). */
export type BrowserError =
  | 'MissingAllowOriginHeader'
  | 'PreflightMissingAllowOriginHeader'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse';

/** The request facts a decision needs, for callers that have them at hand. */
export interface CorsRequest {
  readonly method: string;
  readonly origin?: string | null;
  readonly requestMethod?: string | null;
  readonly requestHeaders?: string | null;
  readonly requestPrivateNetwork?: string | null;
}

/** Reads one request header (lower-case name) from a framework's request object. */
export type HeaderReader<R> = (request: R, lowerCaseName: string) => string | null | undefined;

export type Severity = 'error' | 'warning' | 'hint';

/** One problem found in a configuration. */
export interface CorsProblem {
  readonly severity: Severity;
  /** Stable identifier from a closed set (docs/problem-codes.md), e.g. `ORIGIN_WILDCARD_WITH_CREDENTIALS`. */
  readonly code: ProblemCode;
  /** Where: `origin`, `origin[2]`, `allowedHeaders[0]`... */
  readonly path: string;
  /** What is wrong, naming the pitfall. */
  readonly message: string;
  /** What to write instead. */
  readonly fix: string;
  /** The seed article's pitfall this is (1–7), when it is one. */
  readonly pitfall?: number;
}
