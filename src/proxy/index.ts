// corsica/proxy: a CORS proxy that is safe to expose. `createProxy(options)` validates the options
// (every problem at once), then returns a request handler, `listen` and `close`.

import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { createPolicy, type Policy } from '../policy/policy.js';
import { CorsConfigError } from '../policy/problems.js';
import type { Decision } from '../policy/types.js';
import { AddressGuard, bareHost, PrivateAddressError } from './addresses.js';
import { clientAddress, publicBaseOf } from './client.js';
import { type ForwardContext, forward } from './forward.js';
import { helpPage } from './help.js';
import { createLimiter, type Limiter } from './limits.js';
import { createMetrics } from './metrics.js';
import {
  ProxyConfigError,
  type ProxyOptions,
  type ResolvedProxyConfig,
  resolveProxyOptions,
} from './options.js';
import { missingHeader, type Refusal, sendRefusal, upstreamRefusal } from './refusals.js';
import { notATarget, targetOf, targetRuleProblem } from './target.js';

export { ProxyConfigError, type ProxyOptions, type ProxyProblem, parseRateLimit } from './options.js';
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

function readHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

export function createProxy(options: ProxyOptions = {}): Proxy {
  const { config, problems } = resolveProxyOptions(options);
  let policy: Policy | null = null;
  try {
    policy = createPolicy({
      ...(config?.cors ?? { origin: options.allowOrigin as string[] }),
      silence: true,
    });
  } catch (err) {
    if (!(err instanceof CorsConfigError)) throw err;
    for (const p of err.problems)
      problems.push({ path: `allowOrigin (${p.path})`, message: p.message, fix: p.fix });
  }
  if (config === null || policy === null || problems.length > 0) throw new ProxyConfigError(problems);
  const cors = policy;

  const guard = new AddressGuard(config.privateTargets, config.resolver);
  // One connector per port: the guard's lookup needs the port to apply host:port exemptions.
  const connectors = new Map<string, buildConnector.connector>();
  const agent = new Agent({
    connections: config.maxConnections,
    headersTimeout: config.timeout,
    bodyTimeout: config.timeout,
    connect: (opts, callback) => {
      const port = opts.port || DEFAULT_PORTS[opts.protocol] || '80';
      let connector = connectors.get(port);
      if (connector === undefined) {
        connector = buildConnector({
          timeout: config.timeout,
          lookup: guard.lookupFor(port) as never,
          // The system's authorities plus the operator's: undici's default is the system's alone.
          ...(config.upstreamCa.length === 0 ? {} : { ca: [...rootCertificates, ...config.upstreamCa] }),
        });
        connectors.set(port, connector);
      }
      connector(opts, callback);
    },
  });
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

  /** The checks every hop gets: target rules, then literal addresses (names are checked when connecting). */
  function targetRefusal(url: URL): Refusal | null {
    const rule = targetRuleProblem(url, config!.allowTarget, config!.denyTarget);
    if (rule !== null) return { status: 403, ...rule };
    const host = bareHost(url.hostname);
    if (isIP(host) === 0) return null;
    // Literal addresses never change: their verdict is kept (bounded, like every per-request cache),
    // keyed by everything it depends on. `url.host` drops default ports, so https://h/ and http://h/
    // would share a verdict that an exemption for h:443 gave.
    const port = url.port || DEFAULT_PORTS[url.protocol]!;
    const key = `${url.protocol}//${host}:${port}`;
    let allowed = literalVerdicts.get(key);
    if (allowed === undefined) {
      try {
        guard.check(host, port, host);
        allowed = true;
      } catch (err) {
        if (!(err instanceof PrivateAddressError)) throw err;
        allowed = false;
      }
      if (literalVerdicts.size >= 1000) literalVerdicts.clear();
      literalVerdicts.set(key, allowed);
    }
    return allowed ? null : upstreamRefusal(new PrivateAddressError(host), url.host);
  }
  const literalVerdicts = new Map<string, boolean>();

  const cookiesFor = (url: URL) =>
    config.cookies.length > 0 &&
    config.cookies.some((p) => {
      const host = bareHost(url.hostname);
      return 'any' in p || ('host' in p ? p.host === host : host.endsWith(p.suffix));
    });

  function local(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path === '/' || path === '') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(helpPage(publicBase(req), config!));
      return true;
    }
    if (path === '/healthz') {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"status":"ok"}');
      return true;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.setHeader('Content-Type', metrics.registry.contentType);
          res.end(text);
        },
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
      return true;
    }
    return false;
  }

  function refuse(
    res: ServerResponse,
    refusal: Refusal,
    corsHeaders: readonly string[],
    extra?: Record<string, string>,
  ): void {
    metrics.outcome(refusal.rule);
    sendRefusal(res, refusal, corsHeaders, extra);
  }

  const handler: RequestListener = (req, res) => {
    const path = req.url ?? '/';
    const pathOnly = path.split('?')[0]!;
    if (!path.includes('url=') || pathOnly !== '/') {
      if (pathOnly.length <= 1 || pathOnly === '/healthz' || pathOnly === '/metrics') {
        if (local(req, res, pathOnly)) return;
      }
    }
    const origin = req.headers.origin;
    const decision = cors.decideFor(req.method ?? 'GET', origin, req, readHeader) as Decision;
    // The CORS headers this request earned, Vary included, written with whatever answer it gets.
    const corsHeaders =
      decision.vary === null ? decision.headers : [...decision.headers, 'Vary', decision.vary];

    if (pathOnly === '/favicon.ico' || pathOnly === '/robots.txt') {
      // What browsers and crawlers ask a host for; `favicon.ico` is no target (cors-anywhere: 404).
      refuse(res, { status: 404, ...notATarget(pathOnly) }, corsHeaders);
      return;
    }

    if (origin !== undefined && config.denyOrigin.has(origin)) {
      refuse(
        res,
        {
          status: 403,
          rule: 'origin-denied',
          message: `the origin ${origin} may not use this proxy`,
          fix: 'Ask the operator.',
        },
        [],
      );
      return;
    }
    if (origin === undefined && config.cors.origin !== '*') {
      // An origin allow-list is only worth something if a missing Origin is refused too.
      refuse(
        res,
        {
          status: 403,
          rule: 'origin-required',
          message: 'this proxy serves only the pages of some origins, and the request names none',
          fix: 'Call the proxy from an allowed page (browsers send Origin).',
        },
        [],
      );
      return;
    }
    if (origin !== undefined && !decision.allowed && decision.reason?.includes('origin')) {
      refuse(
        res,
        {
          status: 403,
          rule: 'origin-not-allowed',
          message: `the origin ${origin} may not use this proxy`,
          fix: `Start the proxy with --allow-origin ${origin}.`,
        },
        [],
      );
      return;
    }
    if (decision.kind === 'preflight') {
      // Preflights are answered here and never forwarded.
      metrics.outcome('preflight');
      for (let i = 0; i < corsHeaders.length; i += 2) res.setHeader(corsHeaders[i]!, corsHeaders[i + 1]!);
      res.statusCode = 204;
      res.setHeader('Content-Length', '0');
      res.end();
      return;
    }
    if (config.requireHeader.length > 0 && !config.requireHeader.some((name) => name in req.headers)) {
      refuse(res, missingHeader(config.requireHeader), corsHeaders);
      return;
    }
    const target = targetOf(path);
    if (!(target instanceof URL)) {
      refuse(res, { status: 400, ...target }, corsHeaders);
      return;
    }
    const refusal = targetRefusal(target);
    if (refusal !== null) {
      refuse(res, refusal, corsHeaders);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > config.maxRequestBytes) {
      refuse(
        res,
        {
          status: 413,
          rule: 'request-too-large',
          message: `the request body is ${declared} bytes, more than this proxy forwards (${config.maxRequestBytes})`,
          fix: 'Send a smaller body, or raise --max-request-bytes.',
        },
        corsHeaders,
      );
      return;
    }
    const go = () => {
      const stop = metrics.upstream();
      const ctx: ForwardContext = {
        dispatcher: agent,
        maxRequestBytes: config.maxRequestBytes,
        maxResponseBytes: config.maxResponseBytes,
        timeout: config.timeout,
        maxDuration: config.maxDuration,
        cookiesFor,
        base: () => publicBase(req),
        maxRedirects: config.maxRedirects,
        checkRedirect: (url) =>
          url.protocol !== 'http:' && url.protocol !== 'https:'
            ? {
                status: 502,
                rule: 'upstream-error',
                message: 'the target redirected to a non-http(s) URL',
                fix: 'Use another target.',
              }
            : targetRefusal(url),
        done: (outcome) => {
          stop();
          metrics.outcome(outcome);
        },
      };
      forward(req, res, target, corsHeaders, ctx);
    };
    if (limiter === null) {
      go();
      return;
    }
    // The address is the bucket; an Origin can only narrow it (a second limit per address and
    // Origin), never open a new one: Origins are whatever the client says.
    const address = clientAddress(req, config.trustProxy);
    limiter.consume(address, origin).then(
      (wait) => {
        if (wait === null) go();
        else {
          refuse(
            res,
            {
              status: 429,
              rule: 'rate-limited',
              message: 'too many requests from this client',
              fix: `Wait ${wait} s and try again.`,
            },
            corsHeaders,
            { 'Retry-After': String(wait) },
          );
        }
      },
      () =>
        refuse(
          res,
          {
            status: 503,
            rule: 'rate-limited',
            message: 'the rate limiter is unavailable',
            fix: 'Try again shortly.',
          },
          corsHeaders,
        ),
    );
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
      await agent.close();
      await limiter?.close();
    },
  };
}
