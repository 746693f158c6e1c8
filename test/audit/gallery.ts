// A gallery of real servers on real ports for `corsica audit`: each flawed one makes one real-world
// CORS mistake, written the way people write it (node:http by hand, Express + cors, Koa +
// @koa/cors, Fastify + @fastify/cors, Hono, nginx), and the correct ones are written the ways
// that are right. The flawed ones live by concern in gallery-trust.ts, gallery-network.ts,
// gallery-answers.ts and gallery-drift.ts.

import koaCors from '@koa/cors';
import cors from 'cors';
import { cors as honoCors } from 'hono/cors';
import { cors as corsica } from '../../src/adapters/node/index.js';
import { FLAWED_ANSWERS } from './gallery-answers.js';
import { FLAWED_DRIFT } from './gallery-drift.js';
import { FLAWED_NETWORK } from './gallery-network.js';
import {
  expressServer,
  type Flawed,
  fastifyServer,
  honoServer,
  items,
  koaServer,
  nodeServer,
  type Running,
  SITE,
} from './gallery-servers.js';
import { FLAWED_TRUST } from './gallery-trust.js';

export { type Flawed, type Running, SITE } from './gallery-servers.js';

/** Every flawed server: the class it must be found with, and how it is written. */
export const FLAWED: readonly Flawed[] = [
  ...FLAWED_TRUST,
  ...FLAWED_NETWORK,
  ...FLAWED_ANSWERS,
  ...FLAWED_DRIFT,
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
  // Correct servers a red-team round found called broken or exploitable.
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
