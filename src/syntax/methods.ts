// Methods (https://fetch.spec.whatwg.org/#methods).

/** CORS-safelisted methods: a preflight never needs them listed in Access-Control-Allow-Methods. */
export const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/** Forbidden methods (byte-case-insensitive): no browser script can send them. */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The six methods that `fetch()` upper-cases; every other method is sent exactly as written. */
const NORMALIZED_METHODS: ReadonlySet<string> = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** "Normalize a method": upper-case it when it is one of the six, otherwise leave it byte for byte. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.has(method);
}
