// Which headers cross the proxy. Hop-by-hop headers stop here both ways, and so does every header
// that a `Connection` header names (RFC 9110 §7.6.1): `Connection: keep-alive, x-secret` makes
// X-Secret a hop-by-hop header, for this connection only.

import type { IncomingMessage } from 'node:http';

/** Request headers never forwarded: hop-by-hop, the client's identity, and what a browser adds itself. */
const DROPPED_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'cookie2',
  'origin',
  'referer',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-forwarded-prefix',
  'x-original-url',
  'x-original-forwarded-for',
  'x-rewrite-url',
  'x-client-ip',
  'x-cluster-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'via',
  'expect',
  'dnt',
]);

/**
 * Headers that describe a request body (Fetch's request-body-header names, plus the framing ones):
 * dropped with the body when a redirect turns a request into a GET (https://fetch.spec.whatwg.org/#http-redirect-fetch, step 12).
 */
const BODY_HEADERS = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
  'transfer-encoding',
]);

/**
 * Response headers never passed back: hop-by-hop, cookies, headers that set browser state for the
 * proxy's whole origin (every target shares it: one target could clear another's site data, pin
 * HSTS, or collect reports of every later request through NEL), and the ones the proxy writes
 * itself (an upstream must not add to `x-final-url` or weaken `nosniff`).
 */
const DROPPED_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'set-cookie2',
  'clear-site-data',
  'strict-transport-security',
  'alt-svc',
  'nel',
  'report-to',
  'reporting-endpoints',
  'accept-ch',
  'critical-ch',
  'origin-agent-cluster',
  'service-worker-allowed',
  'x-content-type-options',
  'x-request-url',
  'x-final-url',
]);

/** The header names a `Connection` value lists (lower case), or null when it lists none of note. */
export function connectionNamed(value: string | string[] | undefined): Set<string> | null {
  // The values nearly every request and answer carry: nothing to split.
  if (value === undefined || value === 'keep-alive' || value === 'close' || value === 'Keep-Alive')
    return null;
  let named: Set<string> | null = null;
  for (const item of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const name = item.trim().toLowerCase();
    if (name === '' || name === 'close' || name === 'keep-alive') continue;
    named ??= new Set();
    named.add(name);
  }
  return named;
}

/**
 * Forwarded request headers as undici takes them: a flat name, value list. `withBody` false drops
 * the body's own headers too.
 */
export function forwardedHeaders(req: IncomingMessage, cookies: boolean, withBody = true): string[] {
  const raw = req.rawHeaders;
  const named = connectionNamed(req.headers.connection);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (DROPPED_REQUEST.has(lower) && !(cookies && lower === 'cookie')) continue;
    if (lower.startsWith('sec-') || lower.startsWith('proxy-') || lower.startsWith('access-control-'))
      continue;
    if (named?.has(lower) || (!withBody && BODY_HEADERS.has(lower))) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** True when an upstream response header stays on this side of the proxy. */
export function droppedResponseHeader(name: string, cookies: boolean, named: Set<string> | null): boolean {
  if (name.startsWith('access-control-') || name.startsWith('x-cors-redirect-')) return true;
  if (DROPPED_RESPONSE.has(name)) return !(cookies && name === 'set-cookie');
  return named?.has(name) === true;
}

/**
 * Marks an answer as one no shared cache may keep for everyone (`private`), and says which request
 * headers it was built from (`Vary`): a Location written from X-Forwarded-Host would otherwise be
 * cached with whatever host one client wrote. The upstream's other directives stay.
 */
export function cachedPrivately(headers: Record<string, string | string[] | undefined>): void {
  const control = headers['cache-control'];
  const kept = (Array.isArray(control) ? control.join(',') : (control ?? ''))
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !/^(public|private|s-maxage\s*=.*|proxy-revalidate)$/i.test(d));
  headers['cache-control'] = ['private', ...kept].join(', ');
  const vary = headers.vary;
  const forwarded = 'X-Forwarded-Host, X-Forwarded-Proto';
  headers.vary = vary === undefined ? forwarded : [...(Array.isArray(vary) ? vary : [vary]), forwarded];
}
