// Gallery servers (gallery.ts) that trust an origin they should not: each is found exploitable,
// with its class and the probe origin that proves it.

import koaCors from '@koa/cors';
import cors from 'cors';
import { cors as honoCors } from 'hono/cors';
import { cors as corsica } from '../../src/adapters/node/index.js';
import {
  expressServer,
  type Flawed,
  fastifyServer,
  grantWithCredentials,
  honoServer,
  items,
  koaServer,
  nodeServer,
  origin,
  SITE,
} from './gallery-servers.js';

export const FLAWED_TRUST: readonly Flawed[] = [
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
          grantWithCredentials(req, res);
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
          grantWithCredentials(req, res);
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
          grantWithCredentials(req, res);
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
            origin: (o, cb) => cb(null, (o ?? '').startsWith('https://www.example.com')),
          }),
        );
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
          grantWithCredentials(req, res);
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
          grantWithCredentials(req, res);
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
  // Found by a red-team round: lists whose entry is misspelled never echo the site, so
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
