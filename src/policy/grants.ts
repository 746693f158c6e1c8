// The server-side twins of the browser's preflight checks (https://fetch.spec.whatwg.org/#cors-preflight-fetch, step 7),
// shared by the decision and by its explanation.

import { NON_WILDCARD_REQUEST_HEADER } from '../syntax/header-names.js';
import { isSafelistedMethod } from '../syntax/methods.js';
import type { ResolvedConfig } from './validate.js';

/** Safelisted methods always pass; `*` covers every method only without credentials. */
export function methodAllowed(config: ResolvedConfig, requestMethod: string): boolean {
  const methods = config.methods;
  return (
    methods.members.has(requestMethod) ||
    isSafelistedMethod(requestMethod) ||
    (methods.wildcard && !config.credentials)
  );
}

/** The first requested header name (lower-case) the configuration does not allow, or null. `*` never covers Authorization. */
export function firstDisallowedHeader(config: ResolvedConfig, names: readonly string[]): string | null {
  const allowed = config.allowedHeaders;
  if (allowed === null) return null;
  const wildcard = allowed.wildcard && !config.credentials;
  for (const name of names) {
    if (allowed.members.has(name)) continue;
    if (wildcard && name !== NON_WILDCARD_REQUEST_HEADER) continue;
    return name;
  }
  return null;
}
