// corsica/node: middleware for node:http, Connect and Express 4/5, with the signature of `cors`,
// so that `require('cors')` can be swapped for `require('corsica/node')`.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { patternStrings } from '../../policy/origin-rules.js';
import { compilePolicy, type Policy } from '../../policy/policy.js';
import { policyForOptions } from '../../policy/policy-cache.js';
import type { CorsOptions, Decision } from '../../policy/types.js';
import { nodeHeader, refuseUnset, warnWiderThanPlugin, writeCors } from '../core/index.js';

/** Called with an error to hand it to the framework's error handling, or with nothing to go on. */
export type NextFunction = (err?: unknown) => void;

/**
 * What the middleware reads from a request. node:http's, Connect's and Express's requests all have
 * it; name yours as the type argument (`cors<express.Request>(...)`), as with `@types/cors`.
 */
export interface NodeRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
}

/** `(req, res, next)`: sets the CORS headers, ends preflights, and hands everything else to `next`. */
export type CorsMiddleware<T extends NodeRequest = IncomingMessage> = (
  req: T,
  res: ServerResponse,
  next?: NextFunction,
) => void;

/** `cors`'s per-request form: `cors((req, callback) => callback(null, options))`. */
export type OptionsDelegate<T extends NodeRequest = IncomingMessage> = (
  req: T,
  callback: (err: Error | null | undefined, options?: CorsOptions) => void,
) => void;

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions, Decision, DecisionReport } from '../../policy/types.js';

const readHeader = nodeHeader;
const setHeader = (res: ServerResponse, name: string, value: string) => void res.setHeader(name, value);
const currentVary = (res: ServerResponse) => res.getHeader('Vary');

/** Writes a decision to the response, then ends the preflight or calls `next`. */
function applyDecision(d: Decision, res: ServerResponse, next: NextFunction | undefined): void {
  writeCors(res, setHeader, currentVary, d.headers, d.vary);
  if (d.status !== 0) {
    res.statusCode = d.status;
    // Safari waits for a body on a 204 without Content-Length.
    res.setHeader('Content-Length', '0');
    res.end();
  } else if (next !== undefined) {
    next();
  }
}

function fail(err: unknown, res: ServerResponse, next: NextFunction | undefined): void {
  if (next !== undefined) {
    next(err);
    return;
  }
  // Plain node:http without a next: answer the error ourselves rather than leave the request hanging.
  if (!res.headersSent) res.statusCode = 500;
  res.end();
}

function run(policy: Policy, req: NodeRequest, res: ServerResponse, next: NextFunction | undefined): void {
  let d: Decision | Promise<Decision>;
  try {
    d = policy.decideFor(req.method ?? 'GET', req.headers.origin, req, readHeader);
  } catch (err) {
    fail(err, res, next);
    return;
  }
  if (policy.async && d instanceof Promise) {
    d.then(
      (decided) => applyDecision(decided, res, next),
      (err: unknown) => fail(err, res, next),
    );
  } else {
    applyDecision(d as Decision, res, next);
  }
}

/**
 * `cors`'s meanings for what corsica reads differently: a falsy `origin` given as a key turns CORS
 * off (cors calls `next()` and sends nothing; corsica alone would use its default, `'*'`), `methods`
 * given as undefined or null crashes cors on every preflight (refused here), and a pattern string
 * is a literal to cors (which never matches it) but a pattern to corsica (warned).
 */
function fromCorsOptions(options: CorsOptions | null | undefined): CorsOptions | null | undefined {
  if (options === null || typeof options !== 'object') return options;
  refuseUnset(options as Record<string, unknown>, ['methods'], 'cors', 'crashes on every preflight');
  if ('origin' in options && !options.origin && options.origin !== false)
    return { ...options, origin: false };
  return options;
}

/** Options returned by a delegate: a plain object, not whatever a callback-style call happens to return. */
const isPlainObject = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

function warnPatterns(policy: Policy, options: CorsOptions | null | undefined): void {
  if (options === null || typeof options !== 'object') return;
  const patterns = patternStrings(options.origin).map((p) => `'${p}'`);
  if (patterns.length > 0)
    warnWiderThanPlugin(policy, patterns, 'cors', 'compares origins as plain strings and never matches it');
}

/**
 * Creates the middleware. Static options are validated here and throw CorsConfigError at once;
 * options from a delegate are compiled once per distinct value and their errors go to `next(err)`.
 * An origin function is read as `cors` reads it: asked about every request (`undefined` without
 * Origin), and a refusal hands the request on to `next()`, preflights included.
 */
export function cors<T extends NodeRequest = IncomingMessage>(
  options?: CorsOptions | OptionsDelegate<T>,
): CorsMiddleware<T> {
  if (typeof options === 'function') return delegatedMiddleware(options);
  const policy = compilePolicy(fromCorsOptions(options) ?? undefined, 'cors');
  warnPatterns(policy, options);
  return policy.async ? asyncMiddleware(policy) : staticMiddleware(policy);
}

// The middlewares below are function declarations, not function expressions: the build compacts
// the code (tsup.config.ts), which drops the name of a function expression, and the name is what
// Express lists in its router stack.

function staticMiddleware<T extends NodeRequest>(policy: Policy): CorsMiddleware<T> {
  function corsica(req: T, res: ServerResponse, next?: NextFunction): void {
    let d: Decision;
    try {
      d = policy.decideFor(req.method ?? 'GET', req.headers.origin, req, readHeader) as Decision;
    } catch (err) {
      fail(err, res, next);
      return;
    }
    applyDecision(d, res, next);
  }
  return corsica;
}

function asyncMiddleware<T extends NodeRequest>(policy: Policy): CorsMiddleware<T> {
  function corsicaAsync(req: T, res: ServerResponse, next?: NextFunction): void {
    run(policy, req, res, next);
  }
  return corsicaAsync;
}

function delegatedMiddleware<T extends NodeRequest>(delegate: OptionsDelegate<T>): CorsMiddleware<T> {
  function corsicaDelegated(req: T, res: ServerResponse, next?: NextFunction): void {
    let called = false;
    const settle = (err: unknown, delegated?: CorsOptions): void => {
      if (called) return;
      called = true;
      if (err) {
        fail(err, res, next);
        return;
      }
      let policy: Policy;
      try {
        policy = policyForOptions(fromCorsOptions(delegated), 'cors');
        warnPatterns(policy, delegated);
      } catch (configError) {
        fail(configError, res, next);
        return;
      }
      run(policy, req, res, next);
    };
    try {
      const returned = (delegate as (req: T, cb: typeof settle) => unknown)(req, settle);
      // cors waits for the callback alone; a delegate that returns its options (or a promise of
      // them, or rejects) would leave the request hanging, or the process with an unhandled rejection.
      if (returned instanceof Promise)
        returned.then(
          (value: unknown) => {
            if (value !== undefined) settle(null, value as CorsOptions);
          },
          (err: unknown) => settle(err ?? new Error('the options delegate rejected')),
        );
      else if (isPlainObject(returned)) settle(null, returned as CorsOptions);
    } catch (err) {
      // Thrown after the callback ran: it came from `next()` (the application), not the delegate,
      // and must reach the caller as it would without CORS; swallowing it left the request hanging.
      if (called) throw err;
      settle(err ?? new Error('the options delegate threw'));
    }
  }
  return corsicaDelegated;
}

export default cors;
