// A whole cross-origin fetch as Chromium runs it: preflight when needed (or a cached grant), the
// actual request, the CORS check on every response, redirects in CORS mode, and what the page can
// read at the end. The model does no I/O itself: a transport sends each request it builds.
// Fetch #main-fetch, #http-fetch, #http-redirect-fetch, #cors-preflight-fetch.

import { type BrowserRequest, type Classification, classifyRequest, originOf } from './classify.js';
import { type CorsFailure, explainFailure } from './errors.js';
import { getHeader, type HeaderPairs, normalizeValue } from './headers.js';
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

/** Lists in a response header, for fixes that extend them (`*` is not a name to keep). */
function listed(response: BrowserResponse | undefined, name: string): string[] {
  return (
    (response === undefined ? null : getHeader(response.headers, name))
      ?.split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '' && v !== '*') ?? []
  );
}

/** One fetch in progress: what was sent, what came back, and the state a redirect carries on. */
class FetchRun {
  readonly exchanges: Exchange[] = [];
  readonly initialUrl: string;
  url: string;
  tainted = false;
  preflightNeeded = false;
  preflightCached = false;
  grant: PreflightGrant | null = null;
  private sendError = '';

  constructor(
    public c: Classification,
    private readonly first: Classification,
    private readonly transport: Transport,
    private readonly options: FetchOptions,
  ) {
    this.initialUrl = c.url;
    this.url = c.url;
  }

  /** Sends one request and records the exchange; null (see networkError) on a network error. */
  async send(wire: WireRequest): Promise<BrowserResponse | null> {
    try {
      const raw = await this.transport(wire);
      // A header value has no leading or trailing whitespace (Fetch #concept-header-value, RFC 9112
      // §5): `Access-Control-Allow-Origin: https://a.example ` is that origin, as Chromium and WebKit
      // read it. HTTP clients strip the leading whitespace only.
      const response = { ...raw, headers: raw.headers.map(([n, v]) => [n, normalizeValue(v)] as const) };
      this.exchanges.push({ request: wire, response });
      return response;
    } catch (err) {
      this.exchanges.push({ request: wire, response: null });
      this.sendError = `Failed to fetch (${err instanceof Error ? err.message : String(err)})`;
      return null;
    }
  }

  private outcome(verdict: FetchOutcome['verdict']): FetchOutcome {
    return {
      verdict,
      classification: this.first,
      preflightNeeded: this.preflightNeeded,
      preflightCached: this.preflightCached,
      exchanges: this.exchanges,
      failure: null,
      typeError: null,
      exposedHeaders: [],
      grant: this.grant,
    };
  }

  allowed(exposedHeaders: string[]): FetchOutcome {
    return { ...this.outcome('allowed'), exposedHeaders };
  }

  networkError(message = this.sendError): FetchOutcome {
    return { ...this.outcome('blocked'), typeError: message };
  }

  /** A CORS failure, explained in the browser's words with its cause and fix. */
  fail(failure: Parameters<typeof explainFailure>[0], response?: BrowserResponse): FetchOutcome {
    const c = this.c;
    this.options.cache?.forget(this.tainted ? 'null' : c.origin, this.url);
    const ctx = {
      url: this.url,
      initialUrl: this.initialUrl,
      origin: c.origin,
      tainted: this.tainted,
      method: c.method,
      credentialed: c.credentialed,
      initiator: this.options.initiator ?? 'fetch',
      requestHeaders: c.unsafeHeaderNames,
      allowedMethods: listed(response, 'access-control-allow-methods'),
      allowedHeaders: listed(response, 'access-control-allow-headers'),
      ...(response === undefined ? {} : { status: response.status }),
    };
    return { ...this.outcome('blocked'), failure: explainFailure(failure, ctx) };
  }

  /** The preflight, from the cache or the network; null when it grants the request. */
  async preflight(origin: string): Promise<FetchOutcome | null> {
    const { c, url, options } = this;
    if (options.cache?.covers(c, origin, url)) {
      this.preflightCached = true;
      return null;
    }
    const response = await this.send(buildPreflight(c, url, origin));
    if (response === null) return this.networkError();
    if (response.status >= 300 && response.status < 400 && getHeader(response.headers, 'location') !== null) {
      // Chromium refuses a redirected preflight before looking at its CORS headers.
      return this.fail({ code: 'PreflightDisallowedRedirect', hint: '' }, response);
    }
    const checked = checkPreflight(c, response, origin);
    if (!checked.ok) return this.fail(checked.failure, response);
    this.grant = checked.grant;
    options.cache?.store(origin, url, checked.grant);
    return null;
  }

  /**
   * Follows a redirect as Fetch #http-redirect-fetch does: checks the next URL, taints the origin,
   * rewrites the method, drops what must not cross, classifies again. Null when the run goes on.
   */
  redirect(
    response: BrowserResponse,
    location: string,
    target: URL,
    crossOrigin: boolean,
  ): FetchOutcome | null {
    const c = this.c;
    let next: URL;
    try {
      next = new URL(location, this.url);
    } catch {
      return this.networkError('Failed to fetch (net::ERR_INVALID_REDIRECT)');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      return this.networkError('Failed to fetch (net::ERR_UNSAFE_REDIRECT)');
    if ((next.username !== '' || next.password !== '') && (crossOrigin || next.origin !== c.origin)) {
      // Chromium's message quotes an empty location here; the cause names the real one.
      const hint = c.engine === 'chromium' ? '' : next.href;
      return this.fail({ code: 'RedirectContainsCredentials', hint, location: next.href }, response);
    }
    // A hop to another origin, from a URL that was not the request's own origin, taints (#concept-request-tainted-origin).
    if (next.origin !== target.origin && c.origin !== target.origin) this.tainted = true;
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
    this.url = next.href;
    const reclassified = classifyRequest({
      url: this.url,
      origin: c.origin,
      method,
      headers,
      credentials: c.credentialed ? 'include' : 'same-origin',
      engine: c.engine,
    });
    if (!reclassified.ok) return this.networkError(`Failed to fetch (${reclassified.message})`);
    this.c = reclassified.value;
    return null;
  }
}

/**
 * What a browser does with `request` against the server behind `transport`: the preflight when one
 * is needed, the request, every redirect hop, and the verdict with the browser's own words.
 */
export async function simulateFetch(
  request: BrowserRequest,
  transport: Transport,
  options: FetchOptions = {},
): Promise<FetchOutcome> {
  const classified = classifyRequest(request);
  if (!classified.ok) {
    return {
      verdict: 'blocked',
      classification: null,
      preflightNeeded: false,
      preflightCached: false,
      exchanges: [],
      failure: null,
      typeError: classified.message,
      exposedHeaders: [],
      grant: null,
    };
  }
  const run = new FetchRun(classified.value, classified.value, transport, options);
  for (let hop = 0; ; hop++) {
    const c = run.c;
    const target = new URL(run.url);
    const crossOrigin = run.tainted || originOf(target) !== c.origin;
    const origin = run.tainted ? 'null' : c.origin;
    const needsPreflight = crossOrigin && c.reasons.length > 0;
    if (hop === 0) run.preflightNeeded = needsPreflight;
    if (needsPreflight) {
      const refused = await run.preflight(origin);
      if (refused !== null) return refused;
    }
    const response = await run.send(actualRequest(c, run.url, origin, crossOrigin));
    if (response === null) return run.networkError();
    if (crossOrigin) {
      const access = corsCheck(response, origin, c.credentialed);
      if (access !== null) return run.fail(access, response);
    }
    const location = getHeader(response.headers, 'location');
    if (![301, 302, 303, 307, 308].includes(response.status) || location === null) {
      return run.allowed(
        crossOrigin
          ? readableHeaders(response, c.credentialed)
          : response.headers.map(([n]) => n.toLowerCase()),
      );
    }
    if (hop + 1 > MAX_REDIRECTS) return run.networkError('Failed to fetch (net::ERR_TOO_MANY_REDIRECTS)');
    const stopped = run.redirect(response, location, target, crossOrigin);
    if (stopped !== null) return stopped;
  }
}
