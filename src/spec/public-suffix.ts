// The Public Suffix List (ICANN and private sections), through tldts: hosts under which anyone can
// register a domain (`com`, `co.uk`) or publish a site (`github.io`, `vercel.app`, `pages.dev`).
// A subdomain pattern on such a base trusts strangers; jub0bs/cors refuses these the same way. So
// does one on a base with such hosts under it: `*.amazonaws.com` covers `s3.amazonaws.com`, where
// anyone's bucket is a site (`attacker.s3.amazonaws.com`).

import { getPublicSuffix } from 'tldts';
import { SUFFIX_PARENTS } from './public-suffix-parents.js';

/** True when `host` is itself a public suffix, private section included. */
export function isPublicSuffix(host: string): boolean {
  // `localhost` has no registrable names under it: `*.localhost` is the developer's own machine.
  if (host === 'localhost') return false;
  return getPublicSuffix(host, { allowPrivateDomains: true }) === host;
}

/** Name → the shortest public suffix under it (relative), read from SUFFIX_PARENTS when first asked. */
let parents: Map<string, string> | null = null;

function suffixParents(): Map<string, string> {
  if (parents === null) {
    parents = new Map();
    for (const line of SUFFIX_PARENTS.split('\n')) {
      const space = line.indexOf(' ');
      parents.set(line.slice(0, space), line.slice(space + 1));
    }
  }
  return parents;
}

/**
 * A public suffix at or below `host`: `host` itself when it is one, else the shortest one under it
 * (`amazonaws.com` → `s3.amazonaws.com`, a wildcard rule as `*.compute.example`), else null.
 */
export function publicSuffixAtOrBelow(host: string): string | null {
  if (isPublicSuffix(host)) return host;
  const below = suffixParents().get(host);
  return below === undefined ? null : `${below}.${host}`;
}
