// Policies for options chosen per request (cors's delegate form). The usual delegate builds a new
// options object on every request, e.g. `callback(null, { origin: allowlist.includes(origin) })`, so
// identity alone would compile a policy per request; equal options share one policy instead.

import { remember } from './bounded.js';
import { compilePolicy, createPolicy, type OriginFunctionReading, type Policy } from './policy.js';
import type { CorsOptions } from './types.js';

/** Distinct option sets kept; a delegate with more variety than this recompiles now and then. */
const MAX_POLICIES = 100;
/** Options nest two levels at most (an array of origins); deeper values are not fingerprinted. */
const MAX_DEPTH = 4;

const byIdentity: Record<OriginFunctionReading, WeakMap<object, Policy>> = {
  corsica: new WeakMap(),
  cors: new WeakMap(),
};
const byValue = new Map<string, Policy>();
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;
let defaultPolicy: Policy | undefined;

function functionId(fn: object): number {
  let id = functionIds.get(fn);
  if (id === undefined) {
    id = ++nextFunctionId;
    functionIds.set(fn, id);
  }
  return id;
}

/**
 * A string equal for options that compile to the same policy, or null when a value is not one
 * options are made of. Functions are compared by identity, RegExps by source and flags.
 */
function fingerprint(value: unknown, depth: number): string | null {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'function':
      return `f${functionId(value)}`;
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) return null;
      if (value instanceof RegExp) return `/${JSON.stringify(value.source)}/${value.flags}`;
      const parts: string[] = [];
      if (Array.isArray(value)) {
        for (const item of value) {
          const part = fingerprint(item, depth + 1);
          if (part === null) return null;
          parts.push(part);
        }
        return `[${parts.join(',')}]`;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
        return null;
      for (const key of Object.keys(value).sort()) {
        const part = fingerprint((value as Record<string, unknown>)[key], depth + 1);
        if (part === null) return null;
        parts.push(`${JSON.stringify(key)}:${part}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return null;
  }
}

/**
 * The policy for options given per request; throws CorsConfigError as createPolicy does. `reading`
 * is the adapter's reading of an origin function (policies of different readings are never shared).
 */
export function policyForOptions(
  options: CorsOptions | null | undefined,
  reading: OriginFunctionReading = 'corsica',
): Policy {
  if (options === undefined || options === null) {
    // No origin function: the reading changes nothing.
    defaultPolicy ??= createPolicy();
    return defaultPolicy;
  }
  const known = byIdentity[reading].get(options);
  if (known !== undefined) return known;
  const print = fingerprint(options, 0);
  const key = print === null ? null : `${reading}:${print}`;
  let policy = key === null ? undefined : byValue.get(key);
  if (policy === undefined) {
    policy = compilePolicy(options, reading);
    if (key !== null) remember(byValue, key, policy, MAX_POLICIES);
  }
  byIdentity[reading].set(options, policy);
  return policy;
}
