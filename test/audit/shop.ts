// The shop of test/fixtures/audit/openapi.yaml, served by Express as its description says, with
// one flaw: the PUT route has cors on its handler only, so its preflight gets no CORS headers.
// It records what it gets, to show what an audit sends.

import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express from 'express';
import { SITE } from './gallery.js';

export const OPENAPI = fileURLToPath(new URL('../fixtures/audit/openapi.yaml', import.meta.url));

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly asked: string | undefined;
  readonly headers: string | undefined;
}

/** The shop of the fixture: cors on /v1/items, and the PUT route with cors on its handler only. */
export function shop(seen: Seen[]) {
  const app = express();
  app.use((req, _res, next) => {
    seen.push({
      method: req.method,
      path: req.path,
      asked: req.headers['access-control-request-method'] as string | undefined,
      headers: req.headers['access-control-request-headers'] as string | undefined,
    });
    next();
  });
  app.use('/v1/items', cors({ origin: [SITE], credentials: true }));
  app.get('/v1/items', (_req, res) => res.json([]));
  app.post('/v1/items', (_req, res) => res.status(201).json({}));
  app.delete('/v1/items/:itemId', (_req, res) => res.status(204).end());
  app.put('/v1/orders/:orderId', cors({ origin: SITE }), (_req, res) => res.json({}));
  return app;
}
