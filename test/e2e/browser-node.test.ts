// What real Chromium does with corsica/node's answers. A page on http://127.0.0.1:A fetches an API on
// http://localhost:B (another origin, another site) whose middleware is corsica with one
// configuration per path; the browser must allow exactly what each configuration means to allow,
// and when it refuses, its console must say why in the words a developer will see.

import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type CorsOptions, cors } from '../../src/adapters/node/index.js';
import { chromiumSkipReason, launchChromium } from '../helpers/chromium.js';
import { close, listen } from '../helpers/http.js';

const skip = chromiumSkipReason();

/** What a fetch in the page came to. */
interface Outcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly status?: number;
  readonly body?: string;
  /** Response headers as the page can read them (null: not readable). */
  readonly readable?: Record<string, string | null>;
}

interface FetchSpec {
  readonly path: string;
  readonly init?: RequestInit;
  /** Response headers the page tries to read. */
  readonly read?: readonly string[];
}

describe('Chromium against corsica/node', { skip }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** A page on http://localhost:A: cross-origin to the API but same-site, so cookies go out. */
  let sameSitePage: Page;
  let sameSiteOrigin: string;
  let pageServer: Server;
  let apiServer: Server;
  let pageOrigin: string;
  let api: string;
  const configs = new Map<string, ReturnType<typeof cors>>();
  const preflightsSeen = new Map<string, number>();
  const consoleErrors: string[] = [];

  function configure(name: string, options: CorsOptions | undefined): void {
    configs.set(name, cors(options));
  }

  function apiHandler(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const middleware = configs.get(path.split('/')[2] ?? '');
    if (middleware === undefined) {
      res.statusCode = 404;
      res.end('no such configuration');
      return;
    }
    if (req.method === 'OPTIONS') preflightsSeen.set(path, (preflightsSeen.get(path) ?? 0) + 1);
    middleware(req, res, () => {
      res.setHeader('X-Total-Count', '42');
      res.setHeader('X-Secret', 's');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ method: req.method, cookie: req.headers.cookie ?? null }));
    });
  }

  /** Runs fetches one after another in the page (one evaluate for the whole batch). */
  async function fetchAll(specs: readonly FetchSpec[], from: Page = page): Promise<Outcome[]> {
    const requests = specs.map((s) => ({ url: `${api}${s.path}`, init: s.init ?? {}, read: s.read ?? [] }));
    return from.evaluate(async (batch) => {
      const outcomes = [];
      for (const { url, init, read } of batch) {
        try {
          const res = await fetch(url, init);
          const readable: Record<string, string | null> = {};
          for (const name of read) readable[name] = res.headers.get(name);
          outcomes.push({ ok: true, status: res.status, body: await res.text(), readable });
        } catch (err) {
          outcomes.push({ ok: false, error: String(err) });
        }
      }
      return outcomes;
    }, requests);
  }

  /** The console error Chromium printed about `path`, after "has been blocked by CORS policy: ". */
  async function blockedBecause(path: string, origin = pageOrigin): Promise<string> {
    const url = `'${api}${path}'`;
    for (let waited = 0; waited < 2000; waited += 50) {
      const line = consoleErrors.find((m) => m.includes(url) && m.includes('blocked by CORS policy'));
      if (line !== undefined) {
        assert.ok(line.includes(`from origin '${origin}'`), line);
        return line.slice(line.indexOf('blocked by CORS policy: ') + 'blocked by CORS policy: '.length);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`no CORS console error about ${url}; saw:\n${consoleErrors.join('\n')}`);
  }

  before(async () => {
    ({ server: apiServer } = await listen(apiHandler));
    const apiPort = (apiServer.address() as { port: number }).port;
    api = `http://localhost:${apiPort}`;
    let pageUrl: string;
    ({ server: pageServer, url: pageUrl } = await listen((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end('<!doctype html><title>corsica e2e</title><p>page</p>');
    }));
    pageOrigin = pageUrl;
    sameSiteOrigin = pageUrl.replace('127.0.0.1', 'localhost');

    configure('defaults', undefined);
    configure('list', { origin: ['https://other.example', pageOrigin] });
    configure('list-without-page', { origin: ['https://other.example', 'https://app.example.com'] });
    configure('port-pattern', { origin: 'http://127.0.0.1:*' });
    configure('subdomain-pattern', { origin: 'https://*.example.com' });
    configure('credentials', { origin: sameSiteOrigin, credentials: true });
    configure('no-credentials', { origin: sameSiteOrigin });
    configure('get-post', { origin: pageOrigin, methods: 'GET,POST' });
    configure('get-patch', { origin: pageOrigin, methods: 'GET,PATCH' });
    configure('get-put', { origin: pageOrigin, methods: 'GET,PUT' });
    configure('content-type-only', { origin: pageOrigin, allowedHeaders: ['Content-Type'] });
    configure('custom-allowed', { origin: pageOrigin, allowedHeaders: ['Content-Type', 'X-Custom'] });
    configure('exposed', { origin: pageOrigin, exposedHeaders: ['X-Total-Count', 'Vary'] });
    configure('max-age-600', { origin: pageOrigin, maxAge: 600 });
    configure('max-age-0', { origin: pageOrigin, maxAge: 0 });

    browser = await launchChromium();
    context = await browser.newContext();
    // A cookie for the API's host (cookies ignore ports). Chromium sends it only on same-site
    // requests, hence the second page on localhost.
    await context.addCookies([{ name: 'sid', value: 'abc', domain: 'localhost', path: '/' }]);
    page = await context.newPage();
    sameSitePage = await context.newPage();
    for (const p of [page, sameSitePage]) {
      p.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
    }
    await page.goto(`${pageOrigin}/`);
    await sameSitePage.goto(`${sameSiteOrigin}/`);
  });

  after(async () => {
    await browser?.close();
    await Promise.all([pageServer, apiServer].filter(Boolean).map(close));
  });

  const json = { 'Content-Type': 'application/json' };

  it('the defaults allow a simple GET and a preflighted PUT with custom headers', async () => {
    const [get, put] = await fetchAll([
      { path: '/c/defaults/get' },
      { path: '/c/defaults/put', init: { method: 'PUT', headers: { ...json, 'X-Custom': '1' }, body: '{}' } },
    ]);
    assert.deepEqual(get, { ok: true, status: 200, body: '{"method":"GET","cookie":null}', readable: {} });
    assert.equal(put?.ok, true, put?.error);
    assert.equal(put?.body, '{"method":"PUT","cookie":null}');
    assert.equal(preflightsSeen.get('/c/defaults/put'), 1);
  });

  it('a list allows the page when it names the page, and Chromium says why not when it does not', async () => {
    const [listed, unlisted] = await fetchAll([{ path: '/c/list/a' }, { path: '/c/list-without-page/a' }]);
    assert.equal(listed?.ok, true, listed?.error);
    assert.equal(unlisted?.ok, false);
    assert.match(unlisted?.error ?? '', /TypeError: Failed to fetch/);
    assert.equal(
      await blockedBecause('/c/list-without-page/a'),
      "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
  });

  it('a port pattern allows the page; a subdomain pattern of another site does not', async () => {
    const [port, subdomain] = await fetchAll([
      { path: '/c/port-pattern/a', init: { method: 'DELETE' } },
      { path: '/c/subdomain-pattern/a', init: { method: 'DELETE' } },
    ]);
    assert.equal(port?.ok, true, port?.error);
    assert.equal(port?.body, '{"method":"DELETE","cookie":null}');
    assert.equal(subdomain?.ok, false);
    assert.equal(
      await blockedBecause('/c/subdomain-pattern/a'),
      "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
  });

  it('credentials: the cookie goes out and the response is readable only when credentials are allowed', async () => {
    const [allowed, refused] = await fetchAll(
      [
        { path: '/c/credentials/a', init: { credentials: 'include' } },
        { path: '/c/no-credentials/a', init: { credentials: 'include' } },
      ],
      sameSitePage,
    );
    assert.equal(allowed?.ok, true, allowed?.error);
    assert.equal(allowed?.body, '{"method":"GET","cookie":"sid=abc"}');
    assert.equal(refused?.ok, false);
    assert.match(
      await blockedBecause('/c/no-credentials/a', sameSiteOrigin),
      /The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'\./,
    );
  });

  it('methods: an unlisted method is refused by name; patch is not normalized, put is', async () => {
    const [put, lowerPatch, upperPatch, lowerPut] = await fetchAll([
      { path: '/c/get-post/put', init: { method: 'PUT' } },
      { path: '/c/get-patch/lower', init: { method: 'patch' } },
      { path: '/c/get-patch/upper', init: { method: 'PATCH' } },
      { path: '/c/get-put/lower', init: { method: 'put' } },
    ]);
    assert.equal(put?.ok, false);
    assert.equal(
      await blockedBecause('/c/get-post/put'),
      'Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
    assert.equal(lowerPatch?.ok, false);
    assert.equal(
      await blockedBecause('/c/get-patch/lower'),
      'Method patch is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
    assert.equal(upperPatch?.ok, true, upperPatch?.error);
    assert.equal(lowerPut?.ok, true, lowerPut?.error);
    assert.equal(lowerPut?.body, '{"method":"PUT","cookie":null}');
  });

  it('headers: an unlisted request header is refused by name; a listed one passes', async () => {
    const init = { method: 'POST', headers: { ...json, 'X-Custom': '1' }, body: '{}' };
    const [refused, allowed] = await fetchAll([
      { path: '/c/content-type-only/a', init },
      { path: '/c/custom-allowed/a', init },
    ]);
    assert.equal(refused?.ok, false);
    assert.equal(
      await blockedBecause('/c/content-type-only/a'),
      'Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.',
    );
    assert.equal(allowed?.ok, true, allowed?.error);
  });

  it('exposed headers: the page reads exactly the safelisted and the exposed ones, Vary included', async () => {
    const read = ['x-total-count', 'x-secret', 'vary', 'content-type'];
    const [plain, exposed] = await fetchAll([
      { path: '/c/list/exposed', read },
      { path: '/c/exposed/a', read },
    ]);
    assert.deepEqual(plain?.readable, {
      'x-total-count': null,
      'x-secret': null,
      vary: null,
      'content-type': 'application/json',
    });
    assert.deepEqual(exposed?.readable, {
      'x-total-count': '42',
      'x-secret': null,
      vary: 'Origin',
      'content-type': 'application/json',
    });
  });

  it('maxAge: Chromium caches the preflight for the time given, and not at all for 0', async () => {
    const init = { method: 'PUT' };
    const outcomes = await fetchAll([
      { path: '/c/max-age-600/a', init },
      { path: '/c/max-age-600/a', init },
      { path: '/c/max-age-0/a', init },
      { path: '/c/max-age-0/a', init },
    ]);
    for (const outcome of outcomes) assert.equal(outcome.ok, true, outcome.error);
    assert.equal(preflightsSeen.get('/c/max-age-600/a'), 1);
    assert.equal(preflightsSeen.get('/c/max-age-0/a'), 2);
  });
});
