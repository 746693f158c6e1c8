// corsica/hono: `app.use('*', cors(options))`. Takes corsica's option names and Hono's own
// (`allowMethods`, `allowHeaders`, `exposeHeaders`) as aliases, so that a hono/cors config moves
// over unchanged.

import type { Context, MiddlewareHandler } from 'hono';
import { createPolicy } from '../../policy/policy.js';
import type { CorsOptions, Decision } from '../../policy/types.js';
import { mergeVary } from '../../policy/vary.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions };

/** corsica's options, plus hono/cors's names for the same things. */
export interface HonoCorsOptions extends Omit<CorsOptions, 'origin'> {
  origin?:
    | CorsOptions['origin']
    | ((origin: string) => string | null | undefined | Promise<string | null | undefined>);
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
}

/** Hono's names mapped to corsica's; corsica's win when both are given. */
export function fromHonoOptions(options: HonoCorsOptions): CorsOptions {
  const { allowMethods, allowHeaders, exposeHeaders, origin, ...rest } = options;
  const mapped: CorsOptions = { ...rest };
  if (allowMethods !== undefined && mapped.methods === undefined) mapped.methods = allowMethods;
  if (allowHeaders !== undefined && mapped.allowedHeaders === undefined) mapped.allowedHeaders = allowHeaders;
  if (exposeHeaders !== undefined && mapped.exposedHeaders === undefined)
    mapped.exposedHeaders = exposeHeaders;
  if (typeof origin === 'function' && origin.length <= 1) {
    // hono/cors: the function returns the origin to allow (or nothing); corsica's: true/false.
    const fn = origin as (o: string) => unknown;
    mapped.origin = async (o: string | undefined) => {
      const answer = await fn(o ?? '');
      return typeof answer === 'string' ? answer === o || answer === '*' : answer === true;
    };
  } else if (origin !== undefined) {
    mapped.origin = origin as CorsOptions['origin'];
  }
  return mapped;
}

function write(c: Context, d: Decision): void {
  const list = d.headers;
  for (let i = 0; i < list.length; i += 2) c.header(list[i]!, list[i + 1]!);
  if (d.vary !== null) {
    const merged = mergeVary(c.res.headers.get('vary'), d.vary);
    if (merged !== null) c.header('Vary', merged);
  }
}

const readHeader = (c: Context, name: string) => c.req.header(name);

export function cors(options: HonoCorsOptions = {}): MiddlewareHandler {
  const policy = createPolicy(fromHonoOptions(options));
  return async function corsica(c, next) {
    const decided = policy.decideFor(c.req.method, c.req.header('origin'), c, readHeader);
    const d = decided instanceof Promise ? await decided : decided;
    if (d.kind === 'preflight' && d.status !== 0) {
      const list = d.headers;
      for (let i = 0; i < list.length; i += 2) c.header(list[i]!, list[i + 1]!);
      if (d.vary !== null) c.header('Vary', d.vary);
      c.header('Content-Length', '0');
      return c.body(null, d.status as 204);
    }
    await next();
    // After the handler (or Hono's error handler) made the response: a 500 stays readable too.
    write(c, d);
  };
}

export default cors;
