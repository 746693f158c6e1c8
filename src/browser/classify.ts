// Step one of a cross-origin fetch: what the browser makes of the request a page asks for. Which
// headers it sends, which it drops, and whether (and why) a preflight must come first.
// https://fetch.spec.whatwg.org/#main-fetch (step 12) and https://fetch.spec.whatwg.org/#cors-preflight-fetch;
// Chromium's NeedsPreflight (cors_url_loader.cc).

import { isForbiddenRequestHeader } from '../syntax/header-names.js';
import { isForbiddenMethod, isSafelistedMethod, normalizeMethod } from '../syntax/methods.js';
import { isToken } from '../syntax/tokens.js';
import { type Engine, factsOf } from './engines.js';
import { combineByName, type HeadersInput, invalidValue, normalizeValue, toPairs } from './headers.js';
import { MAX_SAFELISTED_TOTAL, type UnsafeHeaderReason, unsafeReason } from './safelist.js';

export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** What the request body is; it decides the default Content-Type and, for a stream, the preflight. */
export type BodyKind = 'none' | 'text' | 'url-search-params' | 'form-data' | 'blob' | 'stream';

/** A request as a page's script would make it with fetch(). */
export interface BrowserRequest {
  /** Absolute URL. */
  readonly url: string;
  /** The page's origin, serialized (`https://app.example.com`), or `null` for an opaque origin. */
  readonly origin: string;
  /** As written in the script; GET by default. */
  readonly method?: string;
  readonly headers?: HeadersInput;
  /** fetch()'s `credentials`; `same-origin` by default, which sends none cross-origin. */
  readonly credentials?: CredentialsMode;
  readonly body?: BodyKind;
  /** The Blob's type, for `body: 'blob'`. */
  readonly blobType?: string;
  /** Follow Chromium (default) or the Fetch standard where they differ. */
  readonly engine?: Engine;
}

export type PreflightReason =
  | { readonly kind: 'method'; readonly method: string }
  | {
      readonly kind: 'header';
      readonly name: string;
      readonly value: string;
      readonly why: UnsafeHeaderReason;
    }
  | { readonly kind: 'stream-body' };

/** The request as the browser will send it, and what it needs first. */
export interface Classification {
  readonly url: string;
  readonly origin: string;
  /** After normalization: `put` is sent as `PUT`, `patch` stays `patch`. */
  readonly method: string;
  /** Header lines sent by the page (lower-case names, repeated names combined), body default included. */
  readonly headers: readonly (readonly [string, string])[];
  /** Headers the script set that the browser drops silently: forbidden request-header names. */
  readonly ignored: readonly string[];
  /** True when credentials (cookies, HTTP auth) go with the request: `credentials: 'include'` cross-origin. */
  readonly credentialed: boolean;
  readonly crossOrigin: boolean;
  /** CORS-unsafe header names: lower-case, unique, sorted; what Access-Control-Request-Headers lists. */
  readonly unsafeHeaderNames: readonly string[];
  readonly preflight: boolean;
  /** Every reason for the preflight, in the order found. */
  readonly reasons: readonly PreflightReason[];
  readonly engine: Engine;
}

/** A request fetch() refuses before sending anything (the page sees a TypeError). */
export interface RequestRefusal {
  readonly ok: false;
  /** Chromium's TypeError message, after "Failed to execute 'fetch' on 'Window': ". */
  readonly message: string;
}

const BODY_CONTENT_TYPES: Readonly<Record<string, string>> = {
  text: 'text/plain;charset=UTF-8',
  'url-search-params': 'application/x-www-form-urlencoded;charset=UTF-8',
  'form-data': 'multipart/form-data; boundary=----WebKitFormBoundaryCorsicaModel0',
};

/** The serialized origin of an absolute URL, or null when it has none (not http(s)). */
export function originOf(url: URL): string | null {
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
}

function refuse(message: string): RequestRefusal {
  return { ok: false, message };
}

/**
 * What fetch() makes of a request before sending anything: its mode, whether it needs a preflight
 * and why, the headers that make it unsafe; or the TypeError fetch() throws for it.
 */
export function classifyRequest(
  request: BrowserRequest,
): { ok: true; value: Classification } | RequestRefusal {
  const engine = request.engine ?? 'chromium';
  factsOf(engine); // an unknown engine is the caller's mistake: a TypeError now, not a wrong model later
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(`Failed to parse URL from ${request.url}`);
  }
  if (url.username !== '' || url.password !== '')
    return refuse(`Request cannot be constructed from a URL that includes credentials: ${request.url}`);

  const written = request.method ?? 'GET';
  if (!isToken(written)) return refuse(`'${written}' is not a valid HTTP method.`);
  if (isForbiddenMethod(written)) return refuse(`'${written}' HTTP method is unsupported.`);
  const method = normalizeMethod(written);
  const body = request.body ?? 'none';
  if (body !== 'none' && (method === 'GET' || method === 'HEAD'))
    return refuse('Request with GET/HEAD method cannot have body.');

  const ignored: string[] = [];
  const kept: [string, string][] = [];
  for (const [name, raw] of toPairs(request.headers)) {
    if (!isToken(name)) return refuse(`Invalid name: '${name}'`);
    const value = normalizeValue(raw);
    if (invalidValue(value) !== null) return refuse(`Invalid value: '${raw}'`);
    if (isForbiddenRequestHeader(name.toLowerCase())) ignored.push(name.toLowerCase());
    else kept.push([name, value]);
  }
  const headers = combineByName(kept);
  const defaultType = body === 'blob' ? (request.blobType ?? '') : (BODY_CONTENT_TYPES[body] ?? '');
  if (defaultType !== '' && !headers.some(([name]) => name === 'content-type')) {
    headers.push(['content-type', defaultType]);
  }

  const target = originOf(url);
  const crossOrigin = target === null || target !== request.origin;
  const credentialed = request.credentials === 'include';

  const reasons: PreflightReason[] = [];
  if (!isSafelistedMethod(method)) reasons.push({ kind: 'method', method });
  const unsafe = new Set<string>();
  const safelisted: [string, string][] = [];
  let total = 0;
  for (const [name, value] of headers) {
    const why = unsafeReason(name, value, engine);
    if (why === null) {
      safelisted.push([name, value]);
      total += value.length;
    } else {
      unsafe.add(name);
      reasons.push({ kind: 'header', name, value, why });
    }
  }
  if (total > MAX_SAFELISTED_TOTAL) {
    for (const [name, value] of safelisted) {
      unsafe.add(name);
      reasons.push({ kind: 'header', name, value, why: 'safelisted-values-too-long' });
    }
  }
  if (body === 'stream') reasons.push({ kind: 'stream-body' });

  return {
    ok: true,
    value: {
      url: url.href,
      origin: request.origin,
      method,
      headers,
      ignored,
      credentialed,
      crossOrigin,
      unsafeHeaderNames: [...unsafe].sort(),
      preflight: crossOrigin && reasons.length > 0,
      reasons: crossOrigin ? reasons : [],
      engine,
    },
  };
}
