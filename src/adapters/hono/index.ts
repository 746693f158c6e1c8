// corsica/hono: `app.use('*', cors(options))`. Takes corsica's option names and hono/cors's, with
// hono/cors's meanings (its defaults, `origin(origin, c)` answering the Access-Control-Allow-Origin
// value, `allowMethods(origin, c)`, `allowHeaders: []` reflecting), so that a hono/cors config moves
// over unchanged; corsica's own rules apply on top, at start-up or with a coded warning.

import type { Context, MiddlewareHandler, Next } from 'hono';
import { remember } from '../../policy/bounded.js';
import { withRequest } from '../../policy/origin-function.js';
import { describeValue, multiOriginRules } from '../../policy/origin-rules.js';
import { createPolicy, type Policy } from '../../policy/policy.js';
import { CorsConfigError } from '../../policy/problems.js';
import type { CorsOptions, Decision, OriginFunction, OriginRule } from '../../policy/types.js';
import { refuseUnset, warnWiderThanPlugin, writeCors } from '../core/index.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions };

/** hono/cors's default `allowMethods` (QUERY since hono 4.13, honojs/hono#5115), in its order. */
export const HONO_DEFAULT_METHODS: readonly string[] = Object.freeze([
  'GET',
  'HEAD',
  'PUT',
  'POST',
  'DELETE',
  'PATCH',
  'QUERY',
]);

/**
 * hono/cors's origin function: answers the Access-Control-Allow-Origin value (the origin it got, or
 * `'*'`), or null, undefined or '' to refuse. Any function given to corsica/hono is taken in this form.
 */
export type HonoOriginFunction = (
  origin: string,
  c: Context,
) => string | null | undefined | Promise<string | null | undefined>;

/** hono/cors's methods function: the methods to allow for this request. */
export type HonoMethodsFunction = (origin: string, c: Context) => string[] | Promise<string[]>;

/** corsica's options, plus hono/cors's names for the same things. */
export interface HonoCorsOptions extends Omit<CorsOptions, 'origin'> {
  /** hono/cors: a string, a list, or `(origin, c) => allowed origin | null`. corsica adds patterns and RegExps. */
  origin?: boolean | '*' | OriginRule | readonly OriginRule[] | HonoOriginFunction;
  /** Default: hono/cors's `GET,HEAD,PUT,POST,DELETE,PATCH,QUERY`. */
  allowMethods?: readonly string[] | HonoMethodsFunction;
  /** Empty (hono/cors's default): reflect the preflight's requested headers. */
  allowHeaders?: readonly string[];
  exposeHeaders?: readonly string[];
}

function invalid(path: string, message: string, fix: string): CorsConfigError {
  return new CorsConfigError([{ severity: 'error', code: 'OPTION_INVALID_TYPE', path, message, fix }]);
}

/** hono/cors's origin function as a corsica origin function: same arguments, same outcome. */
function fromHonoOrigin(fn: HonoOriginFunction): OriginFunction {
  return withRequest<Context>(async (origin, c) => {
    const answer: unknown = await fn(origin, c);
    if (answer === null || answer === undefined || answer === '') return false;
    if (typeof answer !== 'string') {
      throw new TypeError(
        `corsica/hono: the origin function answered ${describeValue(answer)}. As in hono/cors, it answers the origin to allow (or '*'), or null to refuse.`,
      );
    }
    // hono/cors sends any other string as the header value, which browsers refuse unless it is the
    // request's origin (https://fetch.spec.whatwg.org/#cors-check, step 4): corsica sends no header for it.
    return answer === '*' ? '*' : answer === origin;
  });
}

/** hono/cors's names mapped to corsica's; corsica's win when both are given. */
function fromHonoOptions(options: HonoCorsOptions): CorsOptions {
  const { allowMethods, allowHeaders, exposeHeaders, origin, ...rest } = options;
  const mapped: CorsOptions = { ...rest };
  // Keys given but unset, as hono/cors reads them: an unset origin answers 500 there (refused
  // here); an unset allowMethods sends no Access-Control-Allow-Methods there (none allowed here).
  refuseUnset(options as Record<string, unknown>, ['origin'], 'hono/cors', 'answers every request 500');
  if (mapped.methods === undefined && 'allowMethods' in options && (allowMethods ?? null) === null)
    mapped.methods = [];
  else if (mapped.methods === undefined) {
    if (allowMethods === undefined || typeof allowMethods === 'function')
      mapped.methods = HONO_DEFAULT_METHODS;
    else if (Array.isArray(allowMethods)) mapped.methods = allowMethods;
    // hono/cors sends no Access-Control-Allow-Methods for a string: corsica will not read it as a list.
    else
      throw invalid(
        'allowMethods',
        `allowMethods must be an array of methods or a function, not ${describeValue(allowMethods)} (hono/cors ignores it).`,
        "Write allowMethods: ['GET', 'POST'].",
      );
  }
  // hono/cors reflects the requested headers when allowHeaders is empty, its default.
  if (allowHeaders !== undefined && allowHeaders.length > 0 && mapped.allowedHeaders === undefined)
    mapped.allowedHeaders = allowHeaders;
  if (exposeHeaders !== undefined && exposeHeaders.length > 0 && mapped.exposedHeaders === undefined)
    mapped.exposedHeaders = exposeHeaders;
  if (typeof origin === 'function') mapped.origin = fromHonoOrigin(origin as HonoOriginFunction);
  else if (origin !== undefined) mapped.origin = origin;
  return mapped;
}

/** hono/cors compares origin strings whole: a pattern or RegExp it never matched allows more here. */
const setHeader = (c: Context, name: string, value: string) => c.header(name, value);
const currentVary = (c: Context) => c.res.headers.get('vary');

const readHeader = (c: Context, name: string) => c.req.header(name);
const setOn = (headers: Headers, name: string, value: string) => headers.set(name, value);
const varyOn = (headers: Headers) => headers.get('vary');

/**
 * A preflight's answer: its headers written on the response earlier middleware made (their Vary
 * merged, as on actual responses), answered as it is. Written with c.header() and sent with
 * c.body(), every header was copied three times over (the lazy c.res, c.body's new Headers, a new
 * Response), and Hono's preflight ran at 0.89x hono/cors.
 */
function preflightAnswer(c: Context, d: Decision): Response {
  const headers = c.res.headers;
  writeCors(headers, setOn, varyOn, d.headers, d.vary);
  headers.set('Content-Length', '0');
  return new Response(null, { status: d.status, headers });
}

/**
 * After the handler, whose response is final: Hono's c.header() copies that response before each
 * write (it may be immutable, as fetch() answers are, or shared), so only the first header goes
 * through it, and the rest onto the context's own copy.
 */
function writeAfterHandler(c: Context, d: Decision): void {
  if (d.headers.length === 0) writeCors(c, setHeader, currentVary, d.headers, d.vary);
  else {
    c.header(d.headers[0]!, d.headers[1]!);
    writeCors(c.res.headers, setOn, varyOn, d.headers, d.vary, 2);
  }
}

/** Policies by the methods an `allowMethods` function answered, compiled once per distinct list. */
const MAX_METHOD_POLICIES = 64;

/**
 * Hono middleware with hono/cors's option names and meanings (`origin(origin, c)`, `allowMethods`
 * as a list or `(origin, c) => methods`, `allowHeaders: []` reflecting). Invalid options throw
 * CorsConfigError.
 */
export function cors(options: HonoCorsOptions = {}): MiddlewareHandler {
  const mapped = fromHonoOptions(options);
  const policy = createPolicy(mapped);
  warnWiderThanPlugin(
    policy,
    options.origin === true ? ['origin: true'] : multiOriginRules(options.origin),
    'hono/cors',
    'compares origins as plain strings and never matches it',
  );
  const methodsFn =
    typeof options.allowMethods === 'function' && options.methods === undefined ? options.allowMethods : null;
  const byMethods = new Map<string, Policy>();
  const policyForMethods = (methods: unknown): Policy => {
    if (!Array.isArray(methods)) {
      throw new TypeError(
        `corsica/hono: allowMethods(origin, c) answered ${describeValue(methods)}; it must answer an array of methods, as in hono/cors.`,
      );
    }
    const key = methods.join(',');
    let found = byMethods.get(key);
    if (found === undefined)
      found = remember(
        byMethods,
        key,
        createPolicy({ ...mapped, methods: methods as string[] }),
        MAX_METHOD_POLICIES,
      );
    return found;
  };

  // A declaration, not a function expression: the build drops an expression's name, and Hono's
  // route listing (inspectRoutes) shows this one.
  async function corsica(c: Context, next: Next): Promise<Response | undefined> {
    const method = c.req.method;
    const origin = c.req.header('origin');
    let chosen = policy;
    // The methods function matters on preflights only: OPTIONS with Origin and
    // Access-Control-Request-Method (https://fetch.spec.whatwg.org/#http-requests).
    if (
      methodsFn !== null &&
      method === 'OPTIONS' &&
      origin &&
      c.req.header('access-control-request-method') !== undefined
    ) {
      chosen = policyForMethods(await methodsFn(origin, c));
    }
    const decided = chosen.decideFor(method, origin, c, readHeader);
    const d = decided instanceof Promise ? await decided : decided;
    if (d.kind === 'preflight' && d.status !== 0) return preflightAnswer(c, d);
    await next();
    // After the handler (or Hono's error handler) made the response: a 500 stays readable too.
    writeAfterHandler(c, d);
    return undefined;
  }
  return corsica;
}

export default cors;
