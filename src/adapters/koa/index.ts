// corsica/koa: middleware for Koa 2 and 3. Takes @koa/cors's option names as aliases
// (`allowMethods`, `allowHeaders`, `exposeHeaders`, `privateNetworkAccess`) and keeps CORS headers
// on error responses (@koa/cors's keepHeadersOnError), so the browser shows the real error.

import { createPolicy } from '../../policy/policy.js';
import type { CorsOptions, Decision } from '../../policy/types.js';
import { mergeVary } from '../../policy/vary.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions };

/** What the middleware needs of Koa's context (Koa 2 and 3 alike). */
export interface KoaContext {
  method: string;
  status: number;
  body: unknown;
  get(field: string): string;
  set(field: string, value: string): void;
  response: { get(field: string): string | string[] | number | undefined };
}

export interface KoaCorsOptions extends CorsOptions {
  /** @koa/cors names, mapped to corsica's. */
  allowMethods?: string | string[];
  allowHeaders?: string | string[];
  exposeHeaders?: string | string[];
  privateNetworkAccess?: boolean;
  /** Put the CORS headers on error responses too (default true). */
  keepHeadersOnError?: boolean;
}

export function fromKoaOptions(options: KoaCorsOptions): CorsOptions {
  const {
    allowMethods,
    allowHeaders,
    exposeHeaders,
    privateNetworkAccess,
    keepHeadersOnError: _keep,
    ...rest
  } = options;
  const mapped: CorsOptions = { ...rest };
  if (allowMethods !== undefined && mapped.methods === undefined) mapped.methods = allowMethods;
  if (allowHeaders !== undefined && mapped.allowedHeaders === undefined) mapped.allowedHeaders = allowHeaders;
  if (exposeHeaders !== undefined && mapped.exposedHeaders === undefined)
    mapped.exposedHeaders = exposeHeaders;
  if (privateNetworkAccess !== undefined && mapped.privateNetwork === undefined)
    mapped.privateNetwork = privateNetworkAccess;
  return mapped;
}

const readHeader = (ctx: KoaContext, name: string) => ctx.get(name) || undefined;

function write(ctx: KoaContext, d: Decision): void {
  const list = d.headers;
  for (let i = 0; i < list.length; i += 2) ctx.set(list[i]!, list[i + 1]!);
  if (d.vary !== null) {
    const merged = mergeVary(ctx.response.get('Vary') as string | undefined, d.vary);
    if (merged !== null) ctx.set('Vary', merged);
  }
}

export function cors(options: KoaCorsOptions = {}) {
  const keepHeadersOnError = options.keepHeadersOnError !== false;
  const policy = createPolicy(fromKoaOptions(options));
  return async function corsica(ctx: KoaContext, next: () => Promise<unknown>): Promise<void> {
    const decided = policy.decideFor(ctx.method, ctx.get('Origin') || undefined, ctx, readHeader);
    const d = decided instanceof Promise ? await decided : decided;
    write(ctx, d);
    if (d.kind === 'preflight' && d.status !== 0) {
      ctx.status = d.status;
      // An explicit null body: Koa answers with nothing rather than the status text.
      ctx.body = null;
      return;
    }
    const written = d.vary === null ? undefined : ctx.response.get('Vary');
    try {
      await next();
      // The app may have set Vary after us: merge the CORS names in again (only if it changed).
      if (d.vary !== null) {
        const now = ctx.response.get('Vary') as string | undefined;
        if (now !== written) {
          const merged = mergeVary(now, d.vary);
          if (merged !== null) ctx.set('Vary', merged);
        }
      }
    } catch (err) {
      // Koa's error handler answers with err.headers and drops what was set before.
      if (keepHeadersOnError && err !== null && typeof err === 'object') {
        const headers: Record<string, string> = {
          ...((err as { headers?: Record<string, string> }).headers ?? {}),
        };
        for (let i = 0; i < d.headers.length; i += 2) headers[d.headers[i]!] = d.headers[i + 1]!;
        if (d.vary !== null) headers.Vary = mergeVary(headers.Vary, d.vary) ?? d.vary;
        (err as { headers?: Record<string, string> }).headers = headers;
      }
      throw err;
    }
  };
}

export default cors;
