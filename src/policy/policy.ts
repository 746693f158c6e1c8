// The policy: compiled once from options, then asked for a decision per request.
// Follows the CORS protocol of the Fetch standard (https://fetch.spec.whatwg.org/#http-cors-protocol), server side.

import { parseTokenList, REQUEST_LIST_LIMITS } from '../syntax/header-list.js';
import { MAX_ORIGIN_LENGTH, parseSerializedOrigin } from '../syntax/origin-syntax.js';
import { isToken } from '../syntax/tokens.js';
import { ACAH, ACAPN, AnswerBuilder, decision, type OriginAnswers } from './answers.js';
import { remember } from './bounded.js';
import { browserErrorFor, explainDecision } from './decision-report.js';
import { firstDisallowedHeader, methodAllowed } from './grants.js';
import { callOriginFunction, matcherForResult } from './origin-function.js';
import { compileOriginMatcher, type OriginMatcher } from './origin-matcher.js';
import { CorsConfigError, emitWarningOnce } from './problems.js';
import type {
  CorsOptions,
  CorsProblem,
  CorsRequest,
  Decision,
  DecisionReport,
  DenialReason,
  HeaderReader,
  OriginCallback,
  OriginFunction,
  OriginResult,
  StaticCorsOptions,
} from './types.js';
import { type ResolvedConfig, validateOptions } from './validate.js';

/**
 * A compiled configuration. `D` is what a decision is: `Decision` for options without an origin
 * function (createPolicy's type says so), else `Decision | Promise<Decision>`.
 */
export interface Policy<D extends Decision | Promise<Decision> = Decision | Promise<Decision>> {
  /** @internal The validated configuration (adapters read it; not part of the published types). */
  readonly config: ResolvedConfig;
  /** Warnings and hints found in the options (errors throw instead). */
  readonly problems: readonly CorsProblem[];
  /** True when decisions can be promises (an origin function is configured). */
  readonly async: boolean;
  /** Decides for a request described by its facts. */
  decide(request: CorsRequest): D;
  /**
   * Decides for a framework's request object without copying its headers: `header` is asked for
   * the preflight headers only when the request is a preflight. Adapters use this form.
   */
  decideFor<R>(method: string, origin: string | null | undefined, request: R, header: HeaderReader<R>): D;
}

/** Verdicts on origins beyond the configured exact ones are cached up to this many origins. */
const MAX_CACHED_ORIGINS = 1000;
/** Parsed Access-Control-Request-Headers values are cached up to this many distinct values... */
const MAX_CACHED_HEADER_LISTS = 500;
/** ...each at most this long (browsers send short lists; long ones are parsed every time). */
const MAX_CACHED_HEADER_LIST_LENGTH = 512;
/** Allowed preflight decisions kept per origin, by request headers. */
const MAX_GRANTED_PER_ORIGIN = 32;

/** An Access-Control-Request-Headers value, parsed and checked against the configuration. */
interface RequestedHeaders {
  /** Lower-case names, in the order sent. */
  readonly names: readonly string[];
  /** The first name the configuration does not allow, or null. */
  readonly disallowed: string | null;
}

const NO_HEADERS: RequestedHeaders = Object.freeze({ names: Object.freeze([]), disallowed: null });

/**
 * How an origin function is read. `corsica`: it is asked about requests with a well-formed Origin,
 * and its refusal is an answer (a preflight is ended without CORS headers). `cors`, the `cors`
 * package's meaning that corsica/node keeps: it is asked about every request (with `undefined` when
 * there is no Origin, so that its error refuses callers without one), and a refusal hands the
 * request on untouched, preflights included (cors calls `next()`), so that a later handler answers.
 */
export type OriginFunctionReading = 'corsica' | 'cors';

/** Compiles options into a policy. Throws CorsConfigError listing every problem when they can never work. */
export function createPolicy(options?: StaticCorsOptions): Policy<Decision>;
/** With an origin function, a decision may be a promise (when the function answers with one). */
export function createPolicy(options?: CorsOptions): Policy;
export function createPolicy(options?: CorsOptions): Policy {
  return compilePolicy(options, 'corsica');
}

/** createPolicy, with an adapter's reading of an origin function. */
export function compilePolicy(options: CorsOptions | undefined, reading: OriginFunctionReading): Policy {
  const { problems, config } = validateOptions(options);
  if (config === null) {
    const bySeverity = (severity: string) => problems.filter((p) => p.severity === severity);
    throw new CorsConfigError([...bySeverity('error'), ...bySeverity('warning')]);
  }
  const warn = (problem: CorsProblem): void => {
    if (config.silence !== true && !config.silence.has(problem.code)) emitWarningOnce(problem);
  };
  for (const problem of problems) if (problem.severity === 'warning') warn(problem);
  return new CompiledPolicy(config, problems, warn, reading);
}

class CompiledPolicy implements Policy {
  readonly async: boolean;
  private readonly build: AnswerBuilder;
  /** The answers to every request whatever its origin (`'*'` or CORS disabled), or null. */
  private readonly fixed: OriginAnswers | null;
  private readonly noOrigin: OriginAnswers;
  /** Configured exact origins; they are never evicted from `known`. */
  private readonly exact: readonly [string, OriginAnswers][];
  /** Answers by request origin: the exact origins plus cached verdicts on others. */
  private readonly known = new Map<string, OriginAnswers>();
  private readonly headerLists = new Map<string, RequestedHeaders | null>();
  private readonly matcher: OriginMatcher | null;
  private readonly hook: ((report: DecisionReport) => void) | null;
  /** The `cors` reading of an origin function: asked without Origin too, and its refusals hand on. */
  private readonly corsReading: boolean;

  constructor(
    readonly config: ResolvedConfig,
    readonly problems: readonly CorsProblem[],
    private readonly warn: (problem: CorsProblem) => void,
    reading: OriginFunctionReading,
  ) {
    const mode = config.origin;
    this.async = mode.type === 'function';
    this.corsReading = this.async && reading === 'cors';
    this.hook = config.onDecision;
    const build = new AnswerBuilder(config);
    this.build = build;
    this.fixed =
      mode.type === 'any'
        ? build.forOrigin('*')
        : mode.type === 'disabled'
          ? build.refusal('disabled')
          : null;
    this.noOrigin = build.refusal('no-origin');
    this.matcher = mode.type === 'rules' ? compileOriginMatcher(mode.rules) : null;
    const exact: [string, OriginAnswers][] = [];
    if (this.matcher !== null)
      for (const origin of this.matcher.exact) exact.push([origin, build.forOrigin(origin)]);
    if (config.allowNullOrigin) exact.push(['null', build.forOrigin('null')]);
    this.exact = exact;
    for (const [origin, answers] of exact) this.known.set(origin, answers);
  }

  decide(request: CorsRequest): Decision | Promise<Decision> {
    return this.decideFor(request.method, request.origin, request, readFact);
  }

  decideFor<R>(
    method: string,
    origin: string | null | undefined,
    request: R,
    header: HeaderReader<R>,
  ): Decision | Promise<Decision> {
    // The common case, kept small so that it inlines: an origin whose answers are known, no hook.
    if (this.hook === null) {
      const answers =
        this.fixed ?? (origin ? this.known.get(origin) : this.corsReading ? undefined : this.noOrigin);
      if (answers !== undefined) {
        if (method !== 'OPTIONS' || !origin) return answers.actual;
        const requestMethod = header(request, 'access-control-request-method');
        if (requestMethod === undefined || requestMethod === null) return answers.actual;
        if (answers.preflightHeaders === null) return answers.preflight;
        return this.preflight(answers, requestMethod, request, header);
      }
    }
    return this.decideInFull(method, origin, request, header);
  }

  private decideInFull<R>(
    method: string,
    origin: string | null | undefined,
    request: R,
    header: HeaderReader<R>,
  ): Decision | Promise<Decision> {
    // A CORS-preflight request is an OPTIONS request with Origin and Access-Control-Request-Method
    // (https://fetch.spec.whatwg.org/#http-requests).
    const requestMethod =
      method === 'OPTIONS' && origin ? header(request, 'access-control-request-method') : undefined;
    let answers: OriginAnswers | Promise<OriginAnswers>;
    if (this.fixed !== null) answers = this.fixed;
    else if (!origin) answers = this.corsReading ? this.askWithoutOrigin(origin, request) : this.noOrigin;
    else answers = this.known.get(origin) ?? this.lookUp(origin, request);

    if (this.async && answers instanceof Promise) {
      return answers.then((a) => this.conclude(a, requestMethod, method, origin, request, header));
    }
    return this.conclude(answers as OriginAnswers, requestMethod, method, origin, request, header);
  }

  private conclude<R>(
    answers: OriginAnswers,
    requestMethod: string | null | undefined,
    method: string,
    origin: string | null | undefined,
    request: R,
    header: HeaderReader<R>,
  ): Decision {
    const result =
      requestMethod === undefined || requestMethod === null
        ? answers.actual
        : answers.preflightHeaders === null
          ? answers.preflight
          : this.preflight(answers, requestMethod, request, header);
    if (this.hook !== null && origin) this.report(this.hook, result, method, origin, request, header);
    return result;
  }

  /** Checks the preflight's method and headers; grants the configured lists either way, so that the browser names what is missing. */
  private preflight<R>(
    answers: OriginAnswers,
    requestMethod: string,
    request: R,
    header: HeaderReader<R>,
  ): Decision {
    const config = this.config;
    const build = this.build;
    const raw = header(request, 'access-control-request-headers') || '';
    // Configured methods are tokens, so a member needs no token check.
    const listed = config.methods.members.has(requestMethod);
    const granted = listed && !config.privateNetwork ? answers.granted : null;
    if (granted !== null) {
      const known = granted.get(raw);
      if (known !== undefined) return known;
    }
    const methodOk = listed || (isToken(requestMethod) && methodAllowed(config, requestMethod));
    if (!methodOk && !isToken(requestMethod)) return build.deniedPreflight('malformed-request-method');
    const requested = raw === '' ? NO_HEADERS : this.requestedHeaders(raw);
    if (requested === null) return build.deniedPreflight('malformed-request-headers');

    const reason: DenialReason | null = !methodOk
      ? 'method-not-allowed'
      : requested.disallowed !== null
        ? 'header-not-allowed'
        : null;
    const reflect = config.allowedHeaders === null && requested.names.length > 0;
    const privateNetwork =
      config.privateNetwork && header(request, 'access-control-request-private-network') === 'true';
    let result = answers.preflight;
    if (reason !== null || reflect || privateNetwork) {
      const headers = [...answers.preflightHeaders!];
      if (reflect) headers.push(ACAH, requested.names.join(','));
      if (privateNetwork) headers.push(ACAPN, 'true');
      result = decision(
        'preflight',
        reason === null,
        reason,
        headers,
        build.varyPreflight,
        build.preflightStatus,
      );
    }
    if (listed && reason === null && !config.privateNetwork && raw.length <= MAX_CACHED_HEADER_LIST_LENGTH) {
      answers.granted ??= new Map();
      remember(answers.granted, raw, result, MAX_GRANTED_PER_ORIGIN);
    }
    return result;
  }

  /** Parses and checks an Access-Control-Request-Headers value; null when malformed. Short values are cached. */
  private requestedHeaders(raw: string): RequestedHeaders | null {
    const cacheable = raw.length <= MAX_CACHED_HEADER_LIST_LENGTH;
    if (cacheable) {
      const cached = this.headerLists.get(raw);
      if (cached !== undefined) return cached;
    }
    const parsed = parseTokenList(raw, REQUEST_LIST_LIMITS, true);
    let result: RequestedHeaders | null = null;
    if (parsed.ok) {
      const names = Object.freeze(parsed.items);
      result =
        names.length === 0
          ? NO_HEADERS
          : Object.freeze({ names, disallowed: firstDisallowedHeader(this.config, names) });
    }
    if (cacheable) remember(this.headerLists, raw, result, MAX_CACHED_HEADER_LISTS);
    return result;
  }

  /**
   * The `cors` reading: the origin function is asked about a request without Origin too, so that
   * its error reaches `next(err)`; whatever it answers, such a request gets no CORS header.
   */
  private askWithoutOrigin(origin: string | null | undefined, request: unknown): Promise<OriginAnswers> {
    const mode = this.config.origin as { readonly fn: OriginCallback | OriginFunction };
    return callOriginFunction(mode.fn, origin ?? undefined, request).then(() => this.noOrigin);
  }

  /** A refusal; under the `cors` reading a refused preflight is handed on, as cors's `next()`. */
  private refuse(reason: DenialReason): OriginAnswers {
    return this.build.refusal(reason, this.corsReading);
  }

  /** Decides for an origin not in `known` yet. Verdicts that depend only on the origin are remembered. */
  private lookUp(origin: string, request: unknown): OriginAnswers | Promise<OriginAnswers> {
    const build = this.build;
    if (origin === 'null') return this.refuse('null-origin');
    // Only a well-formed serialized origin is matched, reflected or shown to an origin function.
    if (parseSerializedOrigin(origin) === null) {
      // Values too long to be origins are not worth a cache slot.
      return origin.length > MAX_ORIGIN_LENGTH
        ? this.refuse('malformed-origin')
        : this.remember(origin, this.refuse('malformed-origin'));
    }
    const mode = this.config.origin;
    if (mode.type === 'reflect') return this.remember(origin, build.forOrigin(origin));
    // An origin function is asked every time: its answer may change.
    if (mode.type === 'function')
      return callOriginFunction(mode.fn, origin, request).then((result) => this.fromFunction(result, origin));
    return this.remember(
      origin,
      this.matcher!.matches(origin) ? build.forOrigin(origin) : build.refusal('origin-not-allowed'),
    );
  }

  private fromFunction(result: OriginResult, origin: string): OriginAnswers {
    const build = this.build;
    if (result === true) return this.allowedByFunction(origin);
    // The cors reading takes any falsy answer for a refusal ('' and 0 included), as cors does.
    if (result === false || result === null || result === undefined || (this.corsReading && !result))
      return this.refuse('origin-not-allowed');
    if (result === '*') {
      if (this.config.credentials) {
        throw new CorsConfigError([
          {
            severity: 'error',
            code: 'ORIGIN_WILDCARD_WITH_CREDENTIALS',
            path: 'origin()',
            message:
              "The origin function answered '*' but credentials is true; browsers refuse that (pitfall 7: a wildcard with credentials).",
            fix: 'Answer true to allow the requesting origin, or false to refuse it.',
            pitfall: 7,
          },
        ]);
      }
      this.anyAnswers ??= build.forOrigin('*');
      return this.anyAnswers;
    }
    return matcherForResult(result, this.config.credentials, this.warn).matches(origin)
      ? this.allowedByFunction(origin)
      : build.refusal('origin-not-allowed');
  }

  private anyAnswers: OriginAnswers | null = null;
  /** Answers for origins a function allowed, built once per origin (the function is still asked every time). */
  private readonly functionAllowed = new Map<string, OriginAnswers>();

  private allowedByFunction(origin: string): OriginAnswers {
    let answers = this.functionAllowed.get(origin);
    if (answers === undefined)
      answers = remember(this.functionAllowed, origin, this.build.forOrigin(origin), MAX_CACHED_ORIGINS);
    return answers;
  }

  /** Caches a verdict; the cache is bounded because origins are chosen by whoever sends the request. */
  private remember(origin: string, answers: OriginAnswers): OriginAnswers {
    const known = this.known;
    if (known.size >= this.exact.length + MAX_CACHED_ORIGINS) {
      known.clear();
      for (const [exactOrigin, exactAnswers] of this.exact) known.set(exactOrigin, exactAnswers);
    }
    known.set(origin, answers);
    return answers;
  }

  private report<R>(
    hook: (report: DecisionReport) => void,
    result: Decision,
    method: string,
    origin: string,
    request: R,
    header: HeaderReader<R>,
  ): void {
    const preflight = result.kind === 'preflight';
    const requestMethod = preflight ? (header(request, 'access-control-request-method') ?? null) : null;
    const requestHeaders = preflight ? (header(request, 'access-control-request-headers') ?? null) : null;
    const facts = { method, origin, requestMethod, requestHeaders };
    hook({
      ...result,
      ...facts,
      message: explainDecision(this.config, result, facts),
      browserError: browserErrorFor(result),
    });
  }
}

function readFact(request: CorsRequest, name: string): string | null | undefined {
  if (name === 'access-control-request-method') return request.requestMethod;
  if (name === 'access-control-request-headers') return request.requestHeaders;
  if (name === 'access-control-request-private-network') return request.requestPrivateNetwork;
  return undefined;
}
