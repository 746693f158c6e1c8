// @fastify/cors's options, read with @fastify/cors's meanings (node_modules/@fastify/cors/index.js):
// its defaults (methods GET,HEAD,POST, strictPreflight on), `origin: [..., '*']` meaning '*', an
// origin function called with the Fastify instance as `this`, `cacheControl` as seconds or a
// whole value; then compiled once into what the hook needs for a request. Problems are reported
// together with the CORS options' problems in one CorsConfigError, at register.

import type { FastifyInstance } from 'fastify';
import { describeValue as describe, patternStrings } from '../../policy/origin-rules.js';
import type { Policy } from '../../policy/policy.js';
import { policyForOptions } from '../../policy/policy-cache.js';
import { CorsConfigError, ProblemList } from '../../policy/problems.js';
import type { CorsOptions, CorsProblem, OriginResult } from '../../policy/types.js';
import { isFunctionOrUnset, readBoolean } from '../../policy/validate.js';
import { warnUnlessSilenced, warnWiderThanPlugin } from '../core/index.js';

/** The hooks a CORS answer can be given in: before the handler runs. */
export const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;
export type Hook = (typeof HOOKS)[number];

/** @fastify/cors's default methods: the CORS-safelisted ones (https://fetch.spec.whatwg.org/#methods). */
export const FASTIFY_DEFAULT_METHODS = 'GET,HEAD,POST';

/** Options of the plugin itself, not of a CORS answer; never handed to the policy. */
const PLUGIN_KEYS = new Set([
  'hook',
  'delegator',
  'hideOptionsRoute',
  'logLevel',
  'prefix',
  'logSerializers',
]);
/** Options that shape how a request is answered, beside the CORS options. */
const ANSWER_KEYS = new Set(['preflight', 'strictPreflight', 'cacheControl']);
/** CORS options that only report and never change an answer: allowed beside a delegator. */
const REPORTING_KEYS = new Set(['onDecision', 'debug', 'silence']);

/** What the hook needs to answer one request. */
export interface Settings {
  readonly policy: Policy;
  /** Answer preflights (@fastify/cors `preflight`, default true). */
  readonly preflight: boolean;
  /** Answer an OPTIONS request that is not a preflight with 400 (default true, as @fastify/cors). */
  readonly strictPreflight: boolean;
  /** Cache-Control on preflight answers, or null. */
  readonly cacheControl: string | null;
  /** Options chosen per request (a delegator): Vary: Origin on every answer, as @fastify/cors. */
  readonly dynamic: boolean;
  /** `origin: false`: no CORS at all, and the OPTIONS route answers 404. */
  readonly disabled: boolean;
}

type Options = Record<string, unknown>;

/** `this` for origin functions, and the bound copies, so that a function compiles to one policy. */
export class OriginBinder {
  private readonly bound = new WeakMap<object, (origin: string) => Promise<OriginResult>>();
  constructor(private readonly instance: FastifyInstance) {}

  /**
   * @fastify/cors calls `origin.call(fastify, origin, cb)` and also takes a returned promise;
   * a plain returned value (corsica's form) counts for a function that declares no callback.
   * The answer keeps @fastify/cors's meaning: `false` refuses, any other falsy answer is an error
   * (500), '*' (alone or in an array) is '*', and a string is compared whole with the origin, so
   * that a pattern string allows no more than @fastify/cors would (it sends it as the header).
   */
  bind(fn: (...args: unknown[]) => unknown): (origin: string) => Promise<OriginResult> {
    let wrapped = this.bound.get(fn);
    if (wrapped !== undefined) return wrapped;
    const instance = this.instance;
    wrapped = (origin: string) =>
      new Promise<OriginResult>((resolve, reject) => {
        let settled = false;
        const settle = (err: unknown, value?: unknown): void => {
          if (settled) return;
          settled = true;
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else if (value === false) resolve(false);
          else if (!value) reject(new Error('Invalid CORS origin option'));
          else if (value === '*' || (Array.isArray(value) && value.includes('*'))) resolve('*');
          else resolve(allowedBy(value, origin));
        };
        try {
          const returned = fn.call(instance, origin, settle);
          if (isThenable(returned)) returned.then((value) => settle(null, value), settle);
          else if (fn.length < 2 || returned !== undefined) settle(null, returned);
        } catch (err) {
          settle(err);
        }
      });
    this.bound.set(fn, wrapped);
    return wrapped;
  }
}

/** @fastify/cors's isRequestOriginAllowed: strings equal, RegExps tested, lists any of these. */
function allowedBy(rule: unknown, origin: string): boolean {
  if (Array.isArray(rule)) return rule.some((item) => allowedBy(item, origin));
  if (typeof rule === 'string') return rule === origin;
  if (rule instanceof RegExp) {
    rule.lastIndex = 0;
    return rule.test(origin);
  }
  return Boolean(rule);
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The plugin's own options, checked at register; `problems` collects what is wrong. */
export interface PluginOptions {
  readonly hook: Hook;
  readonly delegator: ((...args: never[]) => unknown) | undefined;
  readonly hideOptionsRoute: boolean;
  readonly logLevel: string | undefined;
  /** Answer settings and CORS options a delegator's options start from (with a delegator). */
  readonly defaults: Options;
}

/** Reads the options given to `register`: an object, or (the form @fastify/cors documents) a delegator. */
export function readPluginOptions(input: unknown, problems: ProblemList): PluginOptions {
  if (typeof input === 'function') {
    // `register(cors, (instance) => delegator)`: Fastify calls the outer function with the
    // instance, and the plugin gets the delegator itself (@fastify/cors: handleCorsOptionsDelegator).
    return {
      hook: 'onRequest',
      delegator: input as PluginOptions['delegator'],
      hideOptionsRoute: true,
      logLevel: undefined,
      defaults: {},
    };
  }
  const options = (input ?? {}) as Options;
  const hook = options.hook ?? 'onRequest';
  if (hook === 'preSerialization') {
    problems.error(
      'HOOK_PRE_SERIALIZATION',
      'hook',
      "hook 'preSerialization' runs only for object payloads and never for a preflight: @fastify/cors then answers every preflight 404 and text responses without CORS headers.",
      "Use hook: 'onRequest' (the default) or 'preHandler'.",
    );
  } else if (!(HOOKS as readonly unknown[]).includes(hook)) {
    problems.error(
      'HOOK_INVALID',
      'hook',
      `hook must be one of ${HOOKS.join(', ')}, not ${describe(hook)}: CORS headers must be set before the handler answers.`,
      "Use hook: 'onRequest' (the default).",
    );
  }
  const delegator = options.delegator;
  isFunctionOrUnset(
    delegator,
    'delegator',
    'Write delegator: (request, callback) => callback(null, { origin: … }), or an async (request) => options.',
    problems,
  );
  const hideOptionsRoute = readBoolean(options, 'hideOptionsRoute', true, problems);
  const logLevel = typeof options.logLevel === 'string' ? options.logLevel : undefined;
  const defaults: Options = {};
  if (typeof delegator === 'function') {
    for (const [key, value] of Object.entries(options)) {
      if (PLUGIN_KEYS.has(key)) continue;
      if (ANSWER_KEYS.has(key) || REPORTING_KEYS.has(key)) {
        defaults[key] = value;
        continue;
      }
      problems.error(
        'DELEGATOR_WITH_OPTIONS',
        key,
        `'${key}' beside a delegator has no effect: the delegator's options are the only CORS options (as in @fastify/cors).`,
        `Return ${key} from the delegator instead.`,
      );
    }
  }
  return {
    hook: hook as Hook,
    delegator: delegator as PluginOptions['delegator'],
    hideOptionsRoute,
    logLevel,
    defaults,
  };
}

/**
 * Keys given but unset, read as @fastify/cors reads them (corsica alone would take its defaults and
 * allow more): an unset `methods` or `allowedHeaders` is an empty header there, so it allows none;
 * an unset, empty or zero `origin` answers 500 there, so it is refused here.
 */
function unsetAsPlugin(cors: Options, problems: ProblemList): void {
  for (const key of ['methods', 'allowedHeaders'])
    if (key in cors && (cors[key] === undefined || cors[key] === null)) cors[key] = [];
  const origin = cors.origin;
  if (
    'origin' in cors &&
    origin !== false &&
    (origin === undefined || origin === null || origin === '' || origin === 0)
  ) {
    problems.error(
      'OPTION_UNSET',
      'origin',
      `origin is ${JSON.stringify(origin) ?? 'undefined'}: @fastify/cors answers every request 500 (Invalid CORS origin option), where corsica would use its default, '*'.`,
      "Remove origin to allow every origin ('*'), write false to turn CORS off, or give the origins.",
    );
    delete cors.origin;
  }
}

/**
 * Compiles options (the plugin's, a route's `config.cors` merged over them, or a delegator's) into
 * settings. Throws CorsConfigError listing every problem, the CORS options' ones included.
 */
export function compileSettings(
  options: Options,
  binder: OriginBinder,
  dynamic: boolean,
  problems: ProblemList = new ProblemList(),
): Settings {
  const cors: Options = { methods: FASTIFY_DEFAULT_METHODS };
  for (const [key, value] of Object.entries(options)) {
    if (!PLUGIN_KEYS.has(key) && !ANSWER_KEYS.has(key)) cors[key] = value;
  }
  unsetAsPlugin(cors, problems);
  const origin = cors.origin;
  if (Array.isArray(origin) && origin.includes('*')) cors.origin = '*';
  else if (typeof origin === 'function') cors.origin = binder.bind(origin as (...args: unknown[]) => unknown);
  const preflight = readBoolean(options, 'preflight', true, problems);
  const strictPreflight = readBoolean(options, 'strictPreflight', true, problems);
  const cacheControl = readCacheControl(options.cacheControl, problems);
  let policy: Policy | null = null;
  try {
    policy = policyForOptions(cors as CorsOptions);
  } catch (err) {
    if (!(err instanceof CorsConfigError)) throw err;
    for (const p of err.problems) problems.all.push(p);
  }
  if (problems.errors.length > 0 || policy === null) {
    throw new CorsConfigError([
      ...problems.all.filter((p) => p.severity === 'error'),
      ...problems.all.filter((p) => p.severity === 'warning'),
    ]);
  }
  if (options.strictPreflight === false && preflight) warnUnlessSilenced(policy, NOT_A_PREFLIGHT);
  warnWiderThanPlugin(
    policy,
    patternStrings(cors.origin).map((p) => `'${p}'`),
    '@fastify/cors',
    'sends it as the header value, which no browser accepts',
  );
  return {
    policy,
    preflight,
    strictPreflight,
    cacheControl,
    dynamic,
    disabled: policy.config.origin.type === 'disabled',
  };
}

/**
 * strictPreflight: false in @fastify/cors answers any OPTIONS request as a preflight; corsica keeps
 * the Fetch standard's definition (OPTIONS with Origin and Access-Control-Request-Method,
 * https://fetch.spec.whatwg.org/#http-requests) and hands the others to the routes, so it says so once.
 */
const NOT_A_PREFLIGHT: CorsProblem = {
  severity: 'warning',
  code: 'CORSICA_NOT_A_PREFLIGHT',
  path: 'strictPreflight',
  message:
    'With strictPreflight: false, an OPTIONS request without Origin and Access-Control-Request-Method is not a preflight (https://fetch.spec.whatwg.org/#http-requests): corsica passes it to your routes (404 when none answers), where @fastify/cors answered it 204 with preflight headers.',
  fix: 'Nothing to do for browsers, which send both headers on every preflight; add an OPTIONS route if other clients need an answer, and silence this code.',
};

/** A header field value (RFC 9110 §5.5): visible characters, spaces and tabs, nothing else. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** @fastify/cors: an integer is `max-age=N`, a string the whole value; corsica refuses anything else. */
function readCacheControl(value: unknown, problems: ProblemList): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return `max-age=${value}`;
  if (typeof value === 'string' && value.trim() !== '' && FIELD_VALUE.test(value)) return value.trim();
  problems.error(
    'CACHE_CONTROL_INVALID',
    'cacheControl',
    `cacheControl must be a whole number of seconds (max-age) or a Cache-Control value, not ${describe(value)}: @fastify/cors drops other values without a word.`,
    "Write cacheControl: 600, or cacheControl: 'public, max-age=600'.",
  );
  return null;
}
