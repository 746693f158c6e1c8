// The proxy as pages use it: what it forwards and strips, its CORS answers, streaming, limits,
// upstream failures, redirects, rate limits and its own endpoints. Real upstream, real proxy.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createProxy } from '../../src/proxy/index.js';
import { close } from '../helpers/http.js';
import { type Upstream, upstream } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';

describe('proxy: forwarding', () => {
  let up: Upstream;
  let proxy: ReturnType<typeof createProxy>;
  let base: string;
  let target: string;

  before(async () => {
    up = await upstream();
    proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: 800,
      maxRequestBytes: 1000,
      maxResponseBytes: 5000,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    ({ url: base } = await proxy.listen());
    target = `${base}http://127.0.0.1:${up.port}`;
  });
  after(async () => {
    await proxy.close();
    await close(up.server);
  });

  it('forwards method, path, query and safe headers; strips hop-by-hop and identifying headers', async () => {
    up.seen.length = 0;
    const res = await fetch(`${target}/items?q=1`, {
      method: 'PUT',
      headers: {
        origin: ORIGIN,
        'x-api-key': 'k',
        'content-type': 'application/json',
        'x-forwarded-for': '1.2.3.4',
      },
      body: '{"a":1}',
    });
    assert.equal(res.status, 200);
    const seen = up.seen[0]!;
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.path, '/items');
    assert.equal(seen.headers['x-api-key'], 'k');
    assert.equal(seen.headers['content-type'], 'application/json');
    for (const name of ['cookie', 'origin', 'x-forwarded-for', 'sec-fetch-mode'])
      assert.equal(seen.headers[name], undefined, name);
    assert.equal(seen.headers.host, `127.0.0.1:${up.port}`);
  });

  it('answers with CORS headers, every upstream header exposed, x-request-url and x-final-url; Set-Cookie dropped', async () => {
    up.routes.set('/headers', (_req, res) => {
      res.setHeader('X-Total', '3');
      res.setHeader('Set-Cookie', 'tracker=1');
      res.setHeader('Access-Control-Allow-Origin', 'https://upstream-says.example');
      res.end('ok');
    });
    const res = await fetch(`${target}/headers`, { headers: { origin: ORIGIN } });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('set-cookie'), null);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /(^|,)x-total(,|$)/);
    assert.equal(res.headers.get('x-request-url'), `http://127.0.0.1:${up.port}/headers`);
    assert.equal(res.headers.get('x-final-url'), `http://127.0.0.1:${up.port}/headers`);
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; sandbox");
  });

  it('answers preflights itself; they never reach the upstream', async () => {
    up.seen.length = 0;
    const res = await fetch(`${target}/items`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'x-api-key',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET,HEAD,PUT,PATCH,POST,DELETE');
    assert.equal(res.headers.get('access-control-allow-headers'), 'x-api-key');
    assert.equal(up.seen.length, 0);
  });

  it('streams request and response bodies', async () => {
    up.routes.set('/echo', (req, res) => req.pipe(res));
    const body = 'x'.repeat(900);
    const res = await fetch(`${target}/echo`, { method: 'POST', headers: { origin: ORIGIN }, body });
    assert.equal(await res.text(), body);
  });

  it('refuses bodies over --max-request-bytes, declared or streamed', async () => {
    up.seen.length = 0;
    const declared = await fetch(`${target}/echo`, {
      method: 'POST',
      headers: { origin: ORIGIN },
      body: 'x'.repeat(1001),
    });
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).error.rule, 'request-too-large');
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${target}/echo`,
        { method: 'POST', headers: { origin: ORIGIN, 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('y'.repeat(300));
      req.end();
    });
    assert.equal(streamed.status, 413, streamed.body);
  });

  it('refuses a declared response over --max-response-bytes, and cuts a streamed one', async () => {
    up.routes.set('/big-declared', (_req, res) => {
      res.setHeader('Content-Length', 6000);
      res.end('z'.repeat(6000));
    });
    const declared = await fetch(`${target}/big-declared`, { headers: { origin: ORIGIN } });
    assert.equal(declared.status, 502);
    assert.equal((await declared.json()).error.rule, 'response-too-large');
    up.routes.set('/big-streamed', (_req, res) => {
      res.write('z'.repeat(3000));
      setTimeout(() => res.end('z'.repeat(3000)), 20);
    });
    // Depending on how the chunks arrive, the cut comes before or after the headers went out;
    // either way the client never gets a complete-looking answer.
    const outcome = await fetch(`${target}/big-streamed`, { headers: { origin: ORIGIN } }).then(
      (res) =>
        res.text().then(
          (text) => `complete (${text.length} bytes)`,
          () => 'cut',
        ),
      () => 'cut',
    );
    assert.equal(outcome, 'cut', 'the body is cut, not silently truncated');
  });

  it('an unreachable upstream is a 502 the page can read; a silent one a 504', async () => {
    const p = createProxy({ port: 0, rateLimit: 'off', timeout: 300, allowPrivateTarget: ['127.0.0.1'] });
    const { url } = await p.listen();
    try {
      const down = await fetch(`${url}http://127.0.0.1:9/`, { headers: { origin: ORIGIN } });
      assert.equal(down.status, 502);
      assert.equal(down.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(await down.json(), {
        error: {
          rule: 'upstream-unreachable',
          message: '127.0.0.1:9 could not be reached',
          fix: 'Check that the target is up and the URL is right.',
        },
      });
      up.routes.set('/silent', () => {});
      const slow = await fetch(`${url}http://127.0.0.1:${up.port}/silent`, { headers: { origin: ORIGIN } });
      assert.equal(slow.status, 504);
      assert.equal((await slow.json()).error.rule, 'upstream-timeout');
    } finally {
      await p.close();
    }
  });

  it('a slow upstream does not stall other requests', { timeout: 10_000 }, async () => {
    // The slow answer is held until the fast one has come back: a proxy that serialized them would hang here.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    up.routes.set('/slow', (_req, res) => {
      held.then(() => res.end('slow'));
    });
    const slow = fetch(`${target}/slow`, { headers: { origin: ORIGIN } });
    const fast = await fetch(`${target}/fast`, { headers: { origin: ORIGIN } });
    assert.equal(fast.status, 200);
    release();
    assert.equal(await (await slow).text(), 'slow');
  });

  it('redirects are handed back through the proxy, so the next hop is checked again', async () => {
    up.routes.set('/moved', (_req, res) => {
      res.statusCode = 302;
      res.setHeader('Location', 'http://169.254.169.254/latest/meta-data/');
      res.end();
    });
    const res = await fetch(`${target}/moved`, { headers: { origin: ORIGIN }, redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), `${base}http://169.254.169.254/latest/meta-data/`);
    const followed = await fetch(`${target}/moved`, { headers: { origin: ORIGIN } });
    assert.equal(followed.status, 403);
    assert.equal((await followed.json()).error.rule, 'private-target');
  });

  it('with --max-redirects, redirects are followed on the server, each hop checked', async () => {
    const p = createProxy({
      port: 0,
      rateLimit: 'off',
      maxRedirects: 2,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await p.listen();
    try {
      up.routes.set('/hop', (_req, res) => {
        res.statusCode = 301;
        res.setHeader('Location', '/landing');
        res.end();
      });
      const ok = await fetch(`${url}http://127.0.0.1:${up.port}/hop`, { headers: { origin: ORIGIN } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-final-url'), `http://127.0.0.1:${up.port}/landing`);
      assert.equal(ok.headers.get('x-request-url'), `http://127.0.0.1:${up.port}/hop`);
      const escaped = await fetch(`${url}http://127.0.0.1:${up.port}/moved`, { headers: { origin: ORIGIN } });
      assert.equal(escaped.status, 403);
      assert.equal((await escaped.json()).error.rule, 'private-target');
    } finally {
      await p.close();
    }
  });

  it('own endpoints: help page, health, metrics', async () => {
    const help = await fetch(base);
    assert.match(await help.text(), /<h1>corsica proxy<\/h1>/);
    assert.deepEqual(await (await fetch(`${base}healthz`)).json(), { status: 'ok' });
    const metrics = await (await fetch(`${base}metrics`)).text();
    assert.match(metrics, /corsica_proxy_requests_total\{outcome="proxied"\} \d+/);
    assert.match(metrics, /corsica_proxy_requests_total\{outcome="preflight"\} \d+/);
  });

  it('refuses bad targets and requests without Origin with a JSON reason and a fix', async () => {
    const noOrigin = await fetch(`${target}/x`);
    assert.equal(noOrigin.status, 400);
    assert.equal((await noOrigin.json()).error.rule, 'missing-header');
    const bad = await fetch(`${base}not-a-url`, { headers: { origin: ORIGIN } });
    assert.equal(bad.status, 400);
    const body = await bad.json();
    assert.equal(body.error.rule, 'bad-target');
    assert.match(body.error.fix, /\/https:\/\/api\.example\.com/);
    const ftp = await fetch(`${base}ftp://example.com/file`, { headers: { origin: ORIGIN } });
    assert.match((await ftp.json()).error.message, /only http and https/);
  });
});

describe('proxy: origins, targets and rate limits', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
  });
  after(async () => {
    await close(up.server);
  });

  async function withProxy(
    options: Parameters<typeof createProxy>[0],
    run: (target: string) => Promise<void>,
  ) {
    const p = createProxy({ port: 0, allowPrivateTarget: [`127.0.0.1:${up.port}`], ...options });
    const { url } = await p.listen();
    try {
      await run(`${url}http://127.0.0.1:${up.port}`);
    } finally {
      await p.close();
    }
  }

  it('only allowed origins may use it; denied ones never', async () => {
    await withProxy(
      { rateLimit: 'off', allowOrigin: ['https://*.example.com'], denyOrigin: ['https://bad.example.com'] },
      async (target) => {
        const ok = await fetch(`${target}/x`, { headers: { origin: 'https://app.example.com' } });
        assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
        const other = await fetch(`${target}/x`, { headers: { origin: 'https://evil.example.net' } });
        assert.equal(other.status, 403);
        assert.equal((await other.json()).error.rule, 'origin-not-allowed');
        const denied = await fetch(`${target}/x`, { headers: { origin: 'https://bad.example.com' } });
        assert.equal((await denied.json()).error.rule, 'origin-denied');
      },
    );
  });

  it('a --deny-origin value not written as browsers send it is refused at start-up, since it would deny nothing', () => {
    assert.throws(
      () =>
        createProxy({
          rateLimit: 'off',
          denyOrigin: ['null', 'https://bad.example.com', 'https://Bad.example.com/'],
        }),
      (err: unknown) => {
        const problems =
          (err as { problems?: { code: string; path: string; message: string }[] }).problems ?? [];
        assert.deepEqual(
          problems.map((p) => [p.code, p.path, p.message]),
          [
            [
              'PROXY_ORIGIN_INVALID',
              'denyOrigin[2]',
              "'https://Bad.example.com/' is not an origin as browsers send it (scheme://host[:port], lower case, no path or trailing slash), so it would never be denied.",
            ],
          ],
        );
        return true;
      },
    );
  });

  it('target allow and deny lists', async () => {
    await withProxy({ rateLimit: 'off', allowTarget: ['api.example.com'] }, async (target) => {
      const r = await fetch(`${target}/x`, { headers: { origin: ORIGIN } });
      assert.equal(r.status, 403);
      assert.deepEqual((await r.json()).error, {
        rule: 'target-not-allowed',
        message: '127.0.0.1 is not among the targets this proxy serves',
        fix: 'Start the proxy with --allow-target 127.0.0.1 to serve it.',
      });
    });
  });

  it('rate limits per client address, with Retry-After; X-Forwarded-For only counts behind a trusted proxy', async () => {
    await withProxy({ rateLimit: '3/1m' }, async (target) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${target}/x`, {
          headers: { origin: ORIGIN, 'x-forwarded-for': `10.0.0.${i}` },
        });
        statuses.push(r.status);
        if (r.status === 429) {
          assert.ok(Number(r.headers.get('retry-after')) > 0);
          assert.equal((await r.json()).error.rule, 'rate-limited');
        } else await r.arrayBuffer();
      }
      assert.deepEqual(
        statuses,
        [200, 200, 200, 429, 429],
        'a spoofed X-Forwarded-For does not reset the count',
      );
    });
    await withProxy({ rateLimit: '1/1m', trustProxy: 1 }, async (target) => {
      const a = await fetch(`${target}/x`, { headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.1' } });
      const b = await fetch(`${target}/x`, { headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.2' } });
      const a2 = await fetch(`${target}/x`, {
        headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.1' },
      });
      assert.deepEqual([a.status, b.status, a2.status], [200, 200, 429]);
    });
  });

  it('cookies pass only for targets the operator names', async () => {
    up.routes.set('/cookie', (req, res) => {
      res.setHeader('Set-Cookie', 'b=2');
      res.end(req.headers.cookie ?? 'none');
    });
    await withProxy({ rateLimit: 'off', cookies: ['127.0.0.1'], allowOrigin: [ORIGIN] }, async (target) => {
      const r = await fetch(`${target}/cookie`, { headers: { origin: ORIGIN, cookie: 'a=1' } });
      assert.equal(await r.text(), 'a=1');
      assert.equal(r.headers.get('set-cookie'), 'b=2');
    });
  });
});
