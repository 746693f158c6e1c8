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
import type { Socket } from 'node:net';
import { lintOptions } from '../policy/index.js';
import { nodeHeader } from '../policy/node-header.js';
import { createPolicy, type Policy } from '../policy/policy.js';
import { CorsConfigError, formatProblem } from '../policy/problems.js';
import type { Decision, DenialReason } from '../policy/types.js';
import { bareHost } from './addresses.js';
import { addressBucket, clientAddress, publicBaseOf } from './client.js';
import { localEndpoints } from './endpoints.js';
import { Deadlines, type ForwardContext, forward } from './forward.js';
import { createLimiter, type Limiter } from './limits.js';
import { createMetrics } from './metrics.js';
import {
  ProxyConfigError,
  type ProxyOptions,
  type ResolvedProxyConfig,
  resolveProxyOptions,
} from './options.js';
import {
  credentialsRefused,
  limiterUnavailable,
  missingHeader,
  originDenied,
  originNotAllowed,
  originRequired,
  type Refusal,
  rateLimited,
  requestTooLarge,
  sendRefusal,
  tooManyConnections,
} from './refusals.js';
import { notATarget, targetOf } from './target.js';
import { createUpstream, type Upstream } from './upstream.js';

export { ProxyConfigError, type ProxyOptions, type ProxyProblem } from './options.js';
export type { Refusal, RefusalRule } from './refusals.js';

export interface Proxy {
  /** `(req, res)` for node:http (or anything that hands over node's request and response). */
  readonly handler: RequestListener;
  /** Starts a server; resolves to its base URL (`http://127.0.0.1:8080/`). */
  listen(port?: number, host?: string): Promise<{ url: string; server: Server }>;
  /** Stops the server (if listening), the upstream pools and the rate limiter. */
  close(): Promise<void>;
  /** @internal The validated options (the command line prints them; not in the published types). */
  readonly config: ResolvedProxyConfig;
}

/** The policy's reasons that are about the page's origin (the others are about methods and headers). */
const ORIGIN_REFUSALS: ReadonlySet<DenialReason> = new Set<DenialReason>([
  'malformed-origin',
  'null-origin',
  'origin-not-allowed',
]);

/**
 * The options, validated, and the CORS policy of the proxy's own answers: every problem at once.
 * With --cookies the policy sends the exact origin and Access-Control-Allow-Credentials (a page
 * reads a credentialed answer only then); requests with cookies to other targets are refused, so
 * no answer it makes readable was produced with the user's credentials. Warnings about the origins
 * (a pattern above a public suffix...) are emitted under allowOrigin's name.
 */
function configure(options: ProxyOptions): { config: ResolvedProxyConfig; cors: Policy } {
  const { config, problems } = resolveProxyOptions(options);
  const base = {
    ...(config?.cors ?? { origin: options.allowOrigin as string[] }),
    credentials: (config?.cookies.length ?? 0) > 0,
  };
  let cors: Policy | null = null;
  try {
    cors = createPolicy({ ...base, silence: true });
  } catch (err) {
    if (!(err instanceof CorsConfigError)) throw err;
    for (const p of err.problems)
      if (p.severity === 'error')
        problems.push({ code: p.code, path: `allowOrigin (${p.path})`, message: p.message, fix: p.fix });
  }
  if (config === null || cors === null || problems.length > 0) throw new ProxyConfigError(problems);
  // The proxy has no `silence` option: its warnings say only what and how to fix it.
  for (const p of lintOptions(base))
    if (p.severity === 'warning')
      process.emitWarning(formatProblem({ ...p, path: `allowOrigin (${p.path})` }), {
        type: 'CorsicaWarning',
        code: p.code,
      });
  return { config, cors };
}

/** Set on a connection past --max-client-connections: it gets one answer, then closes. */
const OVER_CAP = Symbol('corsica.overCap');
type CappedSocket = Socket & { [OVER_CAP]?: true };

/** The running parts of one proxy: its config, policy, upstream, limiter and metrics. */
class CorsProxy implements Proxy {
  readonly config: ResolvedProxyConfig;
  private readonly cors: Policy;
  private readonly upstream: Upstream;
  private readonly limiter: Limiter | null;
  private readonly metrics = createMetrics();
  private readonly deadlines: Deadlines;
  private readonly forwardContext: ForwardContext;
  private readonly localEndpoint: ReturnType<typeof localEndpoints>;
  private server: Server | null = null;
  private listenBase: string;

  constructor(options: ProxyOptions) {
    ({ config: this.config, cors: this.cors } = configure(options));
    const config = this.config;
    this.upstream = createUpstream(config);
    this.deadlines = new Deadlines(config.maxDuration);
    this.limiter =
      config.rateLimit === null
        ? null
        : createLimiter(config.rateLimit, config.rateLimitByOrigin, config.redis);
    this.listenBase = `http://${config.host}:${config.port}/`;
    this.localEndpoint = localEndpoints(config, this.metrics, (req) => this.publicBase(req));
    // One context for every exchange: nothing in it is per request.
    this.forwardContext = {
      dispatcher: this.upstream.agent,
      maxRequestBytes: config.maxRequestBytes,
      bodies: { used: 0, max: config.maxBufferedBytes },
      maxResponseBytes: config.maxResponseBytes,
      timeout: config.timeout,
      maxDuration: config.maxDuration,
      deadlines: this.deadlines,
      cookiesFor: this.cookiesFor,
      base: (req) => this.publicBase(req),
      baseFromForwarded: config.publicUrl === null && config.trustProxy > 0,
      maxRedirects: config.maxRedirects,
      checkRedirect: this.upstream.redirectRefusal,
      metrics: this.metrics,
    };
  }

  /** The proxy's base URL as this request's client reached it (see publicBaseOf). */
  private publicBase(req: IncomingMessage): string {
    // Without a usable Host, a path-absolute Location: the browser resolves it against the URL it
    // asked, which names the proxy as the client reached it (the listen address may be 0.0.0.0).
    return this.config.publicUrl ?? publicBaseOf(req, this.config.trustProxy) ?? '/';
  }

  private readonly cookiesFor = (url: URL): boolean => {
    const cookies = this.config.cookies;
    if (cookies.length === 0) return false;
    const host = bareHost(url.hostname);
    return cookies.some((p) => 'any' in p || ('host' in p ? p.host === host : host.endsWith(p.suffix)));
  };

  private refuse(
    res: ServerResponse,
    refusal: Refusal,
    cors: readonly string[],
    extra?: Record<string, string>,
  ) {
    this.metrics.outcome(refusal.rule);
    sendRefusal(res, refusal, cors, extra);
  }

  /**
   * The CORS headers a decision earns, Vary included, written with whatever answer the request
   * gets. The policy hands out the same frozen decisions again, so the list is built once each.
   */
  private corsHeadersOf(decision: Decision): readonly string[] {
    if (decision.vary === null) return decision.headers;
    let headers = this.withVary.get(decision);
    if (headers === undefined) {
      headers = Object.freeze([...decision.headers, 'Vary', decision.vary]);
      this.withVary.set(decision, headers);
    }
    return headers;
  }

  private readonly withVary = new WeakMap<Decision, readonly string[]>();

  /** Refusals that depend on who asks: denied or unlisted origins, a missing Origin. */
  private whoRefusal(req: IncomingMessage, decision: Decision): Refusal | null {
    const origin = req.headers.origin;
    // An empty Origin is no origin: an allow-list refuses it as it refuses a missing one.
    if (origin === undefined || origin === '')
      return this.config.cors.origin === '*' ? null : originRequired();
    if (this.config.denyOrigin.has(origin)) return originDenied(origin);
    if (!decision.allowed && decision.reason !== null && ORIGIN_REFUSALS.has(decision.reason))
      return originNotAllowed(origin);
    return null;
  }

  /** Preflights are answered here and never forwarded. */
  private answerPreflight(res: ServerResponse, corsHeaders: readonly string[]): void {
    this.metrics.outcome('preflight');
    for (let i = 0; i < corsHeaders.length; i += 2) res.setHeader(corsHeaders[i]!, corsHeaders[i + 1]!);
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
  }

  /** The checks on the request itself: a required header (any one of them), the target, a declared body size. */
  private requestProblem(req: IncomingMessage, path: string): URL | Refusal {
    const { requireHeader: required, maxRequestBytes } = this.config;
    if (required.length > 0 && !required.some((name) => name in req.headers)) return missingHeader(required);
    const target = targetOf(path);
    if (!(target instanceof URL)) return { status: 400, ...target };
    const refusal = this.upstream.targetRefusal(target);
    if (refusal !== null) return refusal;
    // The browser's cookies for the proxy: the page asked with credentials: 'include'. Forwarded
    // without them, the request would still have its effects, and its answer could not be read.
    const cookie = req.headers.cookie;
    if (cookie !== undefined && cookie !== '' && !this.cookiesFor(target))
      return credentialsRefused(target.host);
    const declared = Number(req.headers['content-length'] ?? 0);
    return declared > maxRequestBytes ? requestTooLarge(maxRequestBytes, declared) : target;
  }

  private forwardTo(req: IncomingMessage, res: ServerResponse, target: URL, corsHeaders: readonly string[]) {
    forward(req, res, target, corsHeaders, this.forwardContext);
  }

  /**
   * The address is the bucket; an Origin can only narrow it (a second limit per address and Origin),
   * never open a new one: Origins are whatever the client says.
   */
  private rateLimitThenForward(
    req: IncomingMessage,
    res: ServerResponse,
    target: URL,
    cors: readonly string[],
  ) {
    const limiter = this.limiter;
    if (limiter === null) {
      this.forwardTo(req, res, target, cors);
      return;
    }
    const { trustProxy, ipv6Prefix } = this.config;
    const verdict = limiter.consume(
      addressBucket(clientAddress(req, trustProxy), ipv6Prefix),
      req.headers.origin,
    );
    const then = (wait: number | null) => {
      if (wait === null) this.forwardTo(req, res, target, cors);
      else this.refuse(res, rateLimited(wait), cors, { 'Retry-After': String(wait) });
    };
    if (verdict instanceof Promise) verdict.then(then, () => this.refuse(res, limiterUnavailable(), cors));
    else then(verdict);
  }

  /** `(req, res)`: local endpoints, then who asks, preflights, the request's checks, the rate limit. */
  readonly handler: RequestListener = (req, res) => {
    const path = req.url ?? '/';
    const query = path.indexOf('?');
    const pathOnly = query === -1 ? path : path.slice(0, query);
    // A connection past the per-address cap is answered once, then closed.
    const overCap = (req.socket as CappedSocket)[OVER_CAP] === true;
    if (overCap) res.setHeader('Connection', 'close');
    const local = this.localEndpoint(path, pathOnly);
    if (local !== null) {
      local(req, res);
      return;
    }
    const decision = this.cors.decideFor(
      req.method ?? 'GET',
      req.headers.origin,
      req,
      nodeHeader,
    ) as Decision;
    const corsHeaders = this.corsHeadersOf(decision);
    if (pathOnly === '/favicon.ico' || pathOnly === '/robots.txt') {
      // What browsers and crawlers ask a host for; `favicon.ico` is no target (cors-anywhere: 404).
      this.refuse(res, { status: 404, ...notATarget(pathOnly) }, corsHeaders);
      return;
    }
    const who = this.whoRefusal(req, decision);
    if (who !== null) this.refuse(res, who, []);
    else if (decision.kind === 'preflight') this.answerPreflight(res, corsHeaders);
    else if (overCap)
      this.refuse(res, tooManyConnections(this.config.maxClientConnections), corsHeaders, {
        'Retry-After': '1',
      });
    else {
      const target = this.requestProblem(req, path);
      if (target instanceof URL) this.rateLimitThenForward(req, res, target, corsHeaders);
      else
        this.refuse(
          res,
          target,
          target.rule === 'credentials-refused' ? readable(req, corsHeaders) : corsHeaders,
        );
    }
  };

  /**
   * The proxy's own listener, with its waits bounded like the upstream's (slowloris): request
   * headers within --timeout, the whole request within --max-duration, checked every second, and
   * at most --max-client-connections open connections per client address.
   */
  private createServer(): Server {
    const { timeout, maxDuration, maxClientConnections, trustProxy, ipv6Prefix } = this.config;
    const server = createServer(
      {
        headersTimeout: Math.min(timeout, maxDuration),
        requestTimeout: maxDuration,
        connectionsCheckingInterval: Math.min(1000, timeout),
      },
      this.handler,
    );
    // Behind trusted proxies every connection comes from them: the cap is theirs to apply.
    if (maxClientConnections > 0 && trustProxy === 0) {
      const open = new Map<string, number>();
      server.on('connection', (socket: CappedSocket) => {
        const key = addressBucket(socket.remoteAddress ?? '', ipv6Prefix);
        const count = (open.get(key) ?? 0) + 1;
        // Past the cap a connection is answered 503 (readable, with Retry-After) and closed; past
        // twice the cap it is closed at once, so that no address holds more than that.
        if (count > 2 * maxClientConnections) {
          socket.destroy();
          return;
        }
        if (count > maxClientConnections) socket[OVER_CAP] = true;
        open.set(key, count);
        socket.once('close', () => {
          const left = (open.get(key) ?? 1) - 1;
          if (left === 0) open.delete(key);
          else open.set(key, left);
        });
      });
    }
    return server;
  }

  async listen(port = this.config.port, host = this.config.host): Promise<{ url: string; server: Server }> {
    // With Redis, serve once the shared counts are reachable (or after 2 s, on local counts).
    await this.limiter?.ready(2000);
    const server = this.createServer();
    this.server = server;
    server.listen(port, host);
    await once(server, 'listening');
    const address = server.address();
    const actual = typeof address === 'object' && address !== null ? address.port : port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    this.listenBase = `http://${shownHost}:${actual}/`;
    return { url: this.listenBase, server };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.upstream.agent.close();
    await this.limiter?.close();
  }
}

/**
 * The CORS headers of a refusal to a credentialed request, so that the page can read why: the
 * exact origin with credentials (the refusal says nothing a stranger may not know).
 */
function readable(req: IncomingMessage, cors: readonly string[]): readonly string[] {
  const origin = req.headers.origin;
  if (origin === undefined) return cors;
  return [
    'Access-Control-Allow-Origin',
    origin,
    'Access-Control-Allow-Credentials',
    'true',
    'Vary',
    'Origin',
  ];
}

/** Creates the proxy; throws ProxyConfigError listing every problem in `options`. */
export function createProxy(options: ProxyOptions = {}): Proxy {
  return new CorsProxy(options);
}
