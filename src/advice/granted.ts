// What a server's answers showed of its CORS configuration, read from every answer to one URL (the
// preflight and the request): the fixes keep it, so that a fix pasted in place of the server's
// configuration gives the server what it had plus the fix, never less.

import { getHeader } from '../browser/headers.js';
import type { BrowserResponse, Exchange, FailureContext } from '../browser/index.js';
import { splitCommaList } from '../syntax/whitespace.js';

/** What a server's answers showed of its CORS configuration (read from the answers here). */
export interface Granted {
  /** Every Access-Control-Allow-Origin line, as sent. */
  readonly origins: readonly string[];
  /** Some answer said Access-Control-Allow-Credentials: true. */
  readonly credentials: boolean;
  /** A preflight answer carried Access-Control-Allow-Origin, so its lists (or their absence) are the server's. */
  readonly preflightAnswered: boolean;
  /** `*` was in Access-Control-Allow-Methods, -Headers or Expose-Headers. */
  readonly methodsWildcard: boolean;
  readonly headersWildcard: boolean;
  readonly exposedWildcard: boolean;
  /** The preflight echoed the requested headers (Vary: Access-Control-Request-Headers) instead of a list. */
  readonly reflectsHeaders: boolean;
  /** Access-Control-Expose-Headers, `*` left out. */
  readonly exposed: readonly string[];
  /** Access-Control-Max-Age, when it was a number of seconds. */
  readonly maxAge: string | null;
}

/** A failure's context as the advice reads it: the model's facts and what the answers showed. */
export interface AdviceContext extends FailureContext {
  /**
   * What the server's answers to this URL allowed, as sent, `*` left out (for fixes that extend the
   * lists): the preflight's lists, when one was answered.
   */
  readonly allowedMethods?: readonly string[];
  readonly allowedHeaders?: readonly string[];
  /** The rest of what the answers showed of the server's configuration. */
  readonly granted?: Granted;
  /**
   * The Allow header of a failing 2xx preflight answer that carried no CORS header at all: the
   * framework's own answer to OPTIONS (Express's), which no CORS middleware touched.
   */
  readonly allowWithoutCors?: string;
}

/** The names of a list header, trimmed, without `*` (not a name to keep), or [] when absent. */
function listed(response: BrowserResponse | null | undefined, name: string): string[] {
  const value = response == null ? null : getHeader(response.headers, name);
  return value === null ? [] : splitCommaList(value).filter((v) => v !== '' && v !== '*');
}

const hasWildcard = (response: BrowserResponse, name: string): boolean =>
  splitCommaList(getHeader(response.headers, name) ?? '').includes('*');

/** One answer and whether it answered a preflight. */
export interface Answer {
  readonly preflight: boolean;
  readonly response: BrowserResponse;
}

/**
 * What the answers granted, merged (a later answer's list wins over an earlier one's: the request's
 * answer after the preflight's). The allow lists count only from a preflight answer that carried
 * Access-Control-Allow-Origin: a refusal without it says nothing about them.
 */
export function grantedBy(answers: readonly Answer[]): {
  readonly granted: Granted;
  readonly methods: string[];
  readonly headers: string[];
} {
  const origins: string[] = [];
  let credentials = false;
  let preflightAnswered = false;
  let methods: string[] = [];
  let headers: string[] = [];
  let methodsWildcard = false;
  let headersWildcard = false;
  let reflectsHeaders = false;
  let exposed: string[] = [];
  let exposedWildcard = false;
  let maxAge: string | null = null;
  for (const { preflight, response } of answers) {
    const h = response.headers;
    for (const [name, value] of h)
      if (name.toLowerCase() === 'access-control-allow-origin') origins.push(value.trim());
    if (getHeader(h, 'access-control-allow-credentials') === 'true') credentials = true;
    if (getHeader(h, 'access-control-expose-headers') !== null) {
      exposed = listed(response, 'access-control-expose-headers');
      exposedWildcard = hasWildcard(response, 'access-control-expose-headers');
    }
    if (!preflight) continue;
    if (getHeader(h, 'access-control-allow-origin') !== null) preflightAnswered = true;
    if (getHeader(h, 'access-control-allow-methods') !== null) {
      methods = listed(response, 'access-control-allow-methods');
      methodsWildcard = hasWildcard(response, 'access-control-allow-methods');
    }
    if (getHeader(h, 'access-control-allow-headers') !== null) {
      headers = listed(response, 'access-control-allow-headers');
      headersWildcard = hasWildcard(response, 'access-control-allow-headers');
    }
    // cors and corsica say so when they echo Access-Control-Request-Headers instead of a list.
    const vary = splitCommaList((getHeader(h, 'vary') ?? '').toLowerCase());
    if (vary.includes('access-control-request-headers')) reflectsHeaders = true;
    const age = getHeader(h, 'access-control-max-age');
    if (age !== null && /^\d+$/.test(age.trim())) maxAge = age.trim();
  }
  return {
    granted: {
      origins,
      credentials,
      preflightAnswered,
      methodsWildcard,
      headersWildcard,
      reflectsHeaders,
      exposed,
      exposedWildcard,
      maxAge,
    },
    methods,
    headers,
  };
}

/**
 * What the answers to `url` showed of the server's configuration, for the context of a failure on
 * `response`, and the Allow header of a failing 2xx preflight answer without any CORS header (the
 * framework answered OPTIONS itself).
 */
export function grantedContext(
  exchanges: readonly Exchange[],
  url: string,
  response: BrowserResponse | undefined,
): Pick<AdviceContext, 'allowedMethods' | 'allowedHeaders' | 'granted' | 'allowWithoutCors'> {
  const answers = exchanges.flatMap(({ request, response: r }) =>
    r === null || request.url !== url
      ? []
      : [{ preflight: request.headers.some(([n]) => n === 'Access-Control-Request-Method'), response: r }],
  );
  const { granted, methods, headers } = grantedBy(answers);
  const allow = response === undefined ? null : getHeader(response.headers, 'allow');
  const bare =
    response !== undefined &&
    response.status >= 200 &&
    response.status < 300 &&
    !response.headers.some(([n]) => n.toLowerCase().startsWith('access-control-'));
  return {
    allowedMethods: methods,
    allowedHeaders: headers,
    granted,
    ...(allow !== null && bare ? { allowWithoutCors: allow } : {}),
  };
}
