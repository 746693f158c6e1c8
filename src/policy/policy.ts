// The policy: compiled once from options, then asked for a decision per request.
// Follows the CORS protocol of the Fetch standard (#http-cors-protocol), server side.

import { parseTokenList, REQUEST_LIST_LIMITS } from '../spec/header-list.js';
import { parseSerializedOrigin } from '../spec/origin-syntax.js';
import { isToken } from '../spec/tokens.js';
import { ACAH, ACAPN, AnswerBuilder, decision, type OriginAnswers } from './answers.js';
import { firstDisallowedHeader, methodAllowed } from './checks.js';
import { explainDecision } from './explain.js';
import { callOriginFunction, matcherForResult } from './origin-function.js';
import { compileOriginMatcher, type OriginMatcher } from './origin-matcher.js';
import { CorsConfigError, emitWarningOnce } from './problems.js';
import type {
  CorsOptions,
  CorsProblem,
  CorsRequest,
  Decision,
  DenialReason,
  HeaderReader,
  OriginResult,
} from './types.js';
import { type ResolvedConfig, validateOptions } from './validate.js';

export interface Policy {
  /** The validated configuration. */
  readonly config: ResolvedConfig;
  /** Warnings and hints found in the options (errors throw instead). */
  readonly problems: readonly CorsProblem[];
  /** True when decisions can be promises (an origin function is configured). */
  readonly async: boolean;
  /** Decides for a request described by its facts. */
  decide(request: CorsRequest): Decision | Promise<Decision>;
  /**
   * Decides for a framework's request object without copying its headers: `header` is asked for
   * the preflight headers only when the request is a preflight. Adapters use this form.
   */
  decideFor<R>(
    method: string,
    origin: string | null | undefined,
    request: R,
    header: HeaderReader<R>,
  ): Decision | Promise<Decision>;
}

/** Allowed-origin answers beyond the configured exact origins are cached up to this many origins. */
const MAX_CACHED_ORIGINS = 1000;

/** Compiles options into a policy. Throws CorsConfigError listing every problem when they can never work. */
export function createPolicy(options?: CorsOptions): Policy {
  const { problems, config } = validateOptions(options);
  if (config === null) {
    const bySeverity = (severity: string) => problems.filter((p) => p.severity === severity);
    throw new CorsConfigError([...bySeverity('error'), ...bySeverity('warning')]);
  }
  const warn = (problem: CorsProblem): void => {
    if (config.silence !== true && !config.silence.has(problem.code)) emitWarningOnce(problem);
  };
  for (const problem of problems) if (problem.severity === 'warning') warn(problem);
  return new CompiledPolicy(config, problems, warn);
}

class CompiledPolicy implements Policy {
  readonly async: boolean;
  private readonly build: AnswerBuilder;
  private readonly any: OriginAnswers | null;
  private readonly exact = new Map<string, OriginAnswers>();
  private readonly cache = new Map<string, OriginAnswers>();
  private readonly matcher: OriginMatcher | null;

  constructor(
    readonly config: ResolvedConfig,
    readonly problems: readonly CorsProblem[],
    private readonly warn: (problem: CorsProblem) => void,
  ) {
    const mode = config.origin;
    this.async = mode.type === 'function';
    this.build = new AnswerBuilder(config);
    this.any = mode.type === 'any' ? this.build.forOrigin('*') : null;
    this.matcher = mode.type === 'rules' ? compileOriginMatcher(mode.rules) : null;
    if (this.matcher !== null)
      for (const origin of this.matcher.exact) this.exact.set(origin, this.build.forOrigin(origin));
    if (config.allowNullOrigin) this.exact.set('null', this.build.forOrigin('null'));
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
    // A CORS-preflight request is an OPTIONS request with Origin and Access-Control-Request-Method (Fetch #http-requests).
    const requestMethod =
      method === 'OPTIONS' && origin ? header(request, 'access-control-request-method') : undefined;
    const preflight = requestMethod !== undefined && requestMethod !== null;
    const kind = preflight ? 'preflight' : 'actual';
    const type = this.config.origin.type;
    if (type === 'disabled')
      return this.finish(this.build.deniedDecision(kind, 'disabled'), method, origin, request, header);

    let answers: OriginAnswers | DenialReason | Promise<OriginAnswers | DenialReason>;
    if (this.any !== null) answers = this.any;
    else if (!origin) answers = 'no-origin';
    else answers = this.exact.get(origin) ?? this.lookUp(origin);

    if (answers instanceof Promise) {
      return answers.then((a) => this.conclude(a, preflight, requestMethod, method, origin, request, header));
    }
    return this.conclude(answers, preflight, requestMethod, method, origin, request, header);
  }

  private conclude<R>(
    answers: OriginAnswers | DenialReason,
    preflight: boolean,
    requestMethod: string | null | undefined,
    method: string,
    origin: string | null | undefined,
    request: R,
    header: HeaderReader<R>,
  ): Decision {
    let result: Decision;
    if (typeof answers === 'string')
      result = this.build.deniedDecision(preflight ? 'preflight' : 'actual', answers);
    else if (!preflight) result = answers.actual;
    else result = this.preflight(answers, requestMethod!, request, header);
    return this.finish(result, method, origin, request, header);
  }

  /** Checks the preflight's method and headers; grants the configured lists either way, so that the browser names what is missing. */
  private preflight<R>(
    answers: OriginAnswers,
    requestMethod: string,
    request: R,
    header: HeaderReader<R>,
  ): Decision {
    const build = this.build;
    if (!isToken(requestMethod)) return build.deniedDecision('preflight', 'malformed-request-method');
    const rawHeaders = header(request, 'access-control-request-headers');
    const parsed = rawHeaders ? parseTokenList(rawHeaders, REQUEST_LIST_LIMITS, true) : null;
    if (parsed !== null && !parsed.ok) return build.deniedDecision('preflight', 'malformed-request-headers');
    const names = parsed === null ? [] : parsed.items;

    let reason: DenialReason | null = null;
    if (!methodAllowed(this.config, requestMethod)) reason = 'method-not-allowed';
    else if (firstDisallowedHeader(this.config, names) !== null) reason = 'header-not-allowed';

    const reflect = this.config.allowedHeaders === null && names.length > 0;
    const privateNetwork =
      this.config.privateNetwork && header(request, 'access-control-request-private-network') === 'true';
    if (reason === null && !reflect && !privateNetwork) return answers.preflight;
    const headers = [...answers.preflightHeaders];
    if (reflect) headers.push(ACAH, names.join(','));
    if (privateNetwork) headers.push(ACAPN, 'true');
    return decision(
      'preflight',
      reason === null,
      reason,
      headers,
      build.varyPreflight,
      build.preflightStatus,
    );
  }

  private lookUp(origin: string): OriginAnswers | DenialReason | Promise<OriginAnswers | DenialReason> {
    const mode = this.config.origin;
    // An origin function is asked every time (its answer may change); other modes decide once per origin.
    if (mode.type !== 'function') {
      const cached = this.cache.get(origin);
      if (cached !== undefined) return cached;
    }
    if (origin === 'null') return 'null-origin';
    // Only a well-formed serialized origin is matched, reflected or shown to an origin function.
    if (parseSerializedOrigin(origin) === null) return 'malformed-origin';
    if (mode.type === 'reflect') return this.remember(origin);
    if (mode.type === 'function')
      return callOriginFunction(mode.fn, origin).then((result) => this.fromFunction(result, origin));
    return this.matcher!.matches(origin) ? this.remember(origin) : 'origin-not-allowed';
  }

  private fromFunction(result: OriginResult, origin: string): OriginAnswers | DenialReason {
    if (result === true) return this.remember(origin);
    if (result === false || result === null || result === undefined) return 'origin-not-allowed';
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
      return this.anyAnswers();
    }
    return matcherForResult(result, this.config.credentials, this.warn).matches(origin)
      ? this.remember(origin)
      : 'origin-not-allowed';
  }

  private anyAnswersCache: OriginAnswers | null = null;
  private anyAnswers(): OriginAnswers {
    this.anyAnswersCache ??= this.build.forOrigin('*');
    return this.anyAnswersCache;
  }

  /** Answers for an allowed origin, kept in a bounded cache: origins are chosen by whoever sends the request. */
  private remember(origin: string): OriginAnswers {
    let answers = this.cache.get(origin);
    if (answers === undefined) {
      if (this.cache.size >= MAX_CACHED_ORIGINS) this.cache.clear();
      answers = this.build.forOrigin(origin);
      this.cache.set(origin, answers);
    }
    return answers;
  }

  private finish<R>(
    result: Decision,
    method: string,
    origin: string | null | undefined,
    request: R,
    header: HeaderReader<R>,
  ): Decision {
    const hook = this.config.onDecision;
    if (hook !== null && origin) {
      const requestMethod =
        result.kind === 'preflight' ? (header(request, 'access-control-request-method') ?? null) : null;
      const requestHeaders =
        result.kind === 'preflight' ? (header(request, 'access-control-request-headers') ?? null) : null;
      const facts = { method, origin, requestMethod, requestHeaders };
      hook({ ...result, ...facts, message: explainDecision(this.config, result, facts) });
    }
    return result;
  }
}

function readFact(request: CorsRequest, name: string): string | null | undefined {
  if (name === 'access-control-request-method') return request.requestMethod;
  if (name === 'access-control-request-headers') return request.requestHeaders;
  if (name === 'access-control-request-private-network') return request.requestPrivateNetwork;
  return undefined;
}
