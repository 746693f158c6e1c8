// corsica/fetch: CORS for `(request: Request) => Response | Promise<Response>` handlers (Node's
// fetch types, Bun, Deno, Cloudflare Workers, Next.js route handlers). Only web-platform APIs:
// no Node built-ins, so it bundles for any runtime.

import { createPolicy, type Policy } from '../../policy/policy.js';
import type { CorsOptions, Decision } from '../../policy/types.js';
import { writeCors } from '../core/index.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions, Decision, Policy };

export interface FetchCorsOptions extends CorsOptions {
  /** Called when the handler throws; the answer is then a 500 that still carries CORS headers. Default: console.error. */
  onError?: (error: unknown, request: Request) => void;
}

function readHeader(request: Request, name: string): string | null {
  return request.headers.get(name);
}

function decide(request: Request, policy: Policy): Decision | Promise<Decision> {
  return policy.decideFor(request.method, request.headers.get('origin'), request, readHeader);
}

const setHeader = (headers: Headers, name: string, value: string) => headers.set(name, value);
const currentVary = (headers: Headers) => headers.get('vary');

/** Writes a decision into mutable headers, merging Vary with what is there. */
function writeDecision(d: Decision, headers: Headers): void {
  writeCors(headers, setHeader, currentVary, d.headers, d.vary);
}

function preflightResponse(d: Decision): Response | null {
  // Not a preflight, or `preflightContinue`: the handler answers it.
  if (d.kind !== 'preflight' || d.status === 0) return null;
  const headers = new Headers({ 'content-length': '0' });
  writeDecision(d, headers);
  return new Response(null, { status: d.status, headers });
}

/** The answer to a preflight, or null when `request` is not one the policy ends itself. */
export function preflight(request: Request, policy: Policy<Decision>): Response | null;
/** With an origin function, the answer may come as a promise. */
export function preflight(request: Request, policy: Policy): Response | null | Promise<Response | null>;
export function preflight(request: Request, policy: Policy): Response | null | Promise<Response | null> {
  const d = decide(request, policy);
  return d instanceof Promise ? d.then(preflightResponse) : preflightResponse(d);
}

function withHeaders(response: Response, d: Decision): Response {
  if (d.headers.length === 0 && d.vary === null) return response;
  // Headers of a fetched or redirected Response are immutable: answer with a copy that is not.
  let out = response;
  try {
    writeDecision(d, response.headers);
  } catch {
    // A network error (`Response.error()`), an opaque answer (status 0) or a 1xx upgrade cannot be
    // rebuilt (the constructor takes 200-599) and has no headers a page could read: it passes as is.
    if (response.status < 200 || response.status > 599) return response;
    out = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
    writeDecision(d, out.headers);
  }
  return out;
}

/** Adds the CORS headers `request` earned to `response` (a copy when its headers are immutable). */
export function applyCors(request: Request, response: Response, policy: Policy<Decision>): Response;
/** With an origin function, the answer may come as a promise. */
export function applyCors(request: Request, response: Response, policy: Policy): Response | Promise<Response>;
export function applyCors(
  request: Request,
  response: Response,
  policy: Policy,
): Response | Promise<Response> {
  const d = decide(request, policy);
  return d instanceof Promise
    ? d.then((decided) => withHeaders(response, decided))
    : withHeaders(response, d);
}

/**
 * A fetch handler. `R` is the request type the runtime or framework gives (Next.js's `NextRequest`
 * is a Request with more), so a handler typed for it keeps its type through `withCors`.
 */
type Handler<R extends Request, A extends unknown[]> = (
  request: R,
  ...rest: A
) => Response | Promise<Response>;

/**
 * Wraps a fetch handler: preflights are answered, every answer (errors included) gets the CORS
 * headers. Invalid options throw CorsConfigError here, not on the first request.
 */
export function withCors<R extends Request = Request, A extends unknown[] = []>(
  handler: Handler<R, A>,
  options: FetchCorsOptions = {},
): Handler<R, A> {
  const { onError, ...corsOptions } = options;
  const policy = createPolicy(corsOptions);
  const report = onError ?? ((error: unknown) => console.error(error));
  return async (request, ...rest) => {
    const d = await decide(request, policy);
    const early = preflightResponse(d);
    if (early !== null) return early;
    let response: Response;
    try {
      response = await handler(request, ...rest);
    } catch (error) {
      report(error, request);
      response = new Response('Internal Server Error', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    return withHeaders(response, d);
  };
}

/**
 * The same as `withCors`, options first, for code that configures CORS once and wraps several
 * handlers: `const corsica = cors(options); export default { fetch: corsica(handler) }`.
 */
export function cors(
  options: FetchCorsOptions = {},
): <R extends Request = Request, A extends unknown[] = []>(handler: Handler<R, A>) => Handler<R, A> {
  // Validated now, not on the first wrap: invalid options throw CorsConfigError here.
  const { onError: _, ...corsOptions } = options;
  createPolicy(corsOptions);
  return (handler) => withCors(handler, options);
}

export default withCors;
