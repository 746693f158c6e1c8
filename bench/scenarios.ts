// The configurations, requests and hand-written "floor" middlewares the benchmarks share.
//
// A floor is the least a correct middleware can do for one configuration, written by hand: a Set
// lookup and constant header values, no parsing, no option handling. It must answer exactly as
// corsica does (the benchmarks assert it before timing), so that "corsica / floor" is the price of
// corsica's generality and nothing else.

import cors, { type CorsOptions as CorsPackageOptions } from 'cors';
import type { CorsOptions } from 'corsica';
import type { Middleware, RequestSpec } from './harness.js';

/** The `cors` package with the same options (the configurations here use only its vocabulary). */
export function corsPackage(options: CorsOptions | undefined): Middleware {
  return cors(options as CorsPackageOptions | undefined) as unknown as Middleware;
}

export const ALLOWED_ORIGINS = [
  'https://app.example.com',
  'https://admin.example.com',
  'https://www.example.com',
  'https://partner.example.org',
  'http://localhost:3000',
];

/** A typical production configuration: a list of origins, credentials, fixed lists, max-age. */
export const LIST_CONFIG: CorsOptions = {
  origin: ALLOWED_ORIGINS,
  credentials: true,
  methods: 'GET,POST,PUT,DELETE',
  allowedHeaders: ['Content-Type', 'X-Api-Key'],
  maxAge: 600,
  exposedHeaders: ['X-Total-Count'],
};

/**
 * What a small app configures: its pages' origins, with cookies. The load-time and edge-size
 * benchmarks make the middleware with it (as JSON in the scripts they generate).
 */
export const PAGES_CONFIG = {
  origin: ['https://app.example.com', 'https://admin.example.com'],
  credentials: true,
} satisfies CorsOptions;

export const ALLOWED_ORIGIN = 'https://admin.example.com';
export const DENIED_ORIGIN = 'https://evil.example.net';

export const REQUESTS = {
  simple: { method: 'GET', headers: { host: 'api.example.com', origin: ALLOWED_ORIGIN } },
  preflight: {
    method: 'OPTIONS',
    headers: {
      host: 'api.example.com',
      origin: ALLOWED_ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,x-api-key',
    },
  },
  denied: { method: 'GET', headers: { host: 'api.example.com', origin: DENIED_ORIGIN } },
  'no origin': { method: 'GET', headers: { host: 'api.example.com' } },
} satisfies Record<string, RequestSpec>;

export type RequestName = keyof typeof REQUESTS;

/** Appends a field name to the response's Vary, as a correct middleware must (never clobbers it). */
function appendVary(res: Parameters<Middleware>[1], name: string): void {
  const existing = res.getHeader('Vary');
  res.setHeader('Vary', existing === undefined ? name : `${String(existing)}, ${name}`);
}

/** The floor for LIST_CONFIG. */
export function listFloor(): Middleware {
  const allowed = new Set(ALLOWED_ORIGINS);
  return function listFloor(req, res, next) {
    const headers = req.headers;
    const origin = headers.origin;
    const preflight =
      req.method === 'OPTIONS' &&
      origin !== undefined &&
      headers['access-control-request-method'] !== undefined;
    if (origin !== undefined && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (preflight) {
        res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,DELETE');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type,X-Api-Key');
        res.setHeader('Access-Control-Max-Age', '600');
      } else {
        res.setHeader('Access-Control-Expose-Headers', 'X-Total-Count');
      }
    }
    appendVary(res, 'Origin');
    if (preflight) {
      res.statusCode = 204;
      res.setHeader('Content-Length', '0');
      res.end();
    } else if (next !== undefined) {
      next();
    }
  };
}

/** The floor for the defaults (`origin: '*'`, request headers reflected verbatim). */
export function defaultFloor(): Middleware {
  return function defaultFloor(req, res, next) {
    const headers = req.headers;
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (
      req.method === 'OPTIONS' &&
      headers.origin !== undefined &&
      headers['access-control-request-method'] !== undefined
    ) {
      res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
      const requested = headers['access-control-request-headers'];
      if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
      appendVary(res, 'Access-Control-Request-Headers');
      res.statusCode = 204;
      res.setHeader('Content-Length', '0');
      res.end();
    } else if (next !== undefined) {
      next();
    }
  };
}

export interface Scenario {
  readonly name: string;
  /** Options for corsica and `cors` alike (undefined: the defaults). */
  readonly options: CorsOptions | undefined;
  readonly floor: () => Middleware;
  /** The requests to time, and whether the goals apply to them. */
  readonly requests: readonly { readonly name: RequestName; readonly goal: boolean }[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'list of 5 origins + credentials + fixed lists + maxAge',
    options: LIST_CONFIG,
    floor: listFloor,
    requests: [
      { name: 'simple', goal: true },
      { name: 'preflight', goal: true },
      { name: 'denied', goal: true },
      { name: 'no origin', goal: false },
    ],
  },
  {
    // Under `origin: '*'` no origin is refused, so the third case is the request without Origin.
    name: "defaults (origin '*', request headers reflected)",
    options: undefined,
    floor: defaultFloor,
    requests: [
      { name: 'simple', goal: false },
      { name: 'preflight', goal: false },
      { name: 'no origin', goal: false },
    ],
  },
];
