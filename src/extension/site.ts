// The sites the extension may watch: loopback hosts from the start (local development, where most
// CORS errors are met), any other site only once the user allows it.

import { getDomain } from 'tldts';

/** What the manifest grants at install: every port of the loopback names, http and https. */
export const LOOPBACK_HOSTS = ['*://localhost/*', '*://127.0.0.1/*', '*://[::1]/*'];

/** The patterns for a page's site: its registrable domain and every subdomain (APIs usually live beside the page). */
export function sitePatterns(url: string): string[] | null {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    host = u.hostname;
  } catch {
    return null;
  }
  // The private section counts: on user.github.io the site is user.github.io, never all of github.io.
  const domain = getDomain(host, { allowPrivateDomains: true }) ?? host;
  return [`*://${domain}/*`, `*://*.${domain}/*`];
}
