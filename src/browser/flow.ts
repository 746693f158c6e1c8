// A whole cross-origin fetch as Chromium runs it: preflight when needed (or a cached grant), the
// actual request, the CORS check on every response, redirects in CORS mode, and what the page can
// read at the end. The model does no I/O itself: a transport sends each request it builds.
// Fetch #main-fetch, #http-fetch, #http-redirect-fetch, #cors-preflight-fetch.

import { type BrowserRequest, type Classification, classifyRequest, originOf } from './classify.js';
import { type CorsFailure, explainFailure } from './errors.js';
import { getHeader, type HeaderPairs } from './headers.js';
import type { PreflightCache } from './preflight-cache.js';
import {
  type BrowserResponse,
  checkPreflight,
  corsCheck,
  type PreflightGrant,
  readableHeaders,
} from './response-checks.js';

/** A request as it goes on the wire. */
export interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderPairs;
  /** True when the browser would attach cookies and HTTP auth. */
  readonly credentials: boolean;
}

/** Sends one request without following redirects; rejects on network errors. */
export type Transport = (request: WireRequest) => Promise<BrowserResponse>;

export interface Exchange {
  readonly request: WireRequest;
  /** Null when the request was not answered (network error). */
  readonly response: BrowserResponse | null;
}

export interface FetchOutcome {
  readonly verdict: 'allowed' | 'blocked';
  /** The request as classified, or null when fetch() refused it outright. */
  readonly classification: Classification | null;
  /** Why a preflight was or was not needed, in words. */
  readonly preflightNeeded: boolean;
  /** True when a cached grant stood in for the preflight. */
  readonly preflightCached: boolean;
  /** Every exchange in order: preflights, actual requests, redirect hops. */
  readonly exchanges: readonly Exchange[];
  readonly failure: CorsFailure | null;
  /** A TypeError fetch() throws before sending, or a network error: not a CORS failure. */
  readonly typeError: string | null;
  /** The response header names the page could read (allowed fetches only). */
  readonly exposedHeaders: readonly string[];
  readonly grant: PreflightGrant | null;
}

export interface FetchOptions {
  readonly cache?: PreflightCache;
  readonly initiator?: 'fetch' | 'xhr';
}

/** Most redirects a fetch follows (Fetch #http-redirect-fetch). */
export const MAX_REDIRECTS = 20;

/** Legacy client hints: Chromium drops them when it follows a redirect (seen in Chromium 156). */
const CHROMIUM_CLIENT_HINTS = new Set([
  'device-memory',
  'dpr',
  'width',
  'viewport-width',
  'rtt',
  'downlink',
  'ect',
]);

const REQUEST_BODY_HEADERS = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]);

/** The preflight a browser sends for a classified request to `url`, from `origin` (`null` when tainted). */
export function buildPreflight(c: Classification, url: string, origin: string): WireRequest {
  const headers: [string, string][] = [
    ['Accept', '*/*'],
    ['Access-Control-Request-Method', c.method],
  ];
  if (c.unsafeHeaderNames.length > 0)
    headers.push(['Access-Control-Request-Headers', c.unsafeHeaderNames.join(',')]);
  headers.push(['Origin', origin], ['Sec-Fetch-Mode', 'cors']);
  return { method: 'OPTIONS', url, headers, credentials: false };
}

function actualRequest(
  c: Classification,
  url: string,
  origin: string | null,
  crossOrigin: boolean,
): WireRequest {
  const headers: (readonly [string, string])[] = [...c.headers];
  if (!headers.some(([n]) => n === 'accept')) headers.unshift(['Accept', '*/*']);
  // Cross-origin requests always carry Origin; same-origin ones only for unsafe methods.
  if (origin !== null && (crossOrigin || (c.method !== 'GET' && c.method !== 'HEAD')))
    headers.push(['Origin', origin]);
  headers.push(['Sec-Fetch-Mode', 'cors']);
  return { method: c.method, url, headers, credentials: c.credentialed || !crossOrigin };
}

export async function simulateFetch(
  request: BrowserRequest,
  transport: Transport,
  options: FetchOptions = {},
): Promise<FetchOutcome> {
  const initiator = options.initiator ?? 'fetch';
  const classified = classifyRequest(request);
  const exchanges: Exchange[] = [];
  const blank = {
    preflightNeeded: false,
    preflightCached: false,
    failure: null,
    typeError: null,
    exposedHeaders: [] as string[],
    grant: null,
  };
  if (!classified.ok) {
    return { ...blank, verdict: 'blocked', classification: null, exchanges, typeError: classified.message };
  }
  let c = classified.value;
  const initialUrl = c.url;
  let url = c.url;
  let tainted = false;
  let preflightNeeded = false;
  let preflightCached = false;
  let grant: PreflightGrant | null = null;

  const listed = (response: BrowserResponse | undefined, name: string): string[] =>
    (response === undefined ? null : getHeader(response.headers, name))
      ?.split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '' && v !== '*') ?? [];
  const fail = (failure: Parameters<typeof explainFailure>[0], response?: BrowserResponse): FetchOutcome => {
    options.cache?.forget(tainted ? 'null' : c.origin, url);
    const ctx = {
      url,
      initialUrl,
      origin: c.origin,
      tainted,
      method: c.method,
      credentialed: c.credentialed,
      initiator,
      requestHeaders: c.unsafeHeaderNames,
      allowedMethods: listed(response, 'access-control-allow-methods'),
      allowedHeaders: listed(response, 'access-control-allow-headers'),
      ...(response === undefined ? {} : { status: response.status }),
    };
    return { ...blocked(), failure: explainFailure(failure, ctx) };
  };
  /** A blocked outcome with what is known so far. */
  const blocked = (): FetchOutcome => ({
    ...blank,
    verdict: 'blocked',
    classification: classified.value,
    preflightNeeded,
    preflightCached,
    exchanges,
    grant,
  });
  const networkError = (message: string): FetchOutcome => ({ ...blocked(), typeError: message });

  let sendError = '';
  /** Sends one request and records the exchange; null (and sendError) on a network error. */
  const send = async (wire: WireRequest): Promise<BrowserResponse | null> => {
    try {
      const response = await transport(wire);
      exchanges.push({ request: wire, response });
      return response;
    } catch (err) {
      exchanges.push({ request: wire, response: null });
      sendError = `Failed to fetch (${err instanceof Error ? err.message : String(err)})`;
      return null;
    }
  };

  for (let hop = 0; ; hop++) {
    const target = new URL(url);
    const crossOrigin = tainted || originOf(target) !== c.origin;
    const origin = tainted ? 'null' : c.origin;
    const needsPreflight = crossOrigin && c.reasons.length > 0;
    if (hop === 0) preflightNeeded = needsPreflight;
    if (needsPreflight) {
      if (options.cache?.covers(c, origin, url)) {
        preflightCached = true;
      } else {
        const response = await send(buildPreflight(c, url, origin));
        if (response === null) return networkError(sendError);
        if (
          response.status >= 300 &&
          response.status < 400 &&
          getHeader(response.headers, 'location') !== null
        ) {
          // Chromium refuses a redirected preflight before looking at its CORS headers.
          return fail({ code: 'PreflightDisallowedRedirect', hint: '' }, response);
        }
        const checked = checkPreflight(c, response, origin);
        if (!checked.ok) return fail(checked.failure, response);
        grant = checked.grant;
        options.cache?.store(origin, url, checked.grant);
      }
    }

    const response = await send(actualRequest(c, url, origin, crossOrigin));
    if (response === null) return networkError(sendError);
    if (crossOrigin) {
      const access = corsCheck(response, origin, c.credentialed);
      if (access !== null) return fail(access, response);
    }

    const location = getHeader(response.headers, 'location');
    const redirect = [301, 302, 303, 307, 308].includes(response.status) && location !== null;
    if (!redirect) {
      return {
        ...blank,
        verdict: 'allowed',
        classification: classified.value,
        preflightNeeded,
        preflightCached,
        exchanges,
        exposedHeaders: crossOrigin
          ? readableHeaders(response, c.credentialed)
          : response.headers.map(([n]) => n.toLowerCase()),
        grant,
      };
    }

    // Following a redirect (Fetch #http-redirect-fetch).
    if (hop + 1 > MAX_REDIRECTS) return networkError('Failed to fetch (net::ERR_TOO_MANY_REDIRECTS)');
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return networkError('Failed to fetch (net::ERR_INVALID_REDIRECT)');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      return networkError('Failed to fetch (net::ERR_UNSAFE_REDIRECT)');
    if ((next.username !== '' || next.password !== '') && (crossOrigin || next.origin !== c.origin)) {
      // Chromium's message quotes an empty location here; the cause names the real one.
      return fail(
        {
          code: 'RedirectContainsCredentials',
          hint: c.engine === 'chromium' ? '' : next.href,
          location: next.href,
        },
        response,
      );
    }
    // A hop to another origin, from a URL that was not the request's own origin, taints (#concept-request-tainted-origin).
    if (next.origin !== target.origin && c.origin !== target.origin) tainted = true;
    let headers = c.headers;
    let method = c.method;
    if (
      ((response.status === 301 || response.status === 302) && method === 'POST') ||
      (response.status === 303 && method !== 'GET' && method !== 'HEAD')
    ) {
      method = 'GET';
      headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.has(n));
    }
    if (next.origin !== target.origin) headers = headers.filter(([n]) => n !== 'authorization');
    if (c.engine === 'chromium') headers = headers.filter(([n]) => !CHROMIUM_CLIENT_HINTS.has(n));
    url = next.href;
    const reclassified = classifyRequest({
      url,
      origin: c.origin,
      method,
      headers,
      credentials: c.credentialed ? 'include' : 'same-origin',
      engine: c.engine,
    });
    if (!reclassified.ok) return networkError(`Failed to fetch (${reclassified.message})`);
    c = reclassified.value;
  }
}
