// Who counts as one client: an IPv6 subscriber holds a whole /64, so rate limits and connection
// caps count IPv6 clients by --ipv6-prefix bits (default 64), and `::ffff:a.b.c.d` is its IPv4
// address; and what a client past its connection cap gets: a readable 503, not a reset.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { addressBucket } from '../../src/proxy/client.js';
import { createProxy } from '../../src/proxy/index.js';
import { close, send } from '../helpers/http.js';
import { type Upstream, upstream, withProxy } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';

describe('proxy: an IPv6 client is its /64', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
  });
  after(async () => {
    await close(up.server);
  });

  /** The statuses of one request from each client address (as the trusted proxy in front reports it). */
  async function statuses(to: (path: string) => string, clients: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (const client of clients)
      out.push((await send(to('/x'), 'GET', { origin: ORIGIN, 'x-forwarded-for': client })).status);
    return out;
  }

  it('40 addresses of one /64 share one --rate-limit bucket; another /64 has its own', async () => {
    await withProxy(up, { rateLimit: '3/1m', trustProxy: 1 }, async ({ to }) => {
      const oneNetwork = Array.from({ length: 40 }, (_, i) => `2001:db8:1:2:${i.toString(16)}::${i + 1}`);
      const got = await statuses(to, oneNetwork);
      assert.deepEqual(got.slice(0, 3), [200, 200, 200]);
      assert.deepEqual(new Set(got.slice(3)), new Set([429]), `${got}`);
      assert.deepEqual(await statuses(to, ['2001:db8:1:3::1']), [200], 'the next /64 is another client');
    });
  });

  it('::ffff:a.b.c.d is the IPv4 client a.b.c.d, in either spelling', async () => {
    await withProxy(up, { rateLimit: '3/1m', trustProxy: 1 }, async ({ to }) => {
      const got = await statuses(to, ['192.0.2.7', '::ffff:192.0.2.7', '::ffff:c000:207', '192.0.2.7']);
      assert.deepEqual(got, [200, 200, 200, 429]);
    });
  });

  it('--ipv6-prefix sets the width: 56 joins two /64s, 128 counts each address', async () => {
    await withProxy(up, { rateLimit: '2/1m', trustProxy: 1, ipv6Prefix: 56 }, async ({ to }) => {
      assert.deepEqual(
        await statuses(to, ['2001:db8:1:2::1', '2001:db8:1:3::1', '2001:db8:1:4::1']),
        [200, 200, 429],
      );
    });
    await withProxy(up, { rateLimit: '1/1m', trustProxy: 1, ipv6Prefix: 128 }, async ({ to }) => {
      assert.deepEqual(await statuses(to, ['2001:db8::1', '2001:db8::2', '2001:db8::1']), [200, 200, 429]);
    });
    assert.throws(
      () => createProxy({ ipv6Prefix: 0 }),
      /ipv6Prefix: must be a whole number from 1 to 128, not 0\./,
    );
  });

  it('the bucket of an address: IPv4 as is, mapped IPv6 as IPv4, IPv6 by prefix, anything else as written', () => {
    assert.equal(addressBucket('203.0.113.9', 64), '203.0.113.9');
    assert.equal(addressBucket('::ffff:203.0.113.9', 64), '203.0.113.9');
    assert.equal(addressBucket('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64), '2001:db8:1:2:0:0:0:0/64');
    assert.equal(addressBucket('[2001:db8:1:2::1]', 48), '2001:db8:1:0:0:0:0:0/48');
    assert.equal(addressBucket('fe80::1%eth0', 64), 'fe80:0:0:0:0:0:0:0/64');
    assert.equal(addressBucket('not an address', 64), 'not an address');
  });
});

/** A raw connection to the proxy that records what it receives. */
async function rawConnection(base: string): Promise<{ socket: Socket; text: () => string }> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  await once(socket, 'connect');
  return { socket, text: () => received };
}

describe('proxy: a client past --max-client-connections', () => {
  let up: Upstream;
  let proxy: ReturnType<typeof createProxy>;
  let base: string;

  before(async () => {
    up = await upstream();
    proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      maxClientConnections: 2,
      allowOrigin: [ORIGIN],
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    ({ url: base } = await proxy.listen());
  });
  after(async () => {
    await proxy.close();
    await close(up.server);
  });

  it('gets a 503 with Retry-After and the CORS headers it earned, then the connection closes (nginx limit_conn)', async () => {
    const held = [await rawConnection(base), await rawConnection(base)];
    const extra = await rawConnection(base);
    try {
      extra.socket.write(
        `GET /http://127.0.0.1:${up.port}/x HTTP/1.1\r\nHost: proxy\r\nOrigin: ${ORIGIN}\r\n\r\n`,
      );
      await once(extra.socket, 'close');
      const answer = extra.text();
      assert.match(answer, /^HTTP\/1\.1 503 /);
      assert.match(answer, /\r\nretry-after: 1\r\n/i);
      assert.match(answer, new RegExp(`\\r\\naccess-control-allow-origin: ${ORIGIN}\\r\\n`, 'i'));
      assert.match(answer, /\r\nconnection: close\r\n/i);
      assert.match(answer, /"rule":"too-many-connections"/);
      assert.match(answer, /already holds 2 connections to the proxy/);
      assert.equal(up.seen.length, 0, 'nothing was forwarded');
    } finally {
      for (const c of [...held, extra]) c.socket.destroy();
    }
  });

  it('past twice the cap a connection is closed at once, so that one address holds no more', async () => {
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await rawConnection(base));
    const beyond = await rawConnection(base);
    try {
      await once(beyond.socket, 'close');
      assert.equal(beyond.text(), '');
    } finally {
      for (const c of [...held, beyond]) c.socket.destroy();
    }
  });
});
