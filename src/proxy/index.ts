// corsica/proxy: a CORS proxy that is safe to expose. `createProxy(options)` validates the options
// (every problem at once), then returns a request handler, `listen` and `close`. The handler is a
// row of named steps; each either answers (and the request is done) or lets the next one look.

import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createPolicy, type Policy } from '../policy/policy.js';
import { CorsConfigError } from '../policy/problems.js';
import type { Decision, DenialReason } from '../policy/types.js';
import { bareHost } from './addresses.js';
import { clientAddress, publicBaseOf } from './client.js';
import { localEndpoints } from './endpoints.js';
import { type ForwardContext, forward } from './forward.js';
import { createLimiter, type Limiter } from './limits.js';
import { createMetrics } from './metrics.js';
import {
  ProxyConfigError,
  type ProxyOptions,
  type ResolvedProxyConfig,
  resolveProxyOptions,
} from './options.js';
import {
  limiterUnavailable,
  missingHeader,
  originDenied,
  originNotAllowed,
  originRequired,
  type Refusal,
  rateLimited,
  requestTooLarge,
  sendRefusal,
} from './refusals.js';
import { notATarget, targetOf } from './target.js';
import { createUpstream } from './upstream.js';

export { ProxyConfigError, type ProxyOptions, type ProxyProblem } from './options.js';
export type { Refusal, RefusalRule } from './refusals.js';

export interface Proxy {
  /** `(req, res)` for node:http (or anything that hands over node's request and response). */
  readonly handler: RequestListener;
  /** Starts a server; resolves to its base URL (`http://127.0.0.1:8080/`). */
  listen(port?: number, host?: string): Promise<{ url: string; server: Server }>;
  /** Stops the server (if listening), the upstream pools and the rate limiter. */
  close(): Promise<void>;
  readonly config: ResolvedProxyConfig;
}

/** The policy's reasons that are about the page's origin (the others are about methods and headers). */
const ORIGIN_REFUSALS: ReadonlySet<DenialReason> = new Set<DenialReason>([
  'malformed-origin',
  'null-origin',
  'origin-not-allowed',
]);

function readHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The options, validated, and the CORS policy of the proxy's own answers: every problem at once. */
function configure(options: ProxyOptions): { config: ResolvedProxyConfig; cors: Policy } {
  const { config, problems } = resolveProxyOptions(options);
  let cors: Policy | null = null;
  try {
    cors = createPolicy({ ...(config?.cors ?? { origin: options.allowOrigin as string[] }), silence: true });
  } catch (err) {
    if (!(err instanceof CorsConfigError)) throw err;
    for (const p of err.problems)
      problems.push({ code: p.code, path: `allowOrigin (${p.path})`, message: p.message, fix: p.fix });
  }
  if (config === null || cors === null || problems.length > 0) throw new ProxyConfigError(problems);
  return { config, cors };
}

/** Creates the proxy; throws ProxyConfigError listing every problem in `options`. */
export function createProxy(options: ProxyOptions = {}): Proxy {
  const { config, cors } = configure(options);
  const upstream = createUpstream(config);
  const limiter: Limiter | null =
    config.rateLimit === null
      ? null
      : createLimiter(config.rateLimit, config.rateLimitByOrigin, config.redis);
  const metrics = createMetrics();
  let server: Server | null = null;
  let listenBase = `http://${config.host}:${config.port}/`;
  /** The proxy's base URL as this request's client reached it (see publicBaseOf). */
  const publicBase = (req: IncomingMessage) =>
    config.publicUrl ?? publicBaseOf(req, config.trustProxy) ?? listenBase;
  const localEndpoint = localEndpoints(config, metrics, publicBase);
  const cookiesFor = (url: URL) =>
    config.cookies.length > 0 &&
    config.cookies.some((p) => {
      const host = bareHost(url.hostname);
      return 'any' in p || ('host' in p ? p.host === host : host.endsWith(p.suffix));
    });

  function refuse(
    res: ServerResponse,
    refusal: Refusal,
    cors: readonly string[],
    extra?: Record<string, string>,
  ) {
    metrics.outcome(refusal.rule);
    sendRefusal(res, refusal, cors, extra);
  }

  /** Refusals that depend on who asks: denied or unlisted origins, a missing Origin or header. */
  function whoRefusal(req: IncomingMessage, decision: Decision): Refusal | null {
    const origin = req.headers.origin;
    if (origin === undefined) return config.cors.origin === '*' ? null : originRequired();
    if (config.denyOrigin.has(origin)) return originDenied(origin);
    if (!decision.allowed && decision.reason !== null && ORIGIN_REFUSALS.has(decision.reason))
      return originNotAllowed(origin);
    return null;
  }

  /** Preflights are answered here and never forwarded. */
  function answerPreflight(res: ServerResponse, corsHeaders: readonly string[]): void {
    metrics.outcome('preflight');
    for (let i = 0; i < corsHeaders.length; i += 2) res.setHeader(corsHeaders[i]!, corsHeaders[i + 1]!);
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
  }

  /** The checks on the request itself: a required header, the target, a declared body size. */
  function requestProblem(req: IncomingMessage, path: string): URL | Refusal {
    const required = config.requireHeader;
    if (required.length > 0 && !required.some((name) => name in req.headers)) return missingHeader(required);
    const target = targetOf(path);
    if (!(target instanceof URL)) return { status: 400, ...target };
    const refusal = upstream.targetRefusal(target);
    if (refusal !== null) return refusal;
    const declared = Number(req.headers['content-length'] ?? 0);
    return declared > config.maxRequestBytes ? requestTooLarge(config.maxRequestBytes, declared) : target;
  }

  function forwardTo(req: IncomingMessage, res: ServerResponse, target: URL, corsHeaders: readonly string[]) {
    const stop = metrics.upstream();
    const ctx: ForwardContext = {
      dispatcher: upstream.agent,
      maxRequestBytes: config.maxRequestBytes,
      maxResponseBytes: config.maxResponseBytes,
      timeout: config.timeout,
      maxDuration: config.maxDuration,
      cookiesFor,
      base: () => publicBase(req),
      maxRedirects: config.maxRedirects,
      checkRedirect: upstream.redirectRefusal,
      done: (outcome) => {
        stop();
        metrics.outcome(outcome);
      },
    };
    forward(req, res, target, corsHeaders, ctx);
  }

  /**
   * The address is the bucket; an Origin can only narrow it (a second limit per address and Origin),
   * never open a new one: Origins are whatever the client says.
   */
  function rateLimitThenForward(
    req: IncomingMessage,
    res: ServerResponse,
    target: URL,
    corsHeaders: readonly string[],
  ) {
    if (limiter === null) {
      forwardTo(req, res, target, corsHeaders);
      return;
    }
    limiter.consume(clientAddress(req, config.trustProxy), req.headers.origin).then(
      (wait) => {
        if (wait === null) forwardTo(req, res, target, corsHeaders);
        else refuse(res, rateLimited(wait), corsHeaders, { 'Retry-After': String(wait) });
      },
      () => refuse(res, limiterUnavailable(), corsHeaders),
    );
  }

  const handler: RequestListener = (req, res) => {
    const path = req.url ?? '/';
    const pathOnly = path.split('?')[0]!;
    const local = localEndpoint(path, pathOnly);
    if (local !== null) {
      local(req, res);
      return;
    }
    const decision = cors.decideFor(req.method ?? 'GET', req.headers.origin, req, readHeader) as Decision;
    // The CORS headers this request earned, Vary included, written with whatever answer it gets.
    const corsHeaders =
      decision.vary === null ? decision.headers : [...decision.headers, 'Vary', decision.vary];
    if (pathOnly === '/favicon.ico' || pathOnly === '/robots.txt') {
      // What browsers and crawlers ask a host for; `favicon.ico` is no target (cors-anywhere: 404).
      refuse(res, { status: 404, ...notATarget(pathOnly) }, corsHeaders);
      return;
    }
    const who = whoRefusal(req, decision);
    if (who !== null) {
      refuse(res, who, []);
      return;
    }
    if (decision.kind === 'preflight') {
      answerPreflight(res, corsHeaders);
      return;
    }
    const target = requestProblem(req, path);
    if (target instanceof URL) rateLimitThenForward(req, res, target, corsHeaders);
    else refuse(res, target, corsHeaders);
  };

  return {
    handler,
    config,
    async listen(port = config.port, host = config.host) {
      // With Redis, serve once the shared counts are reachable (or after 2 s, on local counts).
      await limiter?.ready(2000);
      server = createServer(handler);
      server.listen(port, host);
      await once(server, 'listening');
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      listenBase = `http://${shownHost}:${actual}/`;
      return { url: listenBase, server };
    },
    async close() {
      if (server !== null) {
        const s = server;
        server = null;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await upstream.agent.close();
      await limiter?.close();
    },
  };
}
