// Header-name sets from the Fetch standard (https://fetch.spec.whatwg.org/#terminology-headers). All names are lower-case.

/** Forbidden request-header names: scripts cannot set them, so they never appear in a preflight. */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** True for a forbidden request-header name, including the `proxy-` and `sec-` prefixes. */
export function isForbiddenRequestHeader(lowerName: string): boolean {
  return (
    FORBIDDEN_REQUEST_HEADERS.has(lowerName) || lowerName.startsWith('proxy-') || lowerName.startsWith('sec-')
  );
}

/** Forbidden response-header names: a page can never read them, exposed or not. */
export const FORBIDDEN_RESPONSE_HEADERS: ReadonlySet<string> = new Set(['set-cookie', 'set-cookie2']);

/** CORS-safelisted response-header names: always readable by the page, without being exposed. */
export const SAFELISTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** The one CORS non-wildcard request-header name: `*` in Access-Control-Allow-Headers never covers it. */
export const NON_WILDCARD_REQUEST_HEADER = 'authorization';
