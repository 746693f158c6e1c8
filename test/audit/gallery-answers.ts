// Gallery servers (gallery.ts) whose answers browsers refuse or that miss part of the protocol
// (broken), and those worth knowing about (info).

import koaCors from '@koa/cors';
import cors from 'cors';
import { cors as honoCors } from 'hono/cors';
import { skipNginx } from '../helpers/nginx.js';
import {
  expressServer,
  type Flawed,
  fastifyServer,
  honoServer,
  items,
  koaServer,
  NGINX_SITE_MAP,
  nginxServer,
  nodeServer,
  origin,
  SITE,
} from './gallery-servers.js';

export const FLAWED_ANSWERS: readonly Flawed[] = [
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
    // Found with an OpenAPI description: the PUT route has cors on its handler only, so Express
    // answers the preflight itself, without CORS headers, and the site can never send the PUT.
    name: 'Express + cors on the PUT handler only, its operation declared (PUT with JSON)',
    expected: 'declared-preflight-refused',
    severity: 'broken',
    proof: SITE,
    operations: [{ method: 'PUT', headers: [['content-type', 'application/json']] }],
    start: () =>
      expressServer((app) => {
        app.put('/api/items', cors({ origin: SITE }), items);
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
];
