// The options of `createProxy` and `corsica proxy`, as users write them (camelCase keys of a config
// file, `CORSICA_*` variables and flags all end up here); src/proxy/options.ts validates them.
// Written by scripts/proxy-options.ts from src/proxy/option-table.ts: change the table, not this file.

import type { Resolver } from './addresses.js';

export interface ProxyOptions {
  /** Address to listen on. Default: `127.0.0.1`. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. A whole number, 0 to 65535. Default: `8080`. */
  readonly port?: number;
  /**
   * Origins whose pages may use the proxy, exact or patterns (`https://*.example.com`). Default:
   * any.
   */
  readonly allowOrigin?: readonly string[];
  /** Origins refused even when `allowOrigin` would let them in. */
  readonly denyOrigin?: readonly string[];
  /** Target host patterns served: `api.example.com`, `*.example.com`. Default: any public host. */
  readonly allowTarget?: readonly string[];
  /** Target host patterns never served. */
  readonly denyTarget?: readonly string[];
  /**
   * A private address the proxy may reach after all: host[:port], [ipv6][:port] or CIDR. For local
   * development.
   */
  readonly allowPrivateTarget?: readonly string[];
  /**
   * Headers of which a request must carry at least one, or 'none'. As cors-anywhere's
   * `requireHeader`: by default pages may use the proxy, not scripts. Default: `origin`.
   */
  readonly requireHeader?: readonly string[];
  /**
   * Requests per client address and window, e.g. `600/1m`, `100/30s`, or 'off'. Default: `600/1m`.
   */
  readonly rateLimit?: string;
  /**
   * A narrower limit per client address and Origin, on top of `rateLimit`, e.g. `100/1m`. An Origin
   * can only narrow a client's share, never open a new one. Default: off.
   */
  readonly rateLimitByOrigin?: string;
  /**
   * Trust X-Forwarded-For from this many proxies in front. The client address then comes from
   * X-Forwarded-For, and the address the proxy was reached at from X-Forwarded-Host and -Proto; 0
   * uses the socket's address. A whole number, 0 to 16. Default: `0`.
   */
  readonly trustProxy?: number;
  /**
   * IPv6 clients count by this many leading bits in rate limits and connection caps. One subscriber
   * holds a /64; 128 counts each address alone. A whole number, 1 to 128. Default: `64`.
   */
  readonly ipv6Prefix?: number;
  /** Share rate limits between instances through Redis (`redis://host:6379`). */
  readonly redis?: string;
  /**
   * Largest request body forwarded. A body is read whole before an upstream connection is taken, so
   * that a slow uploader never holds one. A whole number, 0 or more. Default: 10485760 = 10 MiB.
   */
  readonly maxRequestBytes?: number;
  /**
   * Memory for request bodies being read, all requests together. A body is held from its first byte
   * to the end of its answer; an upload past the budget is answered 503 `request-buffers-full`. At
   * least `maxRequestBytes`. A whole number, 0 or more. Default: 134217728 = 128 MiB.
   */
  readonly maxBufferedBytes?: number;
  /**
   * Largest response body forwarded. Longer ones are cut. A whole number, 0 or more. Default:
   * 104857600 = 100 MiB.
   */
  readonly maxResponseBytes?: number;
  /**
   * The longest any wait may last, in milliseconds. It bounds a client's request headers,
   * connecting, a free upstream connection, the response headers, a pause in the upload (then 408)
   * or in the upstream's body, a client that reads nothing (then cut), an idle upstream socket. A
   * whole number, 100 to 600000. Default: `30000`.
   */
  readonly timeout?: number;
  /**
   * The longest whole exchange, redirects included, in milliseconds. Then 504, or a cut once the
   * answer has started; also the longest a client may take to send its request. A whole number,
   * 1000 to 86400000. Default: `300000`.
   */
  readonly maxDuration?: number;
  /**
   * The proxy's address as clients use it, for redirects handed back. Without it: `Host`, and
   * `X-Forwarded-Proto`/`-Host` with `trustProxy`. Default: from Host.
   */
  readonly publicUrl?: string;
  /**
   * Redirects followed on the server; 0 hands them back, rewritten through the proxy. A whole
   * number, 0 to 20. Default: `0`.
   */
  readonly maxRedirects?: number;
  /**
   * Target host patterns for which Cookie and Set-Cookie pass, readable by the `allowOrigin` pages.
   * Their answers carry `Access-Control-Allow-Credentials: true` for those origins, so
   * `allowOrigin` is required with it; a request with cookies to any other target is refused.
   */
  readonly cookies?: readonly string[];
  /**
   * Upstream connections per target origin. A request waits for one at most `timeout`, then gets
   * 503 `upstream-busy`. A whole number, 1 to 65536. Default: `128`.
   */
  readonly maxConnections?: number;
  /**
   * Open connections to the proxy per client address; 0: no cap. Counted per `ipv6Prefix` for IPv6.
   * A connection past it gets one 503 `too-many-connections` with `Retry-After: 1` and the CORS
   * headers, then closes; one past twice it closes at once. Not applied with `trustProxy`, where
   * the proxies in front hold the connections. A whole number, 0 to 65536. Default: `64`.
   */
  readonly maxClientConnections?: number;
  /**
   * How long browsers may cache the proxy's preflight answers, in seconds. A whole number, -1 to
   * 86400. Default: `600`.
   */
  readonly corsMaxAge?: number;
  /**
   * A PEM certificate authority trusted for HTTPS targets, besides the system ones. A file on the
   * command line and in a config file; its PEM text in `createProxy`'s options. Default: system
   * authorities.
   */
  readonly upstreamCa?: readonly string[];
  /** For tests and special deployments: how target names are resolved. */
  readonly resolver?: Resolver;
}
