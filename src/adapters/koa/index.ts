// corsica/koa: middleware for Koa 2 and 3. Takes @koa/cors's option names with @koa/cors 5's
// meanings (its defaults, `origin(ctx)` and `credentials(ctx)`, sync or async, `allowMethods: null`
// sending none, keepHeadersOnError, secureContext, privateNetworkAccess), so that a @koa/cors config
// moves over unchanged; corsica's own rules apply on top, at start-up or with a coded warning.

import { asError, withRequest } from '../../policy/origin-function.js';
import { describeValue, multiOriginRules } from '../../policy/origin-rules.js';
import { createPolicy } from '../../policy/policy.js';
import type { CorsOptions, OriginFunction, OriginRule } from '../../policy/types.js';
import { mergeVary } from '../../policy/vary.js';
import { warnWiderThanPlugin, writeCors } from '../core/index.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions };

/** What the middleware needs of Koa's context (Koa 2 and 3 alike). */
export interface KoaContext {
  method: string;
  url: string;
  path: string;
  status: number;
  body: unknown;
  get(field: string): string;
  set(field: string, value: string): void;
  /** node's response, whose getHeader reads one header (Koa's response.get copies them all first). */
  readonly res: { getHeader(name: string): string | string[] | number | undefined };
}

/** @koa/cors 5's default `allowMethods`, in its order. */
export const KOA_DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH';

type Awaitable<T> = T | PromiseLike<T>;

/**
 * @koa/cors's `origin(ctx)`: answers the Access-Control-Allow-Origin value (the request's origin or
 * `'*'`), or a falsy value to leave the request alone. Any function given to corsica/koa is taken in
 * this form. (Declared as a method so that a function typed `(ctx: Koa.Context) => …` fits.)
 */
export type KoaOriginFunction = {
  origin(ctx: KoaContext): Awaitable<string | false | null | undefined>;
}['origin'];

/** @koa/cors's `credentials(ctx)`: true sends Access-Control-Allow-Credentials. */
export type KoaCredentialsFunction = {
  credentials(ctx: KoaContext): Awaitable<boolean>;
}['credentials'];

export interface KoaCorsOptions extends Omit<CorsOptions, 'origin' | 'credentials'> {
  /** @koa/cors: a string or `(ctx) => string | false`. corsica adds lists, patterns and RegExps. Default `'*'`. */
  origin?: boolean | '*' | OriginRule | readonly OriginRule[] | KoaOriginFunction;
  credentials?: boolean | KoaCredentialsFunction;
  /** Default `GET,HEAD,PUT,POST,DELETE,PATCH`; null or empty sends no Access-Control-Allow-Methods. */
  allowMethods?: string | readonly string[] | null;
  /** Unset or empty: reflect the preflight's requested headers. */
  allowHeaders?: string | readonly string[] | null;
  exposeHeaders?: string | readonly string[] | null;
  privateNetworkAccess?: boolean;
  /** Put the CORS headers on error responses too (default true). */
  keepHeadersOnError?: boolean;
  /** Send `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`. */
  secureContext?: boolean;
}

/** @koa/cors joins arrays, then treats an empty value as unset. */
const isSet = (value: string | readonly string[] | null | undefined): boolean =>
  Array.isArray(value) ? value.join(',') !== '' : Boolean(value);

/** @koa/cors's origin function as a corsica origin function: same argument, same outcome. */
function fromKoaOrigin(fn: KoaOriginFunction): OriginFunction {
  return withRequest<KoaContext>(async (origin, ctx) => {
    const answer: unknown = await fn(ctx);
    if (!answer) return false;
    if (typeof answer !== 'string') {
      throw new TypeError(
        `corsica/koa: the origin function answered ${describeValue(answer)}. As in @koa/cors, origin(ctx) answers the Access-Control-Allow-Origin value (ctx.get('Origin') or '*'), or false.`,
      );
    }
    // @koa/cors sends any other string as the header value, which browsers refuse unless it is the
    // request's origin (https://fetch.spec.whatwg.org/#cors-check, step 4): corsica sends no header for it.
    return answer === '*' ? '*' : answer === origin;
  });
}

/** Maps @koa/cors's option names to corsica's; corsica's win when both are given. */
export function fromKoaOptions(options: KoaCorsOptions): CorsOptions {
  const {
    origin,
    credentials,
    maxAge,
    allowMethods,
    allowHeaders,
    exposeHeaders,
    privateNetworkAccess,
    keepHeadersOnError: _keep,
    secureContext: _secure,
    ...rest
  } = options;
  const mapped: CorsOptions = { ...rest };
  if (typeof origin === 'function') mapped.origin = fromKoaOrigin(origin as KoaOriginFunction);
  else if (origin !== undefined) mapped.origin = origin;
  // A credentials function is asked per request: cors() compiles a policy with credentials for it.
  if (credentials !== undefined && typeof credentials !== 'function') mapped.credentials = credentials;
  // @koa/cors sends no Access-Control-Max-Age for 0.
  if (maxAge !== undefined && maxAge !== 0 && maxAge !== '') mapped.maxAge = maxAge;
  if (mapped.methods === undefined) {
    // `allowMethods: null` (or empty, or given as undefined) sends none, as in @koa/cors.
    if (!('allowMethods' in options)) mapped.methods = KOA_DEFAULT_METHODS;
    else mapped.methods = isSet(allowMethods) ? (allowMethods as string | readonly string[]) : '';
  }
  if (isSet(allowHeaders) && mapped.allowedHeaders === undefined)
    mapped.allowedHeaders = allowHeaders as string | readonly string[];
  if (isSet(exposeHeaders) && mapped.exposedHeaders === undefined)
    mapped.exposedHeaders = exposeHeaders as string | readonly string[];
  if (privateNetworkAccess !== undefined && mapped.privateNetwork === undefined)
    mapped.privateNetwork = privateNetworkAccess;
  return mapped;
}

/** @koa/cors sends the origin option as the header value: a pattern, RegExp or `true` matched nothing there. */
const readHeader = (ctx: KoaContext, name: string) => ctx.get(name) || undefined;

const NO_HEADERS: readonly string[] = [];
const SECURE_CONTEXT = [
  'Cross-Origin-Opener-Policy',
  'same-origin',
  'Cross-Origin-Embedder-Policy',
  'require-corp',
] as const;

/** A list of several exact origins: @koa/cors sends them all in one header, which browsers refuse. */
function originList(origin: unknown): string[] {
  return Array.isArray(origin) && origin.length > 1
    ? [`[${origin.map((o) => `'${String(o)}'`).join(', ')}]`]
    : [];
}

/** `credentials(ctx)`; what it throws becomes an Error (Koa ignores a thrown `null`, and the request would hang). */
async function askCredentials(fn: KoaCredentialsFunction, ctx: KoaContext): Promise<unknown> {
  try {
    return await fn(ctx);
  } catch (err) {
    throw asError(err, 'the credentials function');
  }
}

const setHeader = (ctx: KoaContext, name: string, value: string) => ctx.set(name, value);
const currentVary = (ctx: KoaContext) => ctx.res.getHeader('vary');

/**
 * Koa middleware with @koa/cors's option names and meanings (`origin(ctx)`, `credentials(ctx)`,
 * `allowMethods`, `keepHeadersOnError`, `secureContext`...). Invalid options throw CorsConfigError.
 */
export function cors(options: KoaCorsOptions = {}) {
  const keepHeadersOnError = options.keepHeadersOnError === undefined || Boolean(options.keepHeadersOnError);
  const secureContext = Boolean(options.secureContext);
  const originFunction = typeof options.origin === 'function';
  const mapped = fromKoaOptions(options);
  const policy = createPolicy(mapped);
  const credentialsFn = typeof options.credentials === 'function' ? options.credentials : null;
  // Checked at start-up like a static `credentials: true` ('*' with credentials is refused).
  const credentialed = credentialsFn === null ? null : createPolicy({ ...mapped, credentials: true });
  warnWiderThanPlugin(
    policy,
    options.origin === true
      ? ['origin: true']
      : [...multiOriginRules(options.origin), ...originList(options.origin)],
    '@koa/cors',
    'sends it as the Access-Control-Allow-Origin value, which no browser accepts',
  );

  // A declaration, not a function expression: the build drops an expression's name, and Koa's
  // debug output names a middleware by it.
  async function corsica(ctx: KoaContext, next: () => Promise<unknown>): Promise<void> {
    const origin = ctx.get('Origin') || undefined;
    const chosen =
      credentialed !== null && origin !== undefined && (await askCredentials(credentialsFn!, ctx)) === true
        ? credentialed
        : policy;
    const decided = chosen.decideFor(ctx.method, origin, ctx, readHeader);
    const d = decided instanceof Promise ? await decided : decided;
    // @koa/cors gives an OPTIONS request without Access-Control-Request-Method no CORS header.
    const plainOptions = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') === '';
    let headers = plainOptions ? NO_HEADERS : d.headers;
    // @koa/cors sets COOP/COEP wherever it answers CORS: not where its origin function said no.
    if (secureContext && !plainOptions && !(originFunction && d.reason === 'origin-not-allowed'))
      headers = [...headers, ...SECURE_CONTEXT];
    writeCors(ctx, setHeader, currentVary, headers, d.vary);
    if (d.kind === 'preflight' && d.status !== 0) {
      ctx.status = d.status;
      // An explicit null body: Koa answers with nothing rather than the status text.
      ctx.body = null;
      return;
    }
    const written = d.vary === null ? undefined : currentVary(ctx);
    try {
      await next();
      // The app may have set Vary after us: merge the CORS names in again (only if it changed).
      if (d.vary !== null) {
        const now = currentVary(ctx);
        if (now !== written) {
          const merged = mergeVary(now, d.vary);
          if (merged !== null) ctx.set('Vary', merged);
        }
      }
    } catch (err) {
      // Koa's error handler answers with err.headers and drops what was set before.
      if (keepHeadersOnError && !plainOptions && err !== null && typeof err === 'object') {
        const errHeaders: Record<string, string> = {
          ...((err as { headers?: Record<string, string> }).headers ?? {}),
        };
        for (let i = 0; i < headers.length; i += 2) errHeaders[headers[i]!] = headers[i + 1]!;
        if (d.vary !== null) {
          const key = Object.keys(errHeaders).find((name) => name.toLowerCase() === 'vary') ?? 'Vary';
          errHeaders[key] = mergeVary(errHeaders[key], d.vary) ?? errHeaders[key]!;
        }
        (err as { headers?: Record<string, string> }).headers = errHeaders;
      }
      throw err;
    }
  }
  return corsica;
}

export default cors;
