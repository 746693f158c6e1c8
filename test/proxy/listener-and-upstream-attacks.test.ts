// A second round of attacks on corsica proxy, after the first round (attacks.test.ts): slowloris against the
// proxy's own listener, one address hoarding connections, a hostile upstream keeping sockets open
// or setting browser state for the proxy's whole origin, the pool queue, and spellings that walked
// around the deny list and the origin allow-list. Each is written as the attack.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createProxy } from '../../src/proxy/index.js';
import { close, send } from '../helpers/http.js';
import { type Upstream, upstream, withProxy } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';

/** A raw connection to the proxy, optionally from another loopback address. */
async function rawConnection(base: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(base);
  const socket = connect({ host: hostname, port: Number(port), ...(localAddress ? { localAddress } : {}) });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Milliseconds until the proxy closes `socket` (or `limit`, when it never does). */
async function closedAfter(socket: Socket, limit: number): Promise<number> {
  const start = performance.now();
  socket.resume();
  await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, limit))]);
  return socket.destroyed ? performance.now() - start : Number.POSITIVE_INFINITY;
}

describe("proxy under attack: the proxy's own listener", () => {
  let proxy: ReturnType<typeof createProxy>;
  let base: string;
  let up: Upstream;

  before(async () => {
    up = await upstream();
    proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: 1000,
      maxDuration: 3000,
      maxClientConnections: 5,
      allowOrigin: [ORIGIN],
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    ({ url: base } = await proxy.listen());
  });
  after(async () => {
    await proxy.close();
    await close(up.server);
  });

  it('a connection that sends nothing, or trickles its headers, is closed within --timeout (not node’s 60 s)', {
    timeout: 15_000,
  }, async () => {
    const silent = await rawConnection(base);
    const trickling = await rawConnection(base);
    trickling.write('GET /healthz HTTP/1.1\r\n');
    const timer = setInterval(() => trickling.write('X-A: b\r\n'), 300);
    try {
      const [a, b] = await Promise.all([closedAfter(silent, 6000), closedAfter(trickling, 6000)]);
      assert.ok(a < 4000, `the silent connection lasted ${a} ms`);
      assert.ok(b < 4000, `the trickling connection lasted ${b} ms`);
    } finally {
      clearInterval(timer);
      silent.destroy();
      trickling.destroy();
    }
  });

  it('a refused request whose body is still coming is answered and its connection closed', {
    timeout: 15_000,
  }, async () => {
    const socket = await rawConnection(base);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.write(
      `POST /http://127.0.0.1:${up.port}/x HTTP/1.1\r\nHost: proxy\r\nOrigin: https://evil.example\r\nContent-Length: 100000\r\n\r\nabc`,
    );
    const timer = setInterval(() => socket.write('x'), 200);
    try {
      const lasted = await closedAfter(socket, 6000);
      assert.match(answer, /^HTTP\/1\.1 403 /);
      assert.ok(lasted < 2000, `the connection stayed ${lasted} ms after the refusal`);
    } finally {
      clearInterval(timer);
      socket.destroy();
    }
  });

  it('one address may hold at most --max-client-connections; another address is still served', {
    timeout: 15_000,
  }, async () => {
    const hoard: Socket[] = [];
    try {
      for (let i = 0; i < 5; i++) hoard.push(await rawConnection(base));
      const extra = await rawConnection(base);
      hoard.push(extra);
      let refused = '';
      extra.setEncoding('utf8');
      extra.on('data', (chunk: string) => {
        refused += chunk;
      });
      extra.write(`GET /healthz HTTP/1.1\r\nHost: proxy\r\n\r\n`);
      assert.ok((await closedAfter(extra, 2000)) < 2000, 'the sixth connection is closed after its answer');
      assert.match(refused, /"status":"ok"|^HTTP\/1\.1 200 /, 'a local endpoint still answers, once');
      const other = await rawConnection(base, '127.0.0.2');
      hoard.push(other);
      other.write(`GET /healthz HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n`);
      let text = '';
      other.setEncoding('utf8');
      other.on('data', (chunk: string) => {
        text += chunk;
      });
      await once(other, 'close');
      assert.match(text, /^HTTP\/1\.1 200 /);
    } finally {
      for (const s of hoard) s.destroy();
      // The proxy counts a connection down when it sees it close.
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('an empty Origin is no origin: the allow-list refuses it', async () => {
    const r = await send(`${base}http://127.0.0.1:${up.port}/x`, 'GET', { origin: '' });
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).error.rule, 'origin-required');
  });
});

describe('proxy under attack: a hostile upstream', () => {
  let up: Upstream;
  let proxy: ReturnType<typeof createProxy>;
  let base: string;

  before(async () => {
    up = await upstream();
    proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: 1000,
      maxConnections: 1,
      maxRedirects: 0,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    ({ url: base } = await proxy.listen());
  });
  after(async () => {
    await proxy.close();
    await close(up.server);
  });

  it('Keep-Alive: timeout=600 does not keep idle upstream sockets open past --timeout', {
    timeout: 15_000,
  }, async () => {
    up.routes.set('/keep', (_req, res) => {
      res.setHeader('Keep-Alive', 'timeout=600');
      res.end('kept?');
    });
    await send(`${base}http://127.0.0.1:${up.port}/keep`, 'GET', { origin: ORIGIN });
    await new Promise((r) => setTimeout(r, 2500));
    const open = await new Promise<number>((resolve) => up.server.getConnections((_e, n) => resolve(n)));
    assert.equal(open, 0, 'idle upstream sockets still open');
  });

  it('browser state for the proxy’s whole origin never crosses: Clear-Site-Data, HSTS, NEL, Alt-Svc...', async () => {
    const stateful = {
      'Clear-Site-Data': '"cookies", "storage"',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      NEL: '{"report_to":"x","max_age":86400,"success_fraction":1}',
      'Report-To': '{"group":"x","max_age":86400,"endpoints":[{"url":"https://collector.example"}]}',
      'Reporting-Endpoints': 'x="https://collector.example"',
      'Alt-Svc': 'h3=":443"',
      'Accept-CH': 'Sec-CH-UA-Model',
      'Service-Worker-Allowed': '/',
      'X-Content-Type-Options': 'none',
      'X-Final-URL': 'https://bank.example/',
      'X-CORS-Redirect-1': '302 https://bank.example/',
    };
    up.routes.set('/stateful', (_req, res) => {
      for (const [name, value] of Object.entries(stateful)) res.setHeader(name, value);
      res.setHeader('X-Fine', 'yes');
      res.end('ok');
    });
    const r = await send(`${base}http://127.0.0.1:${up.port}/stateful`, 'GET', { origin: ORIGIN });
    for (const name of Object.keys(stateful)) {
      const value = r.headers[name.toLowerCase()];
      if (name === 'X-Content-Type-Options') assert.equal(value, 'nosniff', 'only the proxy’s own nosniff');
      else if (name === 'X-Final-URL') assert.equal(value, `http://127.0.0.1:${up.port}/stateful`);
      else assert.equal(value, undefined, name);
    }
    assert.equal(r.headers['x-fine'], 'yes');
  });

  it('forwarding headers a client sets never reach the target', async () => {
    up.seen.length = 0;
    const spoofed = {
      'X-Forwarded-Port': '443',
      'X-Forwarded-Server': 'internal',
      'X-Original-URL': '/admin',
      'X-Rewrite-URL': '/admin',
      'True-Client-IP': '10.0.0.1',
      'X-Client-IP': '10.0.0.1',
      'CF-Connecting-IP': '10.0.0.1',
      'X-Cluster-Client-IP': '10.0.0.1',
    };
    await send(`${base}http://127.0.0.1:${up.port}/seen`, 'GET', { origin: ORIGIN, ...spoofed });
    for (const name of Object.keys(spoofed))
      assert.equal(up.seen[0]!.headers[name.toLowerCase()], undefined, name);
  });

  it('a 103 Early Hints before the answer does not cut the client; of two Location lines the first is rewritten', async () => {
    up.routes.set('/hints', (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      setTimeout(() => res.end('final'), 20);
    });
    const hinted = await send(`${base}http://127.0.0.1:${up.port}/hints`, 'GET', { origin: ORIGIN });
    assert.equal(hinted.status, 200);
    assert.equal(hinted.body, 'final');
    up.routes.set('/two-locations', (_req, res) => {
      res.writeHead(302, [
        ['Location', '/first'],
        ['Location', 'http://10.0.0.1/second'],
      ] as never);
      res.end();
    });
    const moved = await send(`${base}http://127.0.0.1:${up.port}/two-locations`, 'GET', { origin: ORIGIN });
    assert.equal(moved.status, 302);
    assert.match(String(moved.headers.location), new RegExp(`/http://127\\.0\\.0\\.1:${up.port}/first$`));
  });

  it('a request queued behind busy connections waits at most --timeout, then gets a readable 503', {
    timeout: 15_000,
  }, async () => {
    up.routes.set('/slowly', (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 300);
      res.on('close', () => clearInterval(timer));
      setTimeout(() => res.end(), 2500);
    });
    const holder = fetch(`${base}http://127.0.0.1:${up.port}/slowly`, { headers: { origin: ORIGIN } }).then(
      (r) => r.text(),
    );
    await new Promise((r) => setTimeout(r, 100));
    const start = performance.now();
    const queued = await send(`${base}http://127.0.0.1:${up.port}/x`, 'GET', { origin: ORIGIN });
    const waited = performance.now() - start;
    assert.equal(queued.status, 503);
    assert.equal(JSON.parse(queued.body).error.rule, 'upstream-busy');
    assert.equal(queued.headers['access-control-allow-origin'], '*');
    assert.ok(waited < 3000, `waited ${waited} ms`);
    await holder;
  });
});

describe('proxy under attack: spellings around the rules', () => {
  it('a target host with an empty label (name..) is no target, so the deny list cannot be walked around', async () => {
    const names = { 'internal-api.example.com': ['93.184.216.34'] };
    const proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      denyTarget: ['internal-api.example.com'],
      resolver: async (h) =>
        (names[h as keyof typeof names] ?? []).map((address) => ({ address, family: 4 })),
    });
    const { url } = await proxy.listen();
    try {
      for (const host of [
        'internal-api.example.com.',
        'internal-api.example.com..',
        'internal-api..example.com',
      ]) {
        const r = await send(`${url}http://${host}/secret`, 'GET', { origin: ORIGIN });
        assert.ok(r.status === 403 || r.status === 400, `${host}: ${r.status}`);
        assert.match(JSON.parse(r.body).error.rule, /^(target-denied|bad-target)$/, host);
      }
    } finally {
      await proxy.close();
    }
  });

  it('--deny-origin values that browsers never send are refused at start-up', () => {
    for (const bad of [
      'https://evil.example/',
      'https://Evil.example',
      'https://evil.example:443',
      'evil.example',
    ])
      assert.throws(
        () => createProxy({ denyOrigin: [bad] }),
        /denyOrigin\[0\]: .* is not an origin as browsers send it/,
      );
  });

  it('with --trust-proxy 1, X-Forwarded-Host is the one the trusted proxy wrote, not the client’s', async () => {
    const up = await upstream();
    up.routes.set('/moved', (_req, res) => {
      res.writeHead(302, { location: '/next' });
      res.end();
    });
    try {
      await withProxy(up, { trustProxy: 1 }, async ({ to }) => {
        const r = await send(to('/moved'), 'GET', {
          origin: ORIGIN,
          'x-forwarded-host': 'evil.example, cors.example.org',
          'x-forwarded-proto': 'http, https',
        });
        assert.equal(r.headers.location, `https://cors.example.org/http://127.0.0.1:${up.port}/next`);
      });
    } finally {
      await close(up.server);
    }
  });
});
