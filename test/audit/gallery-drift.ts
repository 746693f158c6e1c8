// Gallery servers (gallery.ts) that drift from the policy they are meant to follow (--policy):
// found only by comparing their answers with the policy's.

import cors from 'cors';
import { cors as corsica } from '../../src/adapters/node/index.js';
import { expressServer, type Flawed, items, nodeServer, SITE } from './gallery-servers.js';

export const FLAWED_DRIFT: readonly Flawed[] = [
  {
    name: 'corsica/node with origin [site], behind a gateway that sets Access-Control-Allow-Origin: * on every answer',
    expected: 'policy-drift-allows-more',
    severity: 'exploitable',
    proof: 'https://corsica-attacker.net',
    policy: { origin: [SITE] },
    start: () => {
      const middleware = corsica({ origin: [SITE] });
      return nodeServer((req, res) => {
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
        res.writeHead = ((...args: unknown[]) => {
          res.setHeader('Access-Control-Allow-Origin', '*');
          return writeHead(...args);
        }) as typeof res.writeHead;
        middleware(req, res, () => res.end('{}'));
      });
    },
  },
  {
    name: 'Express + cors: a deploy runs older options (GET, POST) than the policy (GET, POST, PUT)',
    expected: 'policy-drift-allows-less',
    severity: 'broken',
    proof: SITE,
    policy: { origin: [SITE], methods: ['GET', 'POST', 'PUT'] },
    start: () =>
      expressServer((app) => {
        app.use(cors({ origin: [SITE], methods: ['GET', 'POST'] }));
        app.get('/api/items', items);
      }),
  },
  {
    name: 'corsica/node with two front-ends, behind a CDN that strips Vary',
    expected: 'policy-drift-vary-stripped',
    severity: 'broken',
    proof: SITE,
    policy: { origin: [SITE, 'https://admin.example.com'] },
    start: () => {
      const middleware = corsica({ origin: [SITE, 'https://admin.example.com'] });
      return nodeServer((req, res) => {
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
        res.writeHead = ((...args: unknown[]) => {
          res.removeHeader('Vary');
          return writeHead(...args);
        }) as typeof res.writeHead;
        middleware(req, res, () => res.end('{}'));
      });
    },
  },
];
