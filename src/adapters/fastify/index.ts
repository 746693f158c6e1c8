// corsica/fastify: a plugin for Fastify 4 and 5, `fastify.register(corsica, options)`. It applies to
// the whole instance (not encapsulated), answers preflights without the app defining OPTIONS routes,
// and lets a route override or disable CORS with `config: { cors: options | false }`.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createPolicy, type Policy } from '../../policy/policy.js';
import { policyForOptions } from '../../policy/policy-cache.js';
import type { CorsOptions, Decision } from '../../policy/types.js';
import { mergeVary } from '../../policy/vary.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions };

type Hook = 'onRequest' | 'preParsing' | 'preValidation' | 'preHandler';

export interface FastifyCorsOptions extends CorsOptions {
  /** The hook that decides (default onRequest, as @fastify/cors). */
  hook?: Hook;
  /** Register `OPTIONS *` so that preflights are answered for every route (default true). */
  preflight?: boolean;
  /** Answer OPTIONS requests that are not preflights with 400, as @fastify/cors does (default false: they reach the app). */
  strictPreflight?: boolean;
  /** Cache-Control on preflight answers: seconds, or a whole header value. */
  cacheControl?: number | string;
  /** Options per request (@fastify/cors's delegator): `(request, callback) => callback(null, options)`. */
  delegator?: (
    request: FastifyRequest,
    callback: (error: Error | null, options?: CorsOptions) => void,
  ) => void;
  /** Log level of the OPTIONS route. */
  logLevel?: string;
}

/** Where a request keeps the Vary names its decision needs, for onSend. */
const VARY = Symbol('corsica.vary');

const readHeader = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

function write(reply: FastifyReply, d: Decision): void {
  const list = d.headers;
  for (let i = 0; i < list.length; i += 2) reply.header(list[i]!, list[i + 1]!);
  if (d.vary !== null) {
    const merged = mergeVary(reply.getHeader('vary') as string | undefined, d.vary);
    if (merged !== null) reply.header('vary', merged);
  }
}

/**
 * Fastify's route context, read directly: `request.routeOptions` builds a new object on every
 * access, which shows in the benchmark. The symbol is found once; routeOptions is the fallback.
 */
let routeContext: symbol | null | undefined;

function routeCors(request: FastifyRequest): CorsOptions | false | undefined {
  if (routeContext === undefined) {
    routeContext =
      Object.getOwnPropertySymbols(request).find((s) => s.description === 'fastify.context') ?? null;
  }
  const config =
    routeContext === null
      ? (request.routeOptions as { config?: { cors?: CorsOptions | false } } | undefined)?.config
      : (request as unknown as Record<symbol, { config?: { cors?: CorsOptions | false } } | undefined>)[
          routeContext
        ]?.config;
  return config?.cors;
}

export function corsica(
  fastify: FastifyInstance,
  options: FastifyCorsOptions,
  done: (err?: Error) => void,
): void {
  const {
    hook = 'onRequest',
    preflight = true,
    strictPreflight = false,
    cacheControl,
    delegator,
    logLevel,
    ...corsOptions
  } = options;
  let base: Policy;
  try {
    base = createPolicy(corsOptions);
  } catch (err) {
    done(err as Error);
    return;
  }
  const cacheValue = typeof cacheControl === 'number' ? `max-age=${cacheControl}` : cacheControl;

  const answer = (
    request: FastifyRequest,
    reply: FastifyReply,
    policy: Policy,
    next: (err?: Error) => void,
  ): void => {
    const finish = (d: Decision) => {
      write(reply, d);
      if (d.vary !== null) (request as unknown as Record<symbol, string>)[VARY] = d.vary;
      if (d.kind === 'preflight' && d.status !== 0) {
        reply.code(d.status).header('content-length', '0');
        if (cacheValue !== undefined) reply.header('cache-control', cacheValue);
        reply.send();
        return;
      }
      if (strictPreflight && request.method === 'OPTIONS' && d.kind !== 'preflight') {
        reply.code(400).type('text/plain').send('Invalid Preflight Request');
        return;
      }
      next();
    };
    let decided: Decision | Promise<Decision>;
    try {
      decided = policy.decideFor(request.method, request.headers.origin, request, readHeader);
    } catch (err) {
      next(err as Error);
      return;
    }
    if (decided instanceof Promise) decided.then(finish, (err: Error) => next(err));
    else finish(decided);
  };

  fastify.addHook(hook, (request: FastifyRequest, reply: FastifyReply, ...rest: unknown[]) => {
    // Fastify passes (request, reply, done) or, for preParsing, (request, reply, payload, done).
    const next = rest[rest.length - 1] as (err?: Error) => void;
    const own = routeCors(request);
    if (own === false) {
      next();
      return;
    }
    if (own !== undefined) {
      answer(request, reply, policyForOptions(own), next);
      return;
    }
    if (delegator === undefined) {
      answer(request, reply, base, next);
      return;
    }
    delegator(request, (err, delegated) => {
      if (err) next(err);
      else {
        try {
          answer(request, reply, policyForOptions(delegated), next);
        } catch (configError) {
          next(configError as Error);
        }
      }
    });
  });

  // The handler may set Vary after the hook: merge the CORS names in again when the answer goes out.
  fastify.addHook(
    'onSend',
    (
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      next: (err: null, p: unknown) => void,
    ) => {
      const vary = (request as unknown as Record<symbol, string | undefined>)[VARY];
      if (vary !== undefined) {
        const merged = mergeVary(reply.getHeader('vary') as string | undefined, vary);
        if (merged !== null) reply.header('vary', merged);
      }
      next(null, payload);
    },
  );

  if (preflight) {
    // Answered by the hook; this route only exists so that every path accepts OPTIONS.
    fastify.options(
      '*',
      { schema: { hide: true } as never, ...(logLevel === undefined ? {} : { logLevel: logLevel as never }) },
      (_request, reply) => {
        reply.code(204).send();
      },
    );
  }
  done();
}

// Not encapsulated: the hooks apply to the instance it is registered on (what fastify-plugin does).
(corsica as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(corsica as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'corsica';

export default corsica;
