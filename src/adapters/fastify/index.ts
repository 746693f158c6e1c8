// corsica/fastify: a plugin for Fastify 4 and 5, `fastify.register(cors, options)`, a drop-in for
// @fastify/cors with its option names and meanings (see settings.ts). It applies to the whole
// instance (not encapsulated), answers preflights in its hook before any route, and lets a route
// change or disable CORS with `config: { cors: options | false }`.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemList } from '../../policy/problems.js';
import type { CorsOptions, Decision, OriginOption, OriginResult } from '../../policy/types.js';
import { mergeVary } from '../../policy/vary.js';
import { nodeHeader, writeCors } from '../core/index.js';
import { callDelegator } from './delegator.js';
import {
  compileSettings,
  type Hook,
  OriginBinder,
  type PluginOptions,
  readPluginOptions,
  type Settings,
} from './settings.js';

export { CorsConfigError } from '../../policy/problems.js';
export type { CorsOptions, Hook };

/**
 * An origin function as @fastify/cors calls it, with the Fastify instance as `this`: it calls back
 * `(err, allow)`, returns a promise, or (declaring no callback) returns its answer.
 */
export type FastifyOriginFunction = (
  this: FastifyInstance,
  origin: string | undefined,
  callback: (err: Error | null, allow?: OriginResult) => void,
) => unknown;

export interface FastifyCorsOptions extends Omit<CorsOptions, 'origin'> {
  /** As corsica's `origin`; a function is called with the Fastify instance as `this`. Default `'*'`. */
  origin?: Exclude<OriginOption, (...args: never[]) => unknown> | FastifyOriginFunction;
  /** The hook that answers (default onRequest, as @fastify/cors). */
  hook?: Hook;
  /** Answer preflights (default true). The `OPTIONS *` route is registered unless this is false. */
  preflight?: boolean;
  /** Answer an OPTIONS request that is not a preflight with 400 `Invalid Preflight Request` (default true). */
  strictPreflight?: boolean;
  /** Cache-Control on preflight answers: whole seconds (`max-age=N`) or a whole header value. */
  cacheControl?: number | string;
  /** Options per request (@fastify/cors's delegator), by callback or promise. */
  delegator?: FastifyCorsDelegator;
  /** Hide the `OPTIONS *` route from @fastify/swagger (default true). */
  hideOptionsRoute?: boolean;
  /** Log level of the `OPTIONS *` route. */
  logLevel?: string;
}

/**
 * Options per request: `(request, callback) => callback(null, options)`, or a function declaring
 * no callback that returns a promise of options (`async (request) => options`). Anything else: 500.
 */
export type FastifyCorsDelegator = (
  request: FastifyRequest,
  callback: (error: Error | null, options?: FastifyCorsOptions) => void,
) => unknown;

/** Where a reply keeps the Vary names its answer needs, for a handler that sets Vary later. */
const VARY = Symbol('corsica.vary');
/** Marks a preflight handed on (preflightContinue), which the `OPTIONS *` route answers 200. */
const PREFLIGHT = Symbol('corsica.preflight');

type Flagged = Record<symbol, unknown>;

const readHeader = nodeHeader;
/** `preflight: false`: every request is decided as an actual request. */
const readNoPreflight = (request: FastifyRequest, name: string) =>
  name === 'access-control-request-method' ? undefined : readHeader(request, name);

/**
 * Stands in for `reply.header` on a reply whose answer depends on Vary names: a handler (or a later
 * hook) that sets Vary gets the CORS names merged in rather than lost: a cache
 * that keys on a Vary without Origin serves one origin's answer to another (RFC 9110 §12.5.5).
 * An own property of that reply only, so that no onSend hook runs for every request.
 */
function headerKeepingVary(this: FastifyReply, name: string, value: unknown): FastifyReply {
  const original = (Object.getPrototypeOf(this) as FastifyReply).header;
  if (name.toLowerCase() === 'vary') {
    const names = (this as unknown as Flagged)[VARY] as string;
    value = mergeVary(value as string | string[], names) ?? value;
  }
  return original.call(this, name, value);
}

const setHeader = (reply: FastifyReply, name: string, value: string) => void reply.header(name, value);
const currentVary = (reply: FastifyReply) => reply.getHeader('vary') as string | undefined;

function write(reply: FastifyReply, d: Decision, vary: string | null): void {
  writeCors(reply, setHeader, currentVary, d.headers, vary);
}

/** The Vary names of a decision; for options chosen per request, always Origin first (@fastify/cors). */
function varyOf(d: Decision, dynamic: boolean): string | null {
  if (!dynamic) return d.vary;
  if (d.vary === null) return 'Origin';
  return d.vary.startsWith('Origin') ? d.vary : `Origin, ${d.vary}`;
}

type RouteConfig = { config?: { cors?: Record<string, unknown> | false } };

/**
 * Reads a route's `config.cors` from Fastify's route context directly: `request.routeOptions` builds
 * a new object on every access, which shows in the benchmark. The context's symbol is found on the
 * first request, per registration (two copies of Fastify have two symbols); routeOptions is the fallback.
 */
function routeCorsReader(): (request: FastifyRequest) => Record<string, unknown> | false | undefined {
  let routeContext: symbol | null | undefined;
  return (request) => {
    if (routeContext === undefined) {
      routeContext =
        Object.getOwnPropertySymbols(request).find((s) => s.description === 'fastify.context') ?? null;
    }
    const config =
      routeContext === null
        ? (request.routeOptions as RouteConfig | undefined)?.config
        : (request as unknown as Record<symbol, RouteConfig | undefined>)[routeContext]?.config;
    return config?.cors;
  };
}

/** Answers one request with its settings: preflights end here; everything else goes on. */
function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  s: Settings,
  next: (err?: Error) => void,
): void {
  const finish = (d: Decision): void => {
    const vary = varyOf(d, s.dynamic);
    write(reply, d, vary);
    if (d.kind === 'preflight' && !s.disabled) {
      if (s.cacheControl !== null) reply.header('cache-control', s.cacheControl);
      if (d.status !== 0) {
        reply.code(d.status).header('content-length', '0').send();
        return;
      }
      (request as unknown as Flagged)[PREFLIGHT] = true;
    } else if (
      s.strictPreflight &&
      s.preflight &&
      !s.disabled &&
      d.kind === 'actual' &&
      request.method === 'OPTIONS'
    ) {
      reply.code(400).type('text/plain').send('Invalid Preflight Request');
      return;
    }
    if (vary !== null) {
      (reply as unknown as Flagged)[VARY] = vary;
      (reply as unknown as { header: unknown }).header = headerKeepingVary;
    }
    next();
  };
  let decided: Decision | Promise<Decision>;
  try {
    decided = s.policy.decideFor(
      request.method,
      request.headers.origin,
      request,
      s.preflight ? readHeader : readNoPreflight,
    );
  } catch (err) {
    next(err as Error);
    return;
  }
  if (decided instanceof Promise) {
    decided.then(
      (d) => {
        try {
          finish(d);
        } catch (err) {
          next(err as Error);
        }
      },
      (err: Error) => next(err),
    );
  } else finish(decided);
}

/**
 * Preflights are answered by the hook; this route only makes every path accept OPTIONS. It answers
 * a preflight handed on (preflightContinue) 200, and anything else 404, as @fastify/cors.
 */
function addOptionsRoute(fastify: FastifyInstance, plugin: PluginOptions): void {
  fastify.options(
    '*',
    {
      schema: { hide: plugin.hideOptionsRoute } as never,
      ...(plugin.logLevel === undefined ? {} : { logLevel: plugin.logLevel as never }),
    },
    (request, reply) => {
      if ((request as unknown as Flagged)[PREFLIGHT] === true) reply.send();
      else reply.callNotFound();
    },
  );
}

/**
 * The plugin. `options` is an object, or a delegator: `register(cors, (instance) => delegator)`,
 * where Fastify calls the outer function and the plugin gets what it returns.
 */
export function cors(
  fastify: FastifyInstance,
  options: FastifyCorsOptions | FastifyCorsDelegator,
  done: (err?: Error) => void,
): void {
  const problems = new ProblemList();
  const plugin = readPluginOptions(options, problems);
  const { delegator } = plugin;
  const routeCors = routeCorsReader();
  const binder = new OriginBinder(fastify);
  const baseOptions =
    delegator === undefined ? ((options ?? {}) as Record<string, unknown>) : plugin.defaults;
  let base: Settings;
  try {
    base = compileSettings(baseOptions, binder, delegator !== undefined, problems);
  } catch (err) {
    done(err as Error);
    return;
  }

  /** A route's `config.cors` is merged over the plugin's options (@fastify/cors), compiled once. */
  const byRoute = new WeakMap<object, Settings>();
  const routeSettings = (own: Record<string, unknown>): Settings => {
    let s = byRoute.get(own);
    if (s === undefined) {
      s = compileSettings({ ...baseOptions, ...own }, binder, false);
      byRoute.set(own, s);
    }
    return s;
  };
  /** A delegator's options start from @fastify/cors's defaults and the plugin's answer settings. */
  const byDelegated = new WeakMap<object, Settings>();
  const delegatedSettings = (
    delegated: Record<string, unknown>,
    own: Record<string, unknown> | undefined,
  ) => {
    if (own !== undefined) return compileSettings({ ...plugin.defaults, ...delegated, ...own }, binder, true);
    let s = byDelegated.get(delegated);
    if (s === undefined) {
      s = compileSettings({ ...plugin.defaults, ...delegated }, binder, true);
      byDelegated.set(delegated, s);
    }
    return s;
  };

  fastify.addHook(plugin.hook, (request: FastifyRequest, reply: FastifyReply, ...rest: unknown[]) => {
    // Fastify passes (request, reply, done) or, for preParsing, (request, reply, payload, done).
    const next = rest[rest.length - 1] as (err?: Error) => void;
    const own = routeCors(request);
    if (own === false) {
      next();
      return;
    }
    if (delegator === undefined) {
      let s: Settings;
      try {
        s = own === undefined ? base : routeSettings(own);
      } catch (err) {
        next(err as Error);
        return;
      }
      answer(request, reply, s, next);
      return;
    }
    callDelegator(delegator, request, (err, delegated) => {
      if (err !== null) {
        next(err);
        return;
      }
      let s: Settings;
      try {
        s = delegatedSettings(delegated!, own);
      } catch (configError) {
        next(configError as Error);
        return;
      }
      answer(request, reply, s, next);
    });
  });

  // A route's own options fail at start-up, not on its first request.
  if (delegator === undefined) {
    fastify.addHook('onRoute', (route) => {
      const own = (route.config as { cors?: unknown } | undefined)?.cors;
      if (own !== undefined && own !== false && typeof own === 'object' && own !== null)
        routeSettings(own as Record<string, unknown>);
    });
  }

  if (base.preflight || delegator !== undefined) addOptionsRoute(fastify, plugin);
  done();
}

// Not encapsulated: the hooks apply to the instance it is registered on (what fastify-plugin does).
(cors as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(cors as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'corsica';

/** The former name of `cors`, kept as an alias. */
export const corsica = cors;

export default cors;
