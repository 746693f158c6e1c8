// The Public Suffix List (ICANN and private sections), through tldts: hosts under which anyone can
// register a domain (`com`, `co.uk`) or publish a site (`github.io`, `vercel.app`, `pages.dev`).
// A subdomain pattern on such a base trusts strangers; jub0bs/cors refuses these the same way.

import { getPublicSuffix } from 'tldts';

/** True when `host` is itself a public suffix, private section included. */
export function isPublicSuffix(host: string): boolean {
  // `localhost` has no registrable names under it: `*.localhost` is the developer's own machine.
  if (host === 'localhost') return false;
  return getPublicSuffix(host, { allowPrivateDomains: true }) === host;
}
