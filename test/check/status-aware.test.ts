// "No 'Access-Control-Allow-Origin' header" has four common causes that are not a missing origin
// in a list: authentication that answers before CORS (a preflight never carries
// credentials), no route for OPTIONS, an error answer without CORS headers, a redirect. Each is a
// real server written the way people get it wrong; `corsica check`'s engine must name the status
// and what it means, and never advise only "allow the origin".

import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { cors } from '../../src/adapters/node/index.js';
import { probe } from '../../src/check/index.js';
import { explainMessage } from '../../src/explain/index.js';
import { close, listen } from '../helpers/http.js';

const PAGE = 'https://app.example.com';
const corsMiddleware = cors({ origin: [PAGE], methods: 'GET,PUT', allowedHeaders: ['Content-Type'] });

/** An Express-style chain: each step may answer, or hand on. */
type Step = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
const chain =
  (...steps: Step[]) =>
  (req: IncomingMessage, res: ServerResponse) => {
    const run = (i: number): void => {
      if (i < steps.length) steps[i]!(req, res, () => run(i + 1));
    };
    run(0);
  };

/** Authentication mounted before CORS: everything without a token is a 401, preflights included. */
const authFirst: Step = (req, res, next) => {
  if (req.headers.authorization === undefined) {
    res.statusCode = 401;
    res.end('unauthorized');
  } else next();
};
const withCors: Step = (req, res, next) => corsMiddleware(req, res, next);

describe('check: the cause of a missing Access-Control-Allow-Origin names the status', () => {
  const servers: { close: () => Promise<void> }[] = [];
  const urls: Record<string, string> = {};

  before(async () => {
    const make = async (name: string, handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const { server, url } = await listen(handler);
      servers.push({ close: () => close(server) });
      urls[name] = url;
    };
    await make(
      'auth',
      chain(authFirst, withCors, (_req, res) => res.end('data')),
    );
    // CORS only on GET routes (app.get('/x', cors(), ...)): no one answers OPTIONS.
    await make('noOptionsRoute', (req, res) => {
      if (req.method === 'GET') corsMiddleware(req, res, () => res.end('data'));
      else {
        res.statusCode = 404;
        res.end('Cannot OPTIONS /x');
      }
    });
    // A handler that crashes, with an error handler that answers without the CORS headers.
    await make('crash', (_req, res) => {
      res.statusCode = 500;
      res.end('Internal Server Error');
    });
    await make('redirect', (_req, res) => {
      res.writeHead(302, { location: '/login' });
      res.end();
    });
  });
  after(async () => {
    for (const s of servers) await s.close();
  });

  it('a preflight answered 401 by auth mounted before CORS: the cause says preflights carry no credentials, the fix puts CORS first', async () => {
    const { report } = await probe(`${urls.auth}/x`, { origin: PAGE, method: 'PUT' });
    assert.equal(report.verdict, 'blocked');
    assert.equal(report.error?.code, 'PreflightMissingAllowOriginHeader');
    assert.match(report.error!.cause, /answered 401 by authentication that runs before CORS/);
    assert.match(report.error!.cause, /never carries cookies or Authorization/);
    assert.match(report.error!.fix.summary, /Run the CORS middleware before authentication/);
    assert.match(report.error!.fix.corsica, /before app\.use\(auth\)/);
    // The server's other origins are not known here: the fix adds this one, never replaces them.
    assert.match(
      report.error!.fix.corsica,
      /origin: \[\/\* any other origins you allow, \*\/ 'https:\/\/app\.example\.com'\]/,
    );
    assert.doesNotMatch(report.error!.fix.summary, /^Allow the origin/);
  });

  it('a simple request answered 401 before CORS: the browser hides the 401, and the fix is the same order', async () => {
    const { report } = await probe(`${urls.auth}/x`, { origin: PAGE });
    assert.equal(report.error?.code, 'MissingAllowOriginHeader');
    assert.match(
      report.error!.cause,
      /answered 401 without CORS headers: authentication refused it before the CORS middleware ran/,
    );
  });

  it('a preflight answered 404 (CORS only on the GET route): no route answers OPTIONS', async () => {
    const { report } = await probe(`${urls.noOptionsRoute}/x`, { origin: PAGE, method: 'PUT' });
    assert.match(report.error!.cause, /was answered 404: no route answers OPTIONS/);
    assert.match(report.error!.fix.summary, /for every route \(app-wide\)/);
  });

  it('a 500 without CORS headers: the real problem is the server error, and error answers must keep CORS headers', async () => {
    const { report } = await probe(`${urls.crash}/x`, { origin: PAGE });
    assert.match(report.error!.cause, /failed with 500, and the error answer has no CORS headers/);
    assert.match(
      report.error!.fix.summary,
      /Fix the 500 on the server, and keep CORS headers on error answers/,
    );
  });

  it('a redirect without CORS headers: CORS is checked on the redirect itself', async () => {
    const { report } = await probe(`${urls.redirect}/x`, { origin: PAGE });
    assert.match(report.error!.cause, /302 redirect without CORS headers/);
  });

  it("explain reads Firefox's status suffix the same way", () => {
    const e = explainMessage(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${urls.auth}/x. (Reason: CORS header 'Access-Control-Allow-Origin' missing). Status code: 401.`,
    );
    assert.ok(e !== null);
    assert.match(e.cause, /answered 401/);
    assert.match(e.fix!.summary, /before authentication/);
  });
});
