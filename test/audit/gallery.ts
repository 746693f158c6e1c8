// A gallery of real servers on real ports for `corsica audit`: each flawed one makes one real-world
// CORS mistake, written the way people write it (node:http by hand, Express + cors, Koa +
// @koa/cors, Fastify + @fastify/cors, Hono), and the correct ones are written the ways that are
// right. The site they all serve is https://www.example.com, as in issue 16's examples.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import { serve } from '@hono/node-server';
import koaCors from '@koa/cors';
import cors from 'cors';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import Koa from 'koa';
import { cors as corsica } from '../../src/adapters/node/index.js';
import { close, listen } from '../helpers/http.js';
import { skipNginx, startNginx } from '../helpers/nginx.js';

export const SITE = 'https://www.example.com';

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function nodeServer(handler: Handler): Promise<Running> {
  const { server, url } = await listen(handler);
  return { url: `${url}/api/items`, close: () => close(server) };
}

async function expressServer(setup: (app: express.Express) => void): Promise<Running> {
  const app = express();
  setup(app);
  return nodeServer(app as unknown as Handler);
}

async function koaServer(setup: (app: Koa) => void): Promise<Running> {
  const app = new Koa();
  app.silent = true;
  setup(app);
  app.use((ctx) => {
    ctx.body = { items: [] };
  });
  return nodeServer(app.callback());
}

async function fastifyServer(options: Record<string, unknown>): Promise<Running> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCors, options);
  app.get('/api/items', async () => ({ items: [] }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/api/items`, close: () => app.close() };
}

async function honoServer(setup: (app: Hono) => void): Promise<Running> {
  const app = new Hono();
  setup(app);
  app.get('/api/items', (c) => c.json({ items: [] }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/items`, close: () => close(server) };
}

/** A real nginx serving /api/items with `location` lines, and `maps` at http level. */
async function nginxServer(maps: readonly string[], location: readonly string[]): Promise<Running> {
  const nginx = await startNginx({
    http: maps,
    server: [
      'location /api/items {',
      ...location.map((l) => `  ${l}`),
      '  default_type application/json;',
      `  return 200 '{"items":[]}';`,
      '}',
    ],
  });
  return { url: `${nginx.url}/api/items`, close: nginx.stop };
}

/** nginx's map of allowed origins: the site's own, echoed; any other gets an empty value (no header). */
const NGINX_SITE_MAP =
  'map $http_origin $cors_origin { default ""; "https://www.example.com" $http_origin; }';

const items = (_req: unknown, res: express.Response) => res.json({ items: [] });
const origin = (req: IncomingMessage) => req.headers.origin ?? '';

/** One flawed server: the class it must be found with, and how it is written. */
export interface Flawed {
  readonly name: string;
  readonly expected: string;
  readonly severity: 'exploitable' | 'broken' | 'info';
  /** The proof origin expected, when one origin is the proof. */
  readonly proof?: string;
  /** The site's origin given to the audit (default SITE). */
  readonly site?: string;
  /** Headers given to the audit (--header). */
  readonly headers?: readonly string[];
  /** Why the server cannot run here (nginx not installed), or false. */
  readonly skip?: string | false;
  readonly start: () => Promise<Running>;
}

export const FLAWED: readonly Flawed[] = [
  {
    name: 'Express + cors: origin: true with credentials',
    expected: 'reflected-any-origin-with-credentials',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: true, credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'Koa + @koa/cors: credentials: true with the default origin (it then echoes any Origin)',
    expected: 'reflected-any-origin-with-credentials',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () => koaServer((app) => app.use(koaCors({ credentials: true }))),
  },
  {
    name: "node:http: an allow-list with 'null' for local files",
    expected: 'null-origin-trusted',
    severity: 'exploitable',
    proof: 'null',
    start: () =>
      nodeServer((req, res) => {
        if (['https://www.example.com', 'null'].includes(origin(req))) {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        res.end('{}');
      }),
  },
  {
    name: 'Koa + @koa/cors: an origin function with startsWith',
    expected: 'prefix-match',
    severity: 'exploitable',
    proof: 'https://www.example.com.corsica-attacker.net',
    start: () =>
      koaServer((app) =>
        app.use(
          koaCors({
            credentials: true,
            origin: (ctx) =>
              ctx.get('Origin').startsWith('https://www.example.com') ? ctx.get('Origin') : '',
          }),
        ),
      ),
  },
  {
    name: 'Express + cors: /example\\.com$/ (cors#408)',
    expected: 'suffix-match',
    severity: 'exploitable',
    proof: 'https://attackerexample.com',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: /example\.com$/, credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'node:http: the allowed origins as one string, checked with includes',
    expected: 'substring-match',
    severity: 'exploitable',
    proof: 'https://www.example.co',
    start: () =>
      nodeServer((req, res) => {
        const allowed = 'https://www.example.com,https://admin.example.com';
        if (origin(req) !== '' && allowed.includes(origin(req))) {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        res.end('{}');
      }),
  },
  {
    name: 'Fastify + @fastify/cors: /^https:\\/\\/www.example.com$/ (the dot unescaped)',
    expected: 'unescaped-dot',
    severity: 'exploitable',
    proof: 'https://wwwxexample.com',
    start: () => fastifyServer({ origin: /^https:\/\/www.example.com$/, credentials: true }),
  },
  {
    name: 'Hono + hono/cors: an origin function testing /example\\.com/',
    expected: 'unanchored-regexp',
    severity: 'exploitable',
    start: () =>
      honoServer((app) =>
        app.use('*', honoCors({ origin: (o) => (/example\.com/.test(o) ? o : null), credentials: true })),
      ),
  },
  {
    name: 'node:http: a RegExp that stops at the first character not allowed in hosts',
    expected: 'special-characters',
    severity: 'exploitable',
    proof: 'https://www.example.com_.corsica-attacker.net',
    start: () =>
      nodeServer((req, res) => {
        if (/^https:\/\/([a-z0-9-]+\.)*example\.com(?![a-z0-9.-])/.test(origin(req))) {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        res.end('{}');
      }),
  },
  {
    name: 'Koa + @koa/cors: every subdomain, with credentials',
    expected: 'any-subdomain-with-credentials',
    severity: 'exploitable',
    proof: 'https://corsicaprobe.example.com',
    start: () =>
      koaServer((app) =>
        app.use(
          koaCors({
            credentials: true,
            origin: (ctx) =>
              /^https:\/\/([a-z0-9-]+\.)*example\.com$/.test(ctx.get('Origin')) ? ctx.get('Origin') : '',
          }),
        ),
      ),
  },
  {
    name: 'Express + cors: the http: and https: sites both listed',
    expected: 'http-origin-trusted',
    severity: 'exploitable',
    proof: 'http://www.example.com',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: ['https://www.example.com', 'http://www.example.com'], credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'Fastify + @fastify/cors: the docs site on GitHub Pages, as /\\.github\\.io$/',
    expected: 'third-party-hosting-trusted',
    severity: 'exploitable',
    proof: 'https://corsicaprobe.github.io',
    start: () => fastifyServer({ origin: ['https://www.example.com', /\.github\.io$/], credentials: true }),
  },
  {
    name: 'node:http: nginx-style OPTIONS branch that echoes everything, strict actual answers',
    expected: 'preflight-reflects-any',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () =>
      nodeServer((req, res) => {
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Methods', req.headers['access-control-request-method'] ?? '');
          res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.statusCode = 204;
          res.end();
          return;
        }
        if (origin(req) === SITE) {
          res.setHeader('Access-Control-Allow-Origin', SITE);
          res.setHeader('Access-Control-Allow-Credentials', 'true');
        }
        res.setHeader('Vary', 'Origin');
        res.end('{}');
      }),
  },
  {
    name: "Express + cors: the production list kept 'http://localhost:3000' from development, with credentials",
    expected: 'localhost-trusted-with-credentials',
    severity: 'exploitable',
    proof: 'http://localhost:3000',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: [SITE, 'http://localhost:3000'], credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: "corsica/node: origin [site, 'http://localhost:*'] with credentials (any port)",
    expected: 'localhost-trusted-with-credentials',
    severity: 'exploitable',
    proof: 'http://localhost:3000',
    start: () => {
      const middleware = corsica({ origin: [SITE, 'http://localhost:*'], credentials: true });
      return nodeServer((req, res) => middleware(req, res, () => res.end('{}')));
    },
  },
  {
    name: 'node:http: * with credentials',
    expected: 'wildcard-with-credentials',
    severity: 'broken',
    proof: SITE,
    start: () =>
      nodeServer((_req, res) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.end('{}');
      }),
  },
  {
    name: 'node:http: several origins in one line',
    expected: 'several-origins',
    severity: 'broken',
    proof: SITE,
    start: () =>
      nodeServer((_req, res) => {
        res.setHeader('Access-Control-Allow-Origin', 'https://www.example.com, https://admin.example.com');
        res.end('{}');
      }),
  },
  {
    name: 'Express + cors behind a gateway that adds its own Access-Control-Allow-Origin line',
    expected: 'several-origins',
    severity: 'broken',
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: ['https://www.example.com'] }));
        app.use((_req, res, next) => {
          res.append('Access-Control-Allow-Origin', 'https://www.example.com');
          next();
        });
        app.get('/api/items', items);
      }),
  },
  {
    name: "Express + cors: origin: 'https://*.example.com' (sent literally)",
    expected: 'literal-wildcard-pattern',
    severity: 'broken',
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: 'https://*.example.com' }));
        app.get('/api/items', items);
      }),
  },
  {
    name: "Koa + @koa/cors: origin: 'www.example.com' (no scheme)",
    expected: 'origin-without-scheme',
    severity: 'broken',
    proof: SITE,
    start: () => koaServer((app) => app.use(koaCors({ origin: 'www.example.com' }))),
  },
  {
    name: "Express + cors: origin: 'https://www.example.com/' (trailing slash)",
    expected: 'origin-trailing-slash',
    severity: 'broken',
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: 'https://www.example.com/' }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'node:http: CORS headers in the OPTIONS branch only',
    expected: 'preflight-only-cors',
    severity: 'broken',
    proof: SITE,
    start: () =>
      nodeServer((req, res) => {
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Origin', SITE);
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
          res.statusCode = 204;
          res.end();
          return;
        }
        res.end('{}');
      }),
  },
  {
    // Found by a second, independent gallery: with the session cookie every probe passed
    // authentication, and the 401 of an expired session (no CORS headers) was never seen.
    name: 'nginx: add_header without always behind a session check, audited with the session cookie',
    expected: 'preflight-only-cors',
    severity: 'broken',
    proof: SITE,
    headers: ['Cookie: session=s3cret'],
    skip: skipNginx,
    start: () =>
      nginxServer(
        [NGINX_SITE_MAP],
        [
          'if ($request_method = OPTIONS) {',
          '  add_header Access-Control-Allow-Origin $cors_origin;',
          '  add_header Access-Control-Allow-Credentials true;',
          '  add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE";',
          '  add_header Access-Control-Allow-Headers "Content-Type, Authorization";',
          '  add_header Vary Origin;',
          '  return 204;',
          '}',
          'if ($cookie_session = "") { return 401; }',
          'add_header Access-Control-Allow-Origin $cors_origin;',
          'add_header Access-Control-Allow-Credentials true;',
          'add_header Vary Origin;',
        ],
      ),
  },
  {
    // Found by a second, independent gallery: every GET got 401 before CORS ran, and the prefix
    // hole showed only on the preflights.
    name: 'Express: authentication before cors (OPTIONS let through), cors with startsWith',
    expected: 'prefix-match',
    severity: 'exploitable',
    proof: 'https://www.example.com.corsica-attacker.net',
    start: () =>
      expressServer((app) => {
        app.use((req, res, next) => {
          if (req.method !== 'OPTIONS' && req.headers.authorization === undefined) res.status(401).end();
          else next();
        });
        app.use(
          cors({
            credentials: true,
            origin: (o, cb) => cb(null, o !== undefined && o.startsWith('https://www.example.com')),
          }),
        );
        app.get('/api/items', items);
      }),
  },
  {
    // Express answers OPTIONS itself (200, Allow: GET,HEAD,POST) without CORS headers: the POST
    // route cannot be called with JSON from the site.
    name: 'Express + cors on the GET and POST routes only (no OPTIONS route)',
    expected: 'actual-only-cors',
    severity: 'broken',
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.get('/api/items', cors({ origin: SITE }), items);
        app.post('/api/items', cors({ origin: SITE }), items);
      }),
  },
  {
    name: 'Fastify + @fastify/cors: origin: true without credentials',
    expected: 'reflected-any-origin',
    severity: 'info',
    proof: 'https://corsica-attacker.net',
    start: () => fastifyServer({ origin: true }),
  },
  {
    name: 'node:http: an exact allow-list echoed without Vary',
    expected: 'vary-origin-missing',
    severity: 'info',
    proof: SITE,
    start: () =>
      nodeServer((req, res) => {
        if (origin(req) === SITE) {
          res.setHeader('Access-Control-Allow-Origin', SITE);
          res.setHeader('Access-Control-Allow-Methods', 'GET, PUT');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        }
        res.end('{}');
      }),
  },
  {
    name: 'node:http: two front-ends echoed without Vary, on an answer marked Cache-Control: public',
    expected: 'vary-origin-missing-cached',
    severity: 'broken',
    proof: SITE,
    start: () =>
      nodeServer((req, res) => {
        if ([SITE, 'https://admin.example.com'].includes(origin(req))) {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Credentials', 'true');
        }
        res.setHeader('Cache-Control', 'public, max-age=300');
        res.end('{}');
      }),
  },
  {
    name: 'Express + cors: X-Total-Count and Link set but not exposed',
    expected: 'headers-not-exposed',
    severity: 'info',
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: [SITE] }));
        app.get('/api/items', (_req, res) => {
          res.set('X-Total-Count', '42').set('Link', '</api/items?page=2>; rel="next"');
          res.json({ items: [] });
        });
      }),
  },
  {
    name: 'Express + cors(): the public default',
    expected: 'public-wildcard',
    severity: 'info',
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.use(cors());
        app.get('/api/items', items);
      }),
  },
  // The same classes written other ways, and for other sites.
  {
    name: 'node:http: the request Origin echoed by hand, or * when there is none, with credentials',
    expected: 'reflected-any-origin-with-credentials',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () =>
      nodeServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.end('{}');
      }),
  },
  {
    name: 'node:http: any Origin echoed, with credentials, but only to requests that carry a session cookie',
    expected: 'reflected-any-origin-with-credentials',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () =>
      nodeServer((req, res) => {
        if (req.headers.cookie !== undefined && req.headers.origin !== undefined) {
          res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin, Cookie');
        }
        res.end('{}');
      }),
  },
  {
    name: "node:http: 'null' written for refused origins (so Origin: null is granted)",
    expected: 'null-origin-trusted',
    severity: 'exploitable',
    proof: 'null',
    start: () =>
      nodeServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', origin(req) === SITE ? SITE : 'null');
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Vary', 'Origin');
        res.end('{}');
      }),
  },
  {
    // Open at the end only (the scheme anchors the start): from outside, a prefix match.
    name: 'Express + cors: each allowed origin made a RegExp (new RegExp(allowed), unanchored and unescaped)',
    expected: 'prefix-match',
    severity: 'exploitable',
    proof: 'https://www.example.com.corsica-attacker.net',
    start: () =>
      expressServer((app) => {
        const allowed = [SITE, 'https://admin.example.com'];
        app.use(
          cors({
            credentials: true,
            origin: (o, cb) => cb(null, o !== undefined && allowed.some((a) => new RegExp(a).test(o))),
          }),
        );
        app.get('/api/items', items);
      }),
  },
  {
    name: 'node:http: a RegExp ending in \\b (a word boundary: } and ` pass, _ does not)',
    expected: 'special-characters',
    severity: 'exploitable',
    start: () =>
      nodeServer((req, res) => {
        if (/^https:\/\/([a-z0-9-]+\.)*example\.com\b/.test(origin(req))) {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        res.end('{}');
      }),
  },
  {
    name: "node:http: startsWith('http://localhost') for a site on localhost:3000",
    expected: 'prefix-match',
    severity: 'exploitable',
    site: 'http://localhost:3000',
    proof: 'http://localhost.corsica-attacker.net:3000',
    start: () =>
      nodeServer((req, res) => {
        if (origin(req).startsWith('http://localhost')) {
          res.setHeader('Access-Control-Allow-Origin', origin(req));
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        res.end('{}');
      }),
  },
  {
    name: "Hono + hono/cors: endsWith('app.example.com') for the site https://app.example.com",
    expected: 'suffix-match',
    severity: 'exploitable',
    site: 'https://app.example.com',
    proof: 'https://attackerapp.example.com',
    start: () =>
      honoServer((app) =>
        app.use(
          '*',
          honoCors({ origin: (o) => (o.endsWith('app.example.com') ? o : null), credentials: true }),
        ),
      ),
  },
  {
    name: 'Express: authentication before cors (preflights get 401 without CORS headers), audited with a token',
    expected: 'actual-only-cors',
    severity: 'broken',
    headers: ['Authorization: Bearer t0ken'],
    proof: SITE,
    start: () =>
      expressServer((app) => {
        app.use((req, res, next) => {
          if (req.headers.authorization === undefined) res.status(401).end();
          else next();
        });
        app.use(cors({ origin: [SITE], credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'node:http: the app and its gateway each add an origin line (two different values)',
    expected: 'several-origins',
    severity: 'broken',
    proof: SITE,
    start: () =>
      nodeServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', [origin(req) || SITE, '*']);
        res.end('{}');
      }),
  },
  // Found by a red-team round (issue 16): lists whose entry is misspelled never echo the site, so
  // only an echo of the misspelling shows how the list is written.
  {
    name: 'Express + cors: a RegExp that refuses a dot after the host, and nothing else',
    expected: 'special-characters',
    severity: 'exploitable',
    proof: 'https://www.example.com_.corsica-attacker.net',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: /^https:\/\/www\.example\.com(?!\.)/, credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'Express + cors: the allowed origin written with a trailing slash in a list',
    expected: 'origin-trailing-slash',
    severity: 'broken',
    proof: `${SITE}/`,
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: [`${SITE}/`], credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'Express + cors: origins from an environment variable without their scheme',
    expected: 'origin-without-scheme',
    severity: 'broken',
    proof: 'www.example.com',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: 'www.example.com,admin.example.com'.split(',') }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'Hono + hono/cors: a pattern in a list, compared as text',
    expected: 'literal-wildcard-pattern',
    severity: 'broken',
    proof: 'https://*.example.com',
    start: () => honoServer((app) => app.use('*', honoCors({ origin: ['https://*.example.com'] }))),
  },
  {
    name: 'node:http: GETs echo any origin without credentials, preflights echo it with credentials',
    expected: 'preflight-reflects-any',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () =>
      nodeServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', origin(req));
        res.setHeader('Vary', 'Origin');
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, DELETE');
          res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '');
          res.statusCode = 204;
        }
        res.end();
      }),
  },
  {
    name: 'Express: a server-sent-events endpoint that echoes any origin with credentials (its body never ends)',
    expected: 'reflected-any-origin-with-credentials',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: true, credentials: true }));
        app.get('/api/items', (_req, res) => {
          res.set('Content-Type', 'text/event-stream');
          res.flushHeaders();
          const timer = setInterval(() => res.write('data: x\n\n'), 200);
          res.on('close', () => clearInterval(timer));
        });
      }),
  },
];

/** Correct servers: no exploitable or broken finding allowed. */
export const CORRECT: readonly { readonly name: string; readonly start: () => Promise<Running> }[] = [
  {
    name: 'Express + cors: an exact list with credentials (Vary: Origin)',
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: [SITE, 'https://admin.example.com'], credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'node:http: one fixed origin, preflights answered',
    start: () =>
      nodeServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', SITE);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
          res.statusCode = 204;
          res.end();
          return;
        }
        res.end('{}');
      }),
  },
  {
    name: 'Fastify + @fastify/cors: an anchored, escaped RegExp',
    start: () => fastifyServer({ origin: /^https:\/\/(www|admin)\.example\.com$/, credentials: true }),
  },
  {
    name: 'Hono + hono/cors: * on a public endpoint',
    start: () => honoServer((app) => app.use('*', honoCors())),
  },
  {
    name: 'Koa + @koa/cors: an origin function over a Set',
    start: () =>
      koaServer((app) =>
        app.use(
          koaCors({
            credentials: true,
            origin: (ctx) => (new Set([SITE]).has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
          }),
        ),
      ),
  },
  // Correct servers a red-team round found called broken or exploitable (issue 16).
  {
    name: "Express + cors: cors() on one GET route, as cors's README shows (GETs need no preflight)",
    start: () =>
      expressServer((app) => {
        app.get('/api/items', cors(), items);
      }),
  },
  {
    name: 'node:http: preflights for GET and POST granted, PUT refused with 405 on purpose',
    start: () =>
      nodeServer((req, res) => {
        if (req.headers.origin === SITE) {
          res.setHeader('Access-Control-Allow-Origin', SITE);
          res.setHeader('Vary', 'Origin');
        }
        if (req.method === 'OPTIONS') {
          if (!['GET', 'POST'].includes(String(req.headers['access-control-request-method']))) {
            res.statusCode = 405;
            res.removeHeader('Access-Control-Allow-Origin');
            res.end();
            return;
          }
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
          res.statusCode = 204;
        }
        res.end('{}');
      }),
  },
  {
    name: 'Express + cors: a GET-only catalogue, cors on the route, Express answering OPTIONS itself (Allow: GET,HEAD)',
    start: () =>
      expressServer((app) => {
        app.get('/api/items', cors({ origin: SITE }), items);
      }),
  },
  {
    name: 'Express + cors: a public * GET whose preflights echo any origin without credentials',
    start: () =>
      expressServer((app) => {
        app.options('/{*any}', cors({ origin: true }));
        app.get('/api/items', cors(), items);
      }),
  },
  {
    name: 'Express + cors: an exact origin behind a rate limiter that answers 429 after 20 requests',
    start: () =>
      expressServer((app) => {
        let count = 0;
        app.use((_req, res, next) => {
          if (++count > 20) res.status(429).end();
          else next();
        });
        app.use(cors({ origin: SITE, credentials: true }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'corsica/node: origin [site] with credentials and exposed headers',
    start: () => {
      const middleware = corsica({ origin: [SITE], credentials: true, exposedHeaders: ['X-Total-Count'] });
      return nodeServer((req, res) =>
        middleware(req, res, () => {
          res.setHeader('X-Total-Count', '3');
          res.end('{}');
        }),
      );
    },
  },
];
