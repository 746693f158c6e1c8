// A whole cross-origin fetch as a browser runs it: preflight when needed (or a cached grant), the
// actual request, the CORS check on every response, redirects in CORS mode, and what the page can
// read at the end. The model does no I/O itself: a transport sends each request it builds.
// https://fetch.spec.whatwg.org/#main-fetch, https://fetch.spec.whatwg.org/#http-fetch,
// https://fetch.spec.whatwg.org/#http-redirect-fetch and https://fetch.spec.whatwg.org/#cors-preflight-fetch;
// where an engine departs from them (the preflights after a redirect, the redirect schemes, the console lines), it
// follows that engine's facts (engines.ts), as measured against the real browsers.

import { type BrowserRequest, type Classification, classifyRequest, originOf } from './classify.js';
import type { CorsFailureCore, FailureContext } from './codes.js';
import { CHROMIUM_CORS_SCHEMES, type Engine, type EngineFacts, factsOf } from './engines.js';
import { type CorsFailure, explainFailure } from './errors.js';
import { getHeader, type HeaderPairs, normalizeValue } from './headers.js';
import type { PreflightCache } from './preflight-cache.js';
import { type ConsoleLine, firefoxAuthorizationWarning, redirectNotFollowedLines } from './reasons.js';
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
  /** The engine the model ran as. */
  readonly engine: Engine;
  /**
   * The CORS lines the engine prints in its console for this fetch, errors and warnings, in order
   * (a Firefox warning can come with an allowed fetch).
   */
  readonly console: readonly ConsoleLine[];
}

export interface FetchOptions {
  readonly cache?: PreflightCache;
  readonly initiator?: 'fetch' | 'xhr';
}

/** Most redirects a fetch follows (https://fetch.spec.whatwg.org/#http-redirect-fetch, step 7). */
export const MAX_REDIRECTS = 20;

const REQUEST_BODY_HEADERS = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]);

/**
 * The preflight a browser sends for a classified request to `url`, from `origin` (`null` when
 * tainted, in most engines), asking for `asked` (the request's unsafe header names by default).
 */
export function buildPreflight(
  c: Classification,
  url: string,
  origin: string,
  asked: readonly string[] = c.unsafeHeaderNames,
): WireRequest {
  const headers: [string, string][] = [
    ['Accept', '*/*'],
    ['Access-Control-Request-Method', c.method],
  ];
  if (asked.length > 0) headers.push(['Access-Control-Request-Headers', asked.join(',')]);
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

/**
 * What a redirect to a scheme other than http(s) gets in an engine: a network error (with its
 * message) or a CORS failure (engines.ts, `redirectToOtherScheme`).
 */
function redirectSchemeOutcome(facts: EngineFacts, scheme: string): { network: string } | 'cors-failure' {
  const { networkErrors, otherwise } = facts.redirectToOtherScheme;
  const network = networkErrors.get(scheme);
  if (network !== undefined) return { network };
  return otherwise === 'cors-failure' ? otherwise : { network: otherwise.networkError };
}

/** One fetch in progress: what was sent, what came back, and the state a redirect carries on. */
class FetchRun {
  readonly exchanges: Exchange[] = [];
  readonly lines: ConsoleLine[] = [];
  readonly initialUrl: string;
  readonly engine: Engine;
  readonly facts: EngineFacts;
  /** The unsafe header names of the request as the page made it (what Firefox and WebKit keep asking for). */
  readonly firstAsked: readonly string[];
  url: string;
  tainted = false;
  preflightNeeded = false;
  preflightCached = false;
  /** True once a preflight was sent or taken from the cache (Firefox and WebKit then preflight every hop). */
  preflighted = false;
  /** Firefox: the last redirect rewrote the method (Content-Type leaves the list it asks for) ... */
  droppedBody = false;
  /** ... or went to another origin (Authorization leaves it). */
  droppedAuthorization = false;
  grant: PreflightGrant | null = null;
  /** The URL of the last redirect followed, if any. */
  redirectedFrom: string | null = null;
  private sendError = '';

  constructor(
    public c: Classification,
    private readonly first: Classification,
    private readonly transport: Transport,
    private readonly options: FetchOptions,
  ) {
    this.initialUrl = c.url;
    this.url = c.url;
    this.engine = c.engine;
    this.facts = factsOf(c.engine);
    this.firstAsked = c.unsafeHeaderNames;
  }

  /** Sends one request and records the exchange; null (see networkError) on a network error. */
  async send(wire: WireRequest): Promise<BrowserResponse | null> {
    try {
      const raw = await this.transport(wire);
      // A header value has no leading or trailing whitespace (https://fetch.spec.whatwg.org/#concept-header-value,
      // RFC 9112 §5): `Access-Control-Allow-Origin: https://a.example ` is that origin, as Chromium and WebKit
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
      engine: this.engine,
      console: this.lines,
    };
  }

  allowed(exposedHeaders: string[]): FetchOutcome {
    return { ...this.outcome('allowed'), exposedHeaders };
  }

  /**
   * A network error (no CORS failure). Some engines print a line for a redirect they could not
   * follow, naming the URL that redirected (`refusedRedirect`, or the last redirect when a hop after
   * it got no answer); none prints one for a request that got no answer at all.
   */
  networkError(message = this.sendError, refusedRedirect = false): FetchOutcome {
    const from = refusedRedirect ? this.url : this.redirectedFrom;
    if (from !== null) this.lines.push(...redirectNotFollowedLines(this.facts.words, from));
    return { ...this.outcome('blocked'), typeError: message };
  }

  /** A CORS failure, explained in the browser's words with its cause and fix. */
  fail(
    failure: CorsFailureCore,
    response?: BrowserResponse,
    where: Pick<FailureContext, 'stage' | 'redirectTo'> = {},
  ): FetchOutcome {
    const c = this.c;
    this.options.cache?.forget(this.preflightOrigin(), this.url);
    const stage = where.stage ?? 'request';
    const ctx: FailureContext = {
      url: this.url,
      initialUrl: this.initialUrl,
      origin: c.origin,
      // Whether the failing request carried Origin: null (not every engine's preflights do).
      tainted: stage === 'request' ? this.tainted : this.preflightOrigin() === 'null',
      method: c.method,
      credentialed: c.credentialed,
      initiator: this.options.initiator ?? 'fetch',
      requestHeaders: c.unsafeHeaderNames,
      engine: this.engine,
      stage,
      ...(where.redirectTo === undefined ? {} : { redirectTo: where.redirectTo }),
      ...(response === undefined ? {} : { status: response.status }),
    };
    const explained = explainFailure(failure, ctx, response);
    this.lines.push(...explained.reason.lines);
    return { ...this.outcome('blocked'), failure: explained };
  }

  /**
   * The origin a preflight carries: `null` after a tainting redirect, as the standard says, or the
   * page's in an engine that sends it (engines.ts, `taintedPreflightOrigin`).
   */
  preflightOrigin(): string {
    return this.tainted && this.facts.taintedPreflightOrigin === 'null' ? 'null' : this.c.origin;
  }

  /**
   * What the preflight of this hop asks for, or null when the hop needs none. The standard
   * preflights when the request as it now stands needs it. Some engines, once they preflighted a
   * request, preflight every later hop too, even when a redirect made it simple, asking for the
   * page's list as it was, or for that list less Content-Type when the last redirect rewrote the
   * method and less Authorization when it changed origin (engines.ts, `preflightAfterRedirect`).
   */
  asked(hop: number, crossOrigin: boolean): readonly string[] | null {
    const c = this.c;
    if (!crossOrigin) return null;
    const again = this.facts.preflightAfterRedirect;
    if (hop > 0 && this.preflighted && again === 'every-hop-less-dropped') {
      return this.firstAsked.filter(
        (n) =>
          !(this.droppedBody && n === 'content-type') &&
          !(this.droppedAuthorization && n === 'authorization'),
      );
    }
    if (hop > 0 && this.preflighted && again === 'every-hop') return this.firstAsked;
    return c.reasons.length > 0 ? c.unsafeHeaderNames : null;
  }

  /** The preflight, from the cache or the network; null when it grants the request. */
  async preflight(asked: readonly string[]): Promise<FetchOutcome | null> {
    const { c, url, options } = this;
    const origin = this.preflightOrigin();
    this.preflighted = true;
    if (options.cache?.covers(c, origin, url)) {
      this.preflightCached = true;
      return null;
    }
    const response = await this.send(buildPreflight(c, url, origin, asked));
    if (response === null) return this.networkError();
    const location = getHeader(response.headers, 'location');
    if (location !== null && this.isPreflightRedirect(response.status)) {
      // Most engines refuse a redirected preflight before looking at its CORS headers; some check
      // them first (engines.ts, `preflightRedirectCorsCheckFirst`).
      const access = this.facts.preflightRedirectCorsCheckFirst
        ? corsCheck(response, origin, c.credentialed, this.engine)
        : null;
      if (access !== null) {
        const code = `Preflight${access.code}` as CorsFailureCore['code'];
        return this.fail({ ...access, code }, response, { stage: 'preflight-redirect' });
      }
      return this.fail({ code: 'PreflightDisallowedRedirect', hint: '' }, response, {
        stage: 'preflight-redirect',
      });
    }
    const checked = checkPreflight(c, response, origin, asked);
    if (!checked.ok) return this.fail(checked.failure, response, { stage: 'preflight' });
    if (
      this.facts.warnsWildcardAuthorization &&
      !c.credentialed &&
      asked.includes('authorization') &&
      checked.grant.headers.includes('*') &&
      !checked.grant.headers.includes('authorization')
    )
      this.lines.push(firefoxAuthorizationWarning(url));
    this.grant = checked.grant;
    options.cache?.store(origin, url, checked.grant);
    return null;
  }

  /** Whether a preflight answer with a Location is a redirect: any 3xx, or the statuses the engine follows. */
  private isPreflightRedirect(status: number): boolean {
    const statuses = this.facts.preflightRedirectStatuses;
    return statuses === 'any-3xx' ? status >= 300 && status < 400 : statuses.includes(status);
  }

  /**
   * Follows a redirect as https://fetch.spec.whatwg.org/#http-redirect-fetch does: checks the next URL, taints the origin,
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
      // Some engines refuse it as a redirect to a scheme they cannot fetch, quoting the Location.
      if (this.facts.unparsableLocation === 'cors-failure')
        return this.fail({ code: 'CorsDisabledScheme', hint: '' }, response, { redirectTo: location });
      return this.networkError('Failed to fetch (net::ERR_INVALID_REDIRECT)', true);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      const scheme = redirectSchemeOutcome(this.facts, next.protocol);
      if (scheme !== 'cors-failure') return this.networkError(`Failed to fetch (${scheme.network})`, true);
      if (this.facts.otherSchemeFailureAt === 'target') {
        // The console names the URL the redirect pointed to.
        this.url = next.href;
        return this.fail({ code: 'CorsDisabledScheme', hint: CHROMIUM_CORS_SCHEMES }, undefined, {});
      }
      return this.fail({ code: 'CorsDisabledScheme', hint: CHROMIUM_CORS_SCHEMES }, response, {
        redirectTo: next.href,
      });
    }
    if ((next.username !== '' || next.password !== '') && (crossOrigin || next.origin !== c.origin)) {
      // Some messages quote an empty location here; the cause names the real one.
      const hint = this.facts.userinfoRedirectQuotes === 'empty' ? '' : next.href;
      return this.fail({ code: 'RedirectContainsCredentials', hint, location: next.href }, response, {
        redirectTo: next.href,
      });
    }
    // A hop to another origin, from a URL that was not the request's own origin, taints
    // (https://fetch.spec.whatwg.org/#concept-request-tainted-origin).
    if (next.origin !== target.origin && c.origin !== target.origin) this.tainted = true;
    let headers = c.headers;
    let method = c.method;
    this.droppedBody = false;
    if (
      ((response.status === 301 || response.status === 302) && method === 'POST') ||
      (response.status === 303 && method !== 'GET' && method !== 'HEAD')
    ) {
      method = 'GET';
      headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.has(n));
      this.droppedBody = true;
    }
    this.droppedAuthorization = next.origin !== target.origin;
    if (this.droppedAuthorization) headers = headers.filter(([n]) => n !== 'authorization');
    const dropped = this.facts.droppedOnRedirect;
    if (dropped.length > 0) headers = headers.filter(([n]) => !dropped.includes(n));
    this.redirectedFrom = this.url;
    this.url = next.href;
    const reclassified = classifyRequest({
      url: this.url,
      origin: c.origin,
      method,
      headers,
      credentials: c.credentialed ? 'include' : 'same-origin',
      engine: c.engine,
    });
    if (!reclassified.ok) return this.networkError(`Failed to fetch (${reclassified.message})`, true);
    this.c = reclassified.value;
    return null;
  }
}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** A Location against the URL it came from, or null when it is not a URL. */
function resolve(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

/**
 * What a browser does with `request` against the server behind `transport`: the preflight when one
 * is needed, the request, every redirect hop, and the verdict with the browser's own words. The
 * browser is `request.engine` (Chromium by default).
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
      engine: request.engine ?? 'chromium',
      console: [],
    };
  }
  const run = new FetchRun(classified.value, classified.value, transport, options);
  for (let hop = 0; ; hop++) {
    const c = run.c;
    const target = new URL(run.url);
    const crossOrigin = run.tainted || originOf(target) !== c.origin;
    const origin = run.tainted ? 'null' : c.origin;
    const asked = run.asked(hop, crossOrigin);
    if (hop === 0) run.preflightNeeded = asked !== null;
    if (asked !== null) {
      const refused = await run.preflight(asked);
      if (refused !== null) return refused;
    }
    const response = await run.send(actualRequest(c, run.url, origin, crossOrigin));
    if (response === null) return run.networkError();
    const location = getHeader(response.headers, 'location');
    const redirects = REDIRECT_STATUSES.includes(response.status) && location !== null;
    if (crossOrigin) {
      const access = corsCheck(response, origin, c.credentialed, c.engine);
      if (access !== null) {
        const redirectTo = redirects ? resolve(location, run.url) : null;
        return run.fail(access, response, redirectTo === null ? {} : { redirectTo });
      }
    }
    if (!redirects) {
      return run.allowed(
        crossOrigin
          ? readableHeaders(response, c.credentialed)
          : response.headers.map(([n]) => n.toLowerCase()),
      );
    }
    if (hop + 1 > MAX_REDIRECTS)
      return run.networkError('Failed to fetch (net::ERR_TOO_MANY_REDIRECTS)', true);
    const stopped = run.redirect(response, location, target, crossOrigin);
    if (stopped !== null) return stopped;
  }
}
