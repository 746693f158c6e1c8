// The options of `createProxy` and `corsica proxy`, as users write them (camelCase keys of a config
// file, `CORSICA_*` variables and flags all end up here); src/proxy/options.ts validates them.

import type { Resolver } from './addresses.js';

export interface ProxyOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port to listen on (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** Origins whose pages may use the proxy: exact origins or corsica patterns (default: any, '*'). */
  readonly allowOrigin?: readonly string[];
  /** Origins refused even when allowOrigin would let them in. */
  readonly denyOrigin?: readonly string[];
  /** Target host patterns served (default: any public host). */
  readonly allowTarget?: readonly string[];
  /** Target host patterns never served. */
  readonly denyTarget?: readonly string[];
  /** Private addresses the proxy may reach after all: host[:port], [ipv6][:port] or CIDR. */
  readonly allowPrivateTarget?: readonly string[];
  /**
   * Request headers of which every proxied request must carry at least one, as cors-anywhere's
   * `requireHeader` (default ['origin']: pages, not scripts).
   */
  readonly requireHeader?: readonly string[];
  /** `<n>/<window>` per client address, e.g. '600/1m'; 'off' to disable (default '600/1m'). */
  readonly rateLimit?: string;
  /**
   * A second, narrower limit per client address and Origin, on top of the per-address one (e.g.
   * '100/1m'). An Origin can only narrow a client's share, never give it a new one.
   */
  readonly rateLimitByOrigin?: string;
  /** Trust X-Forwarded-For from this many proxies in front (default 0: use the socket's address). */
  readonly trustProxy?: number;
  /**
   * IPv6 clients count by this many leading bits of their address in rate limits and connection
   * caps (default 64: one subscriber's network); 128 counts each address alone.
   */
  readonly ipv6Prefix?: number;
  /** Redis URL: rate limits shared by every proxy instance. */
  readonly redis?: string;
  /**
   * Largest request body forwarded (default 10 MiB). Bodies are read whole before an upstream
   * connection is taken, so that a slow uploader never holds one.
   */
  readonly maxRequestBytes?: number;
  /**
   * Memory for request bodies being read, all requests together (default 128 MiB); an upload that
   * would pass it is answered 503. At least maxRequestBytes.
   */
  readonly maxBufferedBytes?: number;
  /** Largest response body forwarded (default 100 MiB); longer ones are cut. */
  readonly maxResponseBytes?: number;
  /**
   * Milliseconds any wait may last (default 30000): connecting, the response headers, a pause in
   * either body, a client that stops reading.
   */
  readonly timeout?: number;
  /** Milliseconds a whole exchange may last, redirects included (default 300000). */
  readonly maxDuration?: number;
  /**
   * The proxy's public base URL (`https://cors.example.com/`), for rewriting redirects; by default
   * it comes from the request's Host (and X-Forwarded-Proto/-Host behind `trustProxy` proxies).
   */
  readonly publicUrl?: string;
  /** Redirects followed on the server (default 0: handed back, rewritten through the proxy). */
  readonly maxRedirects?: number;
  /**
   * Target host patterns for which Cookie and Set-Cookie pass through, and whose answers carry
   * `Access-Control-Allow-Credentials: true` for the allowOrigin origins (default none; needs
   * allowOrigin). A request with a Cookie header to any other target is refused.
   */
  readonly cookies?: readonly string[];
  /** Upstream connections per target origin (default 128). */
  readonly maxConnections?: number;
  /** Open connections to the proxy per client address, on the proxy's own listener (default 64; 0: no cap). */
  readonly maxClientConnections?: number;
  /** Seconds browsers may cache the proxy's preflight answers (default 600). */
  readonly corsMaxAge?: number;
  /** Extra certificate authorities (PEM) trusted for HTTPS targets, besides the system's. */
  readonly upstreamCa?: readonly string[];
  /** For tests and special deployments: how target names are resolved. */
  readonly resolver?: Resolver;
}
