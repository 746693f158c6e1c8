// Whole fetches through the model against real local servers: preflight then request, the
// preflight cache, and redirects in CORS mode (https://fetch.spec.whatwg.org/#http-redirect-fetch): the CORS check on every
// hop, a new preflight per URL, the method rewrite, the redirect taint, userinfo and the hop limit.

import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { adviceFor } from '../../src/advice/index.js';
import { type BrowserRequest, PreflightCache, simulateFetch } from '../../src/browser/index.js';
import { httpTransport } from '../../src/check/index.js';
import { close, listen } from '../helpers/http.js';

const PAGE = 'https://app.example.com';
type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A server whose routes each test sets; it records every request it gets. */
async function routedServer() {
  const routes = new Map<string, Route>();
  const log: { method: string; path: string; origin: string | undefined; contentType: string | undefined }[] =
    [];
  const { server, url } = await listen((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    log.push({
      method: req.method ?? '',
      path,
      origin: req.headers.origin,
      contentType: req.headers['content-type'],
    });
    req.resume();
    const route = routes.get(path);
    if (route === undefined) {
      res.statusCode = 404;
      res.end();
    } else route(req, res);
  });
  return { server, url, routes, log };
}

function cors(res: ServerResponse, origin = PAGE, extra: Record<string, string> = {}): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
}

const preflightOk =
  (methods: string, maxAge?: string): Route =>
  (req, res) => {
    cors(res, PAGE, {
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': 'x-a',
      ...(maxAge === undefined ? {} : { 'Access-Control-Max-Age': maxAge }),
    });
    res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
    res.end(req.method === 'OPTIONS' ? undefined : 'done');
  };

describe('simulateFetch over real HTTP', () => {
  let a: Awaited<ReturnType<typeof routedServer>>;
  let b: Awaited<ReturnType<typeof routedServer>>;
  const transport = httpTransport({ timeout: 5000, body: 'payload' });
  const servers: Server[] = [];

  before(async () => {
    a = await routedServer();
    b = await routedServer();
    // b is another origin: same address, reached as localhost.
    b = { ...b, url: b.url.replace('127.0.0.1', 'localhost') };
    servers.push(a.server, b.server);
  });
  after(async () => {
    await Promise.all(servers.map(close));
  });

  const fetchFrom = (request: Partial<BrowserRequest> & { url: string }, cache?: PreflightCache) =>
    simulateFetch({ origin: PAGE, ...request }, transport, cache === undefined ? {} : { cache });

  it('sends the preflight a browser sends, then the request', async () => {
    a.routes.set('/put', preflightOk('PUT'));
    a.log.length = 0;
    const outcome = await fetchFrom({ url: `${a.url}/put`, method: 'PUT', headers: [['X-A', '1']] });
    assert.equal(outcome.verdict, 'allowed');
    const [preflight, actual] = outcome.exchanges;
    assert.deepEqual(preflight?.request.headers, [
      ['Accept', '*/*'],
      ['Access-Control-Request-Method', 'PUT'],
      ['Access-Control-Request-Headers', 'x-a'],
      ['Origin', PAGE],
      ['Sec-Fetch-Mode', 'cors'],
    ]);
    assert.equal(preflight?.request.credentials, false, 'a preflight never carries credentials');
    assert.equal(actual?.request.method, 'PUT');
    assert.deepEqual(
      a.log.map((r) => r.method),
      ['OPTIONS', 'PUT'],
    );
  });

  it('the preflight cache: a grant stands in for its max-age, and no longer', async () => {
    let now = 0;
    const cache = new PreflightCache(() => now);
    a.routes.set('/cached', preflightOk('PUT', '600'));
    a.log.length = 0;
    const request = { url: `${a.url}/cached`, method: 'PUT', headers: [['X-A', '1']] as [string, string][] };
    await fetchFrom(request, cache);
    const second = await fetchFrom(request, cache);
    assert.equal(second.preflightCached, true);
    now += 601_000;
    await fetchFrom(request, cache);
    assert.deepEqual(
      a.log.map((r) => r.method),
      ['OPTIONS', 'PUT', 'PUT', 'OPTIONS', 'PUT'],
    );
    // A method the grant does not list needs its own preflight.
    a.log.length = 0;
    await fetchFrom({ ...request, method: 'DELETE' }, cache);
    assert.equal(a.log[0]?.method, 'OPTIONS');
  });

  it('max-age 0 is never cached, and a grant without credentials never covers a credentialed request', async () => {
    const cache = new PreflightCache();
    a.routes.set('/zero', preflightOk('PUT', '0'));
    a.log.length = 0;
    await fetchFrom({ url: `${a.url}/zero`, method: 'PUT' }, cache);
    await fetchFrom({ url: `${a.url}/zero`, method: 'PUT' }, cache);
    assert.deepEqual(
      a.log.map((r) => r.method),
      ['OPTIONS', 'PUT', 'OPTIONS', 'PUT'],
    );
    a.routes.set('/plain', preflightOk('PUT', '600'));
    await fetchFrom({ url: `${a.url}/plain`, method: 'PUT' }, cache);
    const credentialed = await fetchFrom(
      { url: `${a.url}/plain`, method: 'PUT', credentials: 'include' },
      cache,
    );
    assert.equal(credentialed.preflightCached, false);
  });

  it('a redirected preflight fails, whatever its headers say', async () => {
    a.routes.set('/moved', (req, res) => {
      cors(res);
      res.statusCode = req.method === 'OPTIONS' ? 301 : 200;
      res.setHeader('Location', '/put');
      res.end();
    });
    const outcome = await fetchFrom({ url: `${a.url}/moved`, method: 'PUT' });
    assert.equal(outcome.failure?.code, 'PreflightDisallowedRedirect');
    assert.equal(outcome.failure?.firefox, 'CORSExternalRedirectNotAllowed');
  });

  it('every redirect hop gets the CORS check', async () => {
    a.routes.set('/bare-redirect', (_req, res) => {
      res.statusCode = 302;
      res.setHeader('Location', '/final');
      res.end();
    });
    const outcome = await fetchFrom({ url: `${a.url}/bare-redirect` });
    assert.equal(outcome.failure?.code, 'MissingAllowOriginHeader');
    assert.equal(outcome.exchanges.length, 1, 'the redirect is not followed');
  });

  it('301 and 302 turn POST into GET and drop the body headers; 307 keeps the method and preflights the new URL', async () => {
    a.routes.set('/final', (req, res) => {
      cors(res, PAGE, { 'Access-Control-Allow-Methods': 'PUT' });
      res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
      res.end();
    });
    a.routes.set('/post-301', (_req, res) => {
      cors(res);
      res.statusCode = 301;
      res.setHeader('Location', '/final');
      res.end();
    });
    a.log.length = 0;
    const post = await fetchFrom({ url: `${a.url}/post-301`, method: 'POST', body: 'text' });
    assert.equal(post.verdict, 'allowed');
    assert.deepEqual(
      a.log.map((r) => `${r.method} ${r.path} ${r.contentType ?? '-'}`),
      ['POST /post-301 text/plain;charset=UTF-8', 'GET /final -'],
    );
    a.routes.set('/put-307', (req, res) => {
      cors(res, PAGE, { 'Access-Control-Allow-Methods': 'PUT' });
      res.statusCode = req.method === 'OPTIONS' ? 204 : 307;
      if (req.method !== 'OPTIONS') res.setHeader('Location', '/final');
      res.end();
    });
    a.log.length = 0;
    const put = await fetchFrom({ url: `${a.url}/put-307`, method: 'PUT' });
    assert.equal(put.verdict, 'allowed');
    assert.deepEqual(
      a.log.map((r) => `${r.method} ${r.path}`),
      ['OPTIONS /put-307', 'PUT /put-307', 'OPTIONS /final', 'PUT /final'],
    );
  });

  it('a hop from one other origin to another taints the request: Origin: null from then on', async () => {
    a.routes.set('/to-b', (_req, res) => {
      cors(res);
      res.statusCode = 302;
      res.setHeader('Location', `${b.url}/landing`);
      res.end();
    });
    b.routes.set('/landing', (_req, res) => {
      cors(res, PAGE);
      res.end('b');
    });
    b.log.length = 0;
    const outcome = await fetchFrom({ url: `${a.url}/to-b` });
    assert.equal(b.log[0]?.origin, 'null');
    assert.equal(outcome.failure?.code, 'AllowOriginMismatch');
    assert.match(
      outcome.failure?.consoleMessage ?? '',
      /\(redirected from '.*\/to-b'\) from origin 'https:\/\/app\.example\.com'/,
    );
    assert.match(adviceFor(outcome.failure!, outcome.exchanges).cause, /Origin: null/);
    b.routes.set('/landing', (_req, res) => {
      cors(res, '*');
      res.end('b');
    });
    assert.equal((await fetchFrom({ url: `${a.url}/to-b` })).verdict, 'allowed');
  });

  it('a Location with a user name or password is refused', async () => {
    a.routes.set('/userinfo', (_req, res) => {
      cors(res);
      res.statusCode = 302;
      res.setHeader('Location', `${b.url.replace('://', '://user:pw@')}/landing`);
      res.end();
    });
    const outcome = await fetchFrom({ url: `${a.url}/userinfo` });
    assert.equal(outcome.failure?.code, 'RedirectContainsCredentials');
    // Chromium 156 leaves the location out of its message; the cause names it.
    assert.equal(
      outcome.failure?.message,
      "Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
    );
    assert.match(
      adviceFor(outcome.failure!, outcome.exchanges).cause,
      /'http:\/\/user:pw@localhost:\d+\/landing'/,
    );
  });

  it('more than 20 redirects is a network error, not a CORS one', async () => {
    a.routes.set('/loop', (_req, res) => {
      cors(res);
      res.statusCode = 302;
      res.setHeader('Location', '/loop');
      res.end();
    });
    a.log.length = 0;
    const outcome = await fetchFrom({ url: `${a.url}/loop` });
    assert.equal(outcome.failure, null);
    assert.equal(outcome.typeError, 'Failed to fetch (net::ERR_TOO_MANY_REDIRECTS)');
    assert.equal(a.log.length, 21);
  });
});
