// Uploads are read whole before an upstream connection is taken (nginx's request buffering), within
// a memory budget; and a redirect rewritten from X-Forwarded-Host is never cached for everyone.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProxy } from '../../src/proxy/index.js';
import { close, send, varyNames } from '../helpers/http.js';
import { type Upload, type Upstream, upload, upstream, withProxy } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';

describe('proxy: request buffering', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
  });
  after(async () => {
    await close(up.server);
  });

  it('two clients uploading a byte at a time do not hold the two upstream connections: a third is served', {
    timeout: 20_000,
  }, async () => {
    const options = { timeout: 1000, maxConnections: 2 };
    await withProxy(up, options, async ({ url, to }) => {
      const uploads: Upload[] = [];
      try {
        // One byte every 200 ms: never a pause of --timeout, so no idle timeout ends them.
        for (let i = 0; i < 2; i++)
          uploads.push(
            await upload(url, `/http://127.0.0.1:${up.port}/slow-upload`, { origin: ORIGIN }, 200),
          );
        const third = await send(to('/small'), 'GET', { origin: ORIGIN });
        assert.equal(third.status, 200, third.body);
        assert.equal(
          up.seen.filter((s) => s.path === '/slow-upload').length,
          0,
          'an upload reaches the target only once it is whole',
        );
      } finally {
        for (const u of uploads) u.socket.destroy();
      }
    });
  });

  it('bodies held share --max-buffered-bytes: past it an upload is a readable 503 with Retry-After', async () => {
    let release = () => {};
    up.routes.set('/hold', (req, res) => {
      req.resume();
      release = () => res.end('held');
    });
    const options = { maxRequestBytes: 1000, maxBufferedBytes: 1500 };
    await withProxy(up, options, async ({ to }) => {
      const post = () =>
        fetch(to('/hold'), { method: 'POST', headers: { origin: ORIGIN }, body: 'y'.repeat(1000) });
      // The first body is read whole and held until its answer ends: 500 bytes of the budget remain.
      const first = post();
      while (!up.seen.some((s) => s.path === '/hold')) await new Promise((r) => setTimeout(r, 10));
      const second = await post();
      assert.equal(second.status, 503);
      assert.equal(second.headers.get('retry-after'), '1');
      assert.equal(second.headers.get('access-control-allow-origin'), '*');
      assert.equal((await second.json()).error.rule, 'request-buffers-full');
      release();
      assert.equal(await (await first).text(), 'held');
      const third = post();
      while (up.seen.filter((s) => s.path === '/hold').length < 2)
        await new Promise((r) => setTimeout(r, 10));
      release();
      assert.equal((await third).status, 200, 'the budget is given back when an exchange ends');
    });
    assert.throws(
      () => createProxy({ maxRequestBytes: 2000, maxBufferedBytes: 1000 }),
      /maxBufferedBytes: is 1000 bytes, less than maxRequestBytes \(2000\): the largest allowed body could never be read\./,
    );
  });

  it('a whole body is forwarded as sent, chunked or not', async () => {
    up.routes.set('/echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(Buffer.concat(chunks)));
    });
    await withProxy(up, {}, async ({ to }) => {
      const body = 'z'.repeat(100_000);
      const sized = await fetch(to('/echo'), { method: 'POST', headers: { origin: ORIGIN }, body });
      assert.equal(await sized.text(), body);
      const stream = new Blob([body]).stream();
      const chunked = await fetch(to('/echo'), {
        method: 'POST',
        headers: { origin: ORIGIN },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(await chunked.text(), body);
    });
  });
});

describe('proxy: a redirect rewritten from X-Forwarded-Host', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
    up.routes.set('/moved', (_req, res) => {
      res.writeHead(302, {
        location: '/next',
        'cache-control': 'public, max-age=3600, s-maxage=3600',
        vary: 'Accept-Encoding',
      });
      res.end();
    });
  });
  after(async () => {
    await close(up.server);
  });

  const forwarded = { origin: ORIGIN, 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' };

  it('is private to the client and varies on X-Forwarded-Host and -Proto, so no shared cache keeps it for everyone', async () => {
    await withProxy(up, { trustProxy: 1 }, async ({ to }) => {
      const r = await send(to('/moved'), 'GET', forwarded);
      assert.equal(r.headers.location, `https://attacker.example/http://127.0.0.1:${up.port}/next`);
      assert.equal(r.headers['cache-control'], 'private, max-age=3600');
      for (const name of ['accept-encoding', 'x-forwarded-host', 'x-forwarded-proto'])
        assert.ok(varyNames(r).includes(name), `Vary: ${r.headers.vary}`);
    });
  });

  it('keeps the upstream’s caching when the Location does not depend on the request (--public-url, or no --trust-proxy)', async () => {
    for (const options of [{ trustProxy: 1, publicUrl: 'https://cors.example.org/' }, {}]) {
      await withProxy(up, options, async ({ to }) => {
        const r = await send(to('/moved'), 'GET', forwarded);
        assert.equal(r.headers['cache-control'], 'public, max-age=3600, s-maxage=3600');
        assert.ok(!varyNames(r).includes('x-forwarded-host'), `Vary: ${r.headers.vary}`);
      });
    }
  });
});
