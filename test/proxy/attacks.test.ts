// What a hostile client and a hostile upstream tried against corsica proxy, each written
// as the attack itself: clients that stop reading or trickle their uploads, an upstream whose
// redirect never ends, headers smuggled through `Connection`, redirects that leave the proxy's
// address behind, origin rules a missing Origin walks around, invented Origins for fresh buckets.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProxy, type ProxyOptions } from '../../src/proxy/index.js';
import { close, type RawResponse, send } from '../helpers/http.js';
import { type Upstream, upload, upstream, withProxy } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';

/** A client that sends a request and then reads nothing (its socket paused). */
async function nonReadingClient(base: string, path: string): Promise<Socket> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${ORIGIN}\r\n\r\n`);
  socket.pause();
  return socket;
}

/** Waits until `done()` holds (checked every 10 ms, for at most 5 s). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), 'the condition never held');
}

/** Milliseconds a GET through the proxy takes to be answered in full. */
async function timed(url: string): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { origin: ORIGIN } });
  await res.arrayBuffer();
  return { ms: performance.now() - start, status: res.status };
}

describe('proxy under attack: stalls never hold the upstream pool', () => {
  let up: Upstream;
  const TIMEOUT = 1000;

  before(async () => {
    up = await upstream();
    // An answer far larger than any socket buffer: a client that reads nothing stalls on it.
    up.routes.set('/big', (_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = () => {
        while (sent < 1024) {
          sent++;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => {});
      pump();
    });
    up.routes.set('/upload', (req, res) => {
      req.on('error', () => {});
      req.resume();
      req.on('end', () => res.end('stored'));
    });
  });
  after(async () => {
    await close(up.server);
  });

  it('two clients that stop reading do not delay a third beyond the timeout', {
    timeout: 20_000,
  }, async () => {
    const proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: TIMEOUT,
      maxConnections: 2,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await proxy.listen();
    const stalled: Socket[] = [];
    try {
      const bigBefore = up.seen.filter((s) => s.path === '/big').length;
      const started = performance.now();
      for (let i = 0; i < 2; i++)
        stalled.push(await nonReadingClient(url, `/http://127.0.0.1:${up.port}/big`));
      // Both hold one of the two upstream connections before the third asks.
      await until(() => up.seen.filter((s) => s.path === '/big').length === bigBefore + 2);
      const third = await timed(`${url}http://127.0.0.1:${up.port}/small`);
      assert.equal(third.status, 200);
      assert.ok(third.ms < TIMEOUT + 2000, `the third client waited ${Math.round(third.ms)} ms`);
      // Past the timeout, the stalled clients start reading: they find their answers cut.
      await new Promise((r) => setTimeout(r, Math.max(0, started + TIMEOUT + 1000 - performance.now())));
      for (const s of stalled) {
        // What the buffers held, then the end.
        let bytes = 0;
        s.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        s.on('error', () => {});
        s.resume();
        await Promise.race([once(s, 'close'), new Promise((r) => setTimeout(r, 3000))]);
        assert.ok(s.destroyed, `the stalled client was cut (it read ${bytes} bytes)`);
        assert.ok(bytes < 1024 * 64 * 1024, `the client got ${bytes} bytes, not the whole answer`);
      }
    } finally {
      for (const s of stalled) s.destroy();
      await proxy.close();
    }
  });

  it('an upload that stalls for --timeout is answered 408, and never took an upstream connection', {
    timeout: 20_000,
  }, async () => {
    const proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: TIMEOUT,
      maxConnections: 2,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await proxy.listen();
    const uploads: Awaited<ReturnType<typeof upload>>[] = [];
    try {
      const uploadsBefore = up.seen.filter((s) => s.path === '/upload').length;
      for (let i = 0; i < 2; i++)
        uploads.push(await upload(url, `/http://127.0.0.1:${up.port}/upload`, { origin: ORIGIN }));
      const third = await timed(`${url}http://127.0.0.1:${up.port}/small`);
      assert.equal(third.status, 200);
      assert.ok(third.ms < TIMEOUT + 2000, `the third client waited ${Math.round(third.ms)} ms`);
      for (const u of uploads) {
        const answer = await u.answer;
        assert.match(answer, /^HTTP\/1\.1 408 /, answer.slice(0, 200));
        assert.match(answer, /"rule":"request-timeout"/);
      }
      assert.equal(
        up.seen.filter((s) => s.path === '/upload').length,
        uploadsBefore,
        'no upload reached the target',
      );
    } finally {
      for (const u of uploads) u.socket.destroy();
      await proxy.close();
    }
  });

  it('--max-duration ends an exchange that trickles forever', { timeout: 20_000 }, async () => {
    up.routes.set('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 100);
      res.on('close', () => clearInterval(timer));
    });
    await withProxy(up, { timeout: TIMEOUT, maxDuration: 1500 }, async ({ url }) => {
      const start = performance.now();
      const res = await fetch(`${url}http://127.0.0.1:${up.port}/trickle`, { headers: { origin: ORIGIN } });
      assert.equal(res.status, 200);
      await assert.rejects(res.text(), 'the body is cut, never ended as if complete');
      assert.ok(performance.now() - start < 5000, 'ended near --max-duration');
    });
  });

  it('a response that has not started when --max-duration ends is a readable 504', {
    timeout: 20_000,
  }, async () => {
    up.routes.set('/silent-but-alive', (_req, res) => {
      // Sends nothing; --timeout is longer than --max-duration here.
      res.on('close', () => {});
    });
    await withProxy(up, { timeout: 5000, maxDuration: 1000 }, async ({ url }) => {
      const res = await fetch(`${url}http://127.0.0.1:${up.port}/silent-but-alive`, {
        headers: { origin: ORIGIN },
      });
      assert.equal(res.status, 504);
      const body = (await res.json()) as { error: { rule: string; message: string } };
      assert.equal(body.error.rule, 'max-duration');
      assert.match(body.error.message, /longer than this proxy allows/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    });
  });

  it('--max-duration is validated with the other options', () => {
    assert.throws(() => createProxy({ maxDuration: 10 }), /maxDuration: must be a whole number from 1000/);
  });
});

describe('proxy under attack: a hostile upstream and smuggled headers', () => {
  let up: Upstream;
  let proxy: ReturnType<typeof createProxy>;
  let base: string;

  before(async () => {
    up = await upstream();
    proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: 2000,
      maxResponseBytes: 1024 * 1024,
      maxRedirects: 2,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    ({ url: base } = await proxy.listen());
  });
  after(async () => {
    await proxy.close();
    await close(up.server);
  });

  it('an endless redirect body is not read past a small cap', { timeout: 20_000 }, async () => {
    let written = 0;
    up.routes.set('/endless-redirect', (_req, res) => {
      res.writeHead(302, { location: '/landed' });
      const chunk = Buffer.alloc(64 * 1024, 98);
      const pump = () => {
        while (!res.destroyed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      res.on('error', () => {});
      pump();
    });
    up.routes.set('/landed', (_req, res) => res.end('landed'));
    const res = await fetch(`${base}http://127.0.0.1:${up.port}/endless-redirect`, {
      headers: { origin: ORIGIN },
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'landed');
    // Whatever sat in socket buffers when the proxy stopped reading, never the 512 MiB on offer.
    assert.ok(written < 16 * 1024 * 1024, `the upstream pushed ${written} bytes`);
  });

  it('headers named in Connection never cross the proxy, either way', async () => {
    up.routes.set('/connection', (_req, res) => {
      res.setHeader('Connection', 'x-internal');
      res.setHeader('X-Internal', 'secret');
      res.setHeader('X-Public', 'ok');
      res.end('ok');
    });
    up.seen.length = 0;
    const r = await send(`${base}http://127.0.0.1:${up.port}/connection`, 'GET', {
      origin: ORIGIN,
      connection: 'keep-alive, X-Secret',
      'x-secret': 'do-not-forward',
      'x-api-key': 'k',
    });
    assert.equal(r.status, 200);
    assert.equal(up.seen[0]!.headers['x-secret'], undefined, 'X-Secret reached the upstream');
    assert.equal(up.seen[0]!.headers['x-api-key'], 'k');
    assert.equal(r.headers['x-internal'], undefined, 'X-Internal reached the client');
    assert.equal(r.headers['x-public'], 'ok');
    assert.doesNotMatch(String(r.headers['access-control-expose-headers']), /x-internal/);
  });

  it('a POST answered 303, 302 or 301 is followed as a GET without body or body headers', async () => {
    for (const status of [303, 302, 301]) {
      up.routes.set(`/post-${status}`, (req, res) => {
        req.resume();
        res.writeHead(status, { location: '/after-post' });
        res.end();
      });
    }
    up.routes.set('/after-post', (req, res) => {
      req.resume();
      res.end(req.method);
    });
    for (const status of [303, 302, 301]) {
      up.seen.length = 0;
      const res = await fetch(`${base}http://127.0.0.1:${up.port}/post-${status}`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'content-language': 'en' },
        body: '{"a":1}',
      });
      assert.equal(res.status, 200, `${status}`);
      assert.equal(await res.text(), 'GET', `${status}: the next hop's method`);
      const next = up.seen.find((s) => s.path === '/after-post')!;
      for (const name of ['content-type', 'content-length', 'content-language', 'transfer-encoding'])
        assert.equal(next.headers[name], undefined, `${status}: ${name} went to the next hop`);
    }
  });

  it('a PUT answered 303 becomes a GET; a 307 to a POST is handed back, not replayed', async () => {
    up.routes.set('/put-303', (req, res) => {
      req.resume();
      res.writeHead(303, { location: '/after-post' });
      res.end();
    });
    const put = await fetch(`${base}http://127.0.0.1:${up.port}/put-303`, {
      method: 'PUT',
      headers: { origin: ORIGIN },
      body: 'x',
    });
    assert.equal(await put.text(), 'GET');
    up.routes.set('/post-307', (req, res) => {
      req.resume();
      res.writeHead(307, { location: '/after-post' });
      res.end();
    });
    const post = await fetch(`${base}http://127.0.0.1:${up.port}/post-307`, {
      method: 'POST',
      headers: { origin: ORIGIN },
      body: 'x',
      redirect: 'manual',
    });
    assert.equal(post.status, 307);
  });
});

describe('proxy under attack: what the proxy serves names no internal address', () => {
  it('the help page does not list --allow-private-target values', async () => {
    const proxy = createProxy({
      port: 0,
      allowPrivateTarget: ['127.0.0.1:34951', '10.20.0.0/16', 'db.internal'],
    });
    const { url } = await proxy.listen();
    try {
      const page = await (await fetch(url)).text();
      assert.match(page, /Private, loopback and cloud-metadata addresses are never contacted/);
      for (const leaked of ['34951', '10.20.0.0', 'db.internal']) assert.ok(!page.includes(leaked), leaked);
    } finally {
      await proxy.close();
    }
  });
});

describe('proxy under attack: redirects handed back point at the address the client used', () => {
  let up: Upstream;

  before(async () => {
    up = await upstream();
    up.routes.set('/moved', (_req, res) => {
      res.writeHead(302, { location: '/new-home' });
      res.end();
    });
  });
  after(async () => {
    await close(up.server);
  });

  async function location(options: ProxyOptions, headers: Record<string, string>): Promise<unknown> {
    return withProxy(up, options, async ({ url }) => {
      const r: RawResponse = await send(`${url}http://127.0.0.1:${up.port}/moved`, 'GET', {
        origin: ORIGIN,
        ...headers,
      });
      assert.equal(r.status, 302);
      return r.headers.location;
    });
  }

  it('from the Host header when the proxy is reached by name', async () => {
    assert.equal(
      await location({}, { host: 'proxy.example.com' }),
      `http://proxy.example.com/http://127.0.0.1:${up.port}/new-home`,
    );
  });

  it('from X-Forwarded-Proto and -Host only behind a trusted proxy', async () => {
    const forwarded = {
      host: 'internal:8080',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'cors.example.org',
    };
    assert.equal(
      await location({ trustProxy: 1 }, forwarded),
      `https://cors.example.org/http://127.0.0.1:${up.port}/new-home`,
    );
    assert.equal(await location({}, forwarded), `http://internal:8080/http://127.0.0.1:${up.port}/new-home`);
  });

  it('from --public-url when it is set, whatever the request says', async () => {
    assert.equal(
      await location({ publicUrl: 'https://cors.example.net/proxy/' }, { host: 'evil.example' }),
      `https://cors.example.net/proxy/http://127.0.0.1:${up.port}/new-home`,
    );
  });

  it('a Host header that is not a host gives a path-absolute Location, resolved by the browser against the proxy URL it used', async () => {
    assert.equal(await location({}, { host: 'a b/c' }), `/http://127.0.0.1:${up.port}/new-home`);
  });
});

describe('proxy under attack: origin rules and spoofed origins', () => {
  let up: Upstream;

  before(async () => {
    up = await upstream();
  });
  after(async () => {
    await close(up.server);
  });

  it('with --allow-origin, a request without Origin is refused even with --require-header none', async () => {
    await withProxy(up, { allowOrigin: [ORIGIN], requireHeader: [] }, async ({ url }) => {
      const r = await send(`${url}http://127.0.0.1:${up.port}/x`, 'GET');
      assert.equal(r.status, 403, r.body);
      assert.equal(JSON.parse(r.body).error.rule, 'origin-required');
      const allowed = await send(`${url}http://127.0.0.1:${up.port}/x`, 'GET', { origin: ORIGIN });
      assert.equal(allowed.status, 200);
    });
  });

  it("--require-header a --require-header b means one of them, as cors-anywhere's requireHeader", async () => {
    await withProxy(up, { requireHeader: ['origin', 'x-requested-with'] }, async ({ url }) => {
      const target = `${url}http://127.0.0.1:${up.port}/x`;
      assert.equal((await send(target, 'GET', { origin: ORIGIN })).status, 200);
      assert.equal((await send(target, 'GET', { 'x-requested-with': 'XMLHttpRequest' })).status, 200);
      const neither = await send(target, 'GET');
      assert.equal(neither.status, 400);
      assert.match(JSON.parse(neither.body).error.message, /one of these headers: origin, x-requested-with/);
    });
  });

  it('invented Origins never give a client a fresh rate-limit bucket', async () => {
    await withProxy(up, { rateLimit: '5/1m', rateLimitByOrigin: '3/1m' }, async ({ url }) => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await send(`${url}http://127.0.0.1:${up.port}/x`, 'GET', {
          origin: `https://site${i}.example`,
        });
        statuses.push(r.status);
      }
      assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(' '));
    });
  });

  it('the per-origin limit narrows one origin inside the address limit', async () => {
    await withProxy(up, { rateLimit: '10/1m', rateLimitByOrigin: '3/1m' }, async ({ url }) => {
      const one: number[] = [];
      for (let i = 0; i < 5; i++)
        one.push((await send(`${url}http://127.0.0.1:${up.port}/x`, 'GET', { origin: ORIGIN })).status);
      assert.deepEqual(one, [200, 200, 200, 429, 429]);
      const other = await send(`${url}http://127.0.0.1:${up.port}/x`, 'GET', {
        origin: 'https://other.example',
      });
      assert.equal(other.status, 200);
    });
  });

  it('--rate-limit-by-origin takes a rate; the old boolean is refused with a fix', () => {
    assert.throws(
      () => createProxy({ rateLimitByOrigin: true as never }),
      /rateLimitByOrigin: is now a rate per address and Origin/,
    );
  });
});
