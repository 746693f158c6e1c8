// Calling a delegator, @fastify/cors's per-request options, in both of its forms: a function that
// declares `(request, callback)` settles through the callback; any other function must return a
// promise of options (@fastify/cors: handleCorsOptionsDelegator). What @fastify/cors answers 500,
// corsica answers 500; what would leave the request hanging (options returned by a function that
// declared a callback it never calls) is an error too.

import type { FastifyRequest } from 'fastify';
import { isThenable } from './settings.js';

/** The message @fastify/cors answers 500 with, kept so that clients and logs see the same. */
export const INVALID = 'Invalid CORS origin option';

export type DelegatorDone = (err: Error | null, options?: Record<string, unknown>) => void;

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(err === undefined ? INVALID : String(err));
}

function invalid(detail: string): Error {
  return Object.assign(new Error(INVALID), { cause: detail });
}

/** Calls `done` exactly once, synchronously when the delegator calls back synchronously. */
export function callDelegator(
  fn: (...args: never[]) => unknown,
  request: FastifyRequest,
  done: DelegatorDone,
): void {
  let settled = false;
  const settle = (err: unknown, options?: unknown): void => {
    if (settled) return;
    settled = true;
    if (err) done(toError(err));
    else if (options === null || typeof options !== 'object' || Array.isArray(options))
      done(
        invalid(
          `the delegator gave ${options === undefined ? 'no options' : 'options that are not an object'}`,
        ),
      );
    else done(null, options as Record<string, unknown>);
  };
  const call = fn as (
    request: FastifyRequest,
    callback?: (err: unknown, options?: unknown) => void,
  ) => unknown;
  let returned: unknown;
  try {
    returned = fn.length === 2 ? call(request, settle) : call(request);
  } catch (err) {
    settle(err ?? new Error(INVALID));
    return;
  }
  if (fn.length === 2) {
    if (settled) return;
    // Declared a callback: it settles the request. Options returned instead would never answer.
    if (isThenable(returned)) {
      returned.then(
        (value) => {
          if (value !== undefined) settle(invalid('the delegator declared a callback but returned options'));
        },
        (err: unknown) => settle(err ?? new Error(INVALID)),
      );
    } else if (returned !== undefined) {
      settle(invalid('the delegator declared a callback but returned options'));
    }
    return;
  }
  if (isThenable(returned))
    returned.then(
      (options) => settle(null, options),
      (err: unknown) => settle(err ?? new Error(INVALID)),
    );
  else settle(invalid('the delegator returned neither a promise nor called back'));
}
