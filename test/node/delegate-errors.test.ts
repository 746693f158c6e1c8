// An error the application throws must never vanish. With the delegate form, the
// delegate's callback runs `next()` inside corsica's own try block: an exception from a later
// handler was taken for the delegate's and dropped, and the request hung. The static form and the
// `cors` package let it reach the caller; so must the delegate form.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import express from 'express';
import cors from '../../src/adapters/node/index.js';
import { close, listen, send } from '../helpers/http.js';

const ORIGIN = 'https://app.example.com';
const delegate = cors((_req, cb) => cb(null, { origin: ORIGIN }));

describe('corsica/node: errors thrown after next() reach the caller', () => {
  it('node:http: the exception thrown by the next handler reaches the code that called the middleware', {
    timeout: 5000,
  }, async () => {
    const { server, url } = await listen(
      createServer((req, res) => {
        try {
          delegate(req, res, () => {
            throw new Error('handler failed');
          });
        } catch (err) {
          res.statusCode = 500;
          res.end(`caught: ${(err as Error).message}`);
        }
      }),
    );
    try {
      const r = await send(url, 'GET', { origin: ORIGIN });
      assert.equal(r.status, 500);
      assert.equal(r.body, 'caught: handler failed');
      assert.equal(r.headers['access-control-allow-origin'], ORIGIN);
    } finally {
      await close(server);
    }
  });

  it("Express: a route that throws after the delegate form reaches Express's error handler", {
    timeout: 5000,
  }, async () => {
    const app = express();
    app.use(delegate);
    app.get('/boom', () => {
      throw new Error('route failed');
    });
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(`error handler: ${err.message}`);
    });
    const { server, url } = await listen(createServer(app));
    try {
      const r = await send(`${url}/boom`, 'GET', { origin: ORIGIN });
      assert.equal(r.status, 500);
      assert.equal(r.body, 'error handler: route failed');
    } finally {
      await close(server);
    }
  });

  it('an exception from the delegate itself still goes to next(err)', async () => {
    const throwing = cors(() => {
      throw new Error('delegate failed');
    });
    let received: unknown;
    await new Promise<void>((resolve) => {
      throwing({ method: 'GET', headers: { origin: ORIGIN } } as never, {} as never, (err) => {
        received = err;
        resolve();
      });
    });
    assert.match(String(received), /delegate failed/);
  });
});
