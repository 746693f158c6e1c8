// Calling a user's origin function, in either of its forms, and turning its answer into a matcher.

import { remember } from './bounded.js';
import { compileOriginMatcher, type OriginMatcher } from './origin-matcher.js';
import { type OriginRuleSpec, parseOriginRule } from './origin-rules.js';
import { CorsConfigError, ProblemList } from './problems.js';
import type { CorsProblem, OriginCallback, OriginFunction, OriginResult } from './types.js';

/** Functions an adapter marked with `withRequest`. */
const requestForm = new WeakSet<object>();

/**
 * Marks an origin function to be called as `fn(origin, request)`, `request` being the object the
 * adapter passed to `decideFor` (Hono's `c`, Koa's `ctx`), and to settle with its return value,
 * whatever its arity: the form a framework's own CORS plugin uses, which arity cannot tell from
 * `cors`'s `(origin, callback)`.
 */
export function withRequest<R>(
  fn: (origin: string, request: R) => OriginResult | Promise<OriginResult>,
): OriginFunction {
  requestForm.add(fn);
  return fn as unknown as OriginFunction;
}

/**
 * What a user's function threw or rejected with, as an Error (Koa ignores a thrown `null`, and the
 * request hangs). `what` names the function in the message.
 */
export function asError(thrown: unknown, what = 'the origin function'): Error {
  return thrown instanceof Error ? thrown : new Error(`${what} failed with ${String(thrown)}`);
}

/** A value a callback-style function returned that is an answer, not an incidental result (a timer, a request). */
function isAnswer(value: unknown): value is OriginResult {
  return (
    typeof value === 'boolean' || typeof value === 'string' || value instanceof RegExp || Array.isArray(value)
  );
}

/**
 * A function marked `withRequest` gets the request and settles with its return value. Otherwise a
 * function that declares a second parameter is `cors`'s callback form and settles through the
 * callback, or through what it returns when that is an answer (`(origin, cb) => allowed.has(origin)`
 * and `async (origin, cb) => true` would otherwise leave the request waiting forever); any other
 * function settles with its return value (a value or a promise). Whatever it throws is an Error.
 */
export function callOriginFunction(
  fn: OriginCallback | OriginFunction,
  origin: string | undefined,
  request?: unknown,
): Promise<OriginResult> {
  const marked = requestForm.has(fn);
  if (marked || fn.length < 2) {
    try {
      const result = marked
        ? (fn as (o: string | undefined, r: unknown) => OriginResult | Promise<OriginResult>)(origin, request)
        : (fn as OriginFunction)(origin);
      return result instanceof Promise
        ? result.catch((err: unknown) => Promise.reject(asError(err)))
        : Promise.resolve(result);
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err: unknown, result?: OriginResult): void => {
      if (settled) return;
      settled = true;
      // `cors` reads any falsy first argument as no error.
      if (err) reject(asError(err));
      else resolve(result);
    };
    try {
      const returned = (fn as OriginCallback)(origin, callback) as unknown;
      if (returned instanceof Promise)
        returned.then(
          (value: unknown) => {
            if (isAnswer(value)) callback(null, value);
          },
          (err: unknown) => callback(asError(err)),
        );
      else if (isAnswer(returned)) callback(null, returned);
    } catch (err) {
      callback(asError(err));
    }
  });
}

const stringMatchers = new Map<string, OriginMatcher>();
const objectMatchers = new WeakMap<object, OriginMatcher>();
const MAX_CACHED_STRINGS = 256;

/**
 * The matcher for a static origin value returned by an origin function (a string, RegExp or list),
 * validated like configured origins and cached, since functions tend to return the same values.
 * Throws CorsConfigError when the value can never work.
 */
export function matcherForResult(
  result: string | RegExp | readonly (string | RegExp)[],
  credentials: boolean,
  warn: (problem: CorsProblem) => void,
): OriginMatcher {
  const cached = typeof result === 'string' ? stringMatchers.get(result) : objectMatchers.get(result);
  if (cached !== undefined) return cached;
  const problems = new ProblemList();
  const list = Array.isArray(result) ? result : [result];
  const rules: OriginRuleSpec[] = [];
  list.forEach((rule, i) => {
    const parsed = parseOriginRule(
      rule,
      Array.isArray(result) ? `origin()[${i}]` : 'origin()',
      credentials,
      problems,
    );
    if (parsed !== null) rules.push(parsed);
  });
  const errors = problems.errors;
  if (errors.length > 0) throw new CorsConfigError(errors);
  for (const problem of problems.all) if (problem.severity === 'warning') warn(problem);
  const matcher = compileOriginMatcher(rules);
  if (typeof result === 'string') {
    remember(stringMatchers, result, matcher, MAX_CACHED_STRINGS);
  } else {
    objectMatchers.set(result, matcher);
  }
  return matcher;
}
