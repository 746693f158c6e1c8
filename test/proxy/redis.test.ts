// Rate limits shared through a real Redis: two proxy instances, one limit. When Redis goes away
// (never reachable, or a real redis-server stopped mid-run), each instance falls back to its own
// memory instead of failing open or hanging.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createProxy } from '../../src/proxy/index.js';
import { leaseSize } from '../../src/proxy/leased.js';
import { startProxyCommand } from '../helpers/cli.js';
import { close } from '../helpers/http.js';
import { type RedisServer, redisSkipReason, startRedis } from '../helpers/redis.js';
import { type Upstream, upstream } from '../helpers/upstream.js';

const skip = redisSkipReason();
const ORIGIN = 'https://app.example.com';

describe('proxy: rate limits shared through Redis', { skip }, () => {
  let redis: RedisServer;
  let up: Upstream;

  before(async () => {
    redis = await startRedis();
    up = await upstream();
  });
  beforeEach(() => redis.flush());
  after(async () => {
    await close(up.server);
    await redis.stop();
  });

  it('two instances behind a load balancer share one limit per client', async () => {
    const options = {
      port: 0,
      rateLimit: '4/1m',
      redis: redis.url,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    };
    const a = createProxy(options);
    const b = createProxy(options);
    const [{ url: urlA }, { url: urlB }] = await Promise.all([a.listen(), b.listen()]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const base = i % 2 === 0 ? urlA : urlB;
        const r = await fetch(`${base}http://127.0.0.1:${up.port}/x`, { headers: { origin: ORIGIN } });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('an IPv4 client counts once whether an instance sees 127.0.0.1 or ::ffff:127.0.0.1 (a dual-stack listener)', async () => {
    const options = {
      rateLimit: '4/1m',
      redis: redis.url,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    };
    const v4 = createProxy({ ...options, port: 0, host: '127.0.0.1' });
    const dual = createProxy({ ...options, port: 0, host: '::' });
    const servers = await Promise.all([v4.listen(), dual.listen()]);
    try {
      // Both reached at 127.0.0.1: the dual-stack one sees the client as ::ffff:127.0.0.1.
      const bases = servers.map(
        ({ server }) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      );
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`${bases[i % 2]}http://127.0.0.1:${up.port}/x`, {
          headers: { origin: ORIGIN },
        });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    } finally {
      await Promise.all([v4.close(), dual.close()]);
    }
  });

  it('two instances share one bucket for every address of an IPv6 /64', async () => {
    const options = {
      port: 0,
      rateLimit: '3/1m',
      trustProxy: 1,
      redis: redis.url,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    };
    const a = createProxy(options);
    const b = createProxy(options);
    const [{ url: urlA }, { url: urlB }] = await Promise.all([a.listen(), b.listen()]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await fetch(`${i % 2 === 0 ? urlA : urlB}http://127.0.0.1:${up.port}/x`, {
          headers: { origin: ORIGIN, 'x-forwarded-for': `2001:db8:77:1::${i + 1}` },
        });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('without Redis, limits still hold per instance', async () => {
    const p = createProxy({
      port: 0,
      rateLimit: '2/1m',
      redis: 'redis://127.0.0.1:9',
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await p.listen();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${url}http://127.0.0.1:${up.port}/x`, { headers: { origin: ORIGIN } });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await p.close();
    }
  });

  it('when the real redis-server stops mid-run, limits fall back to memory: no hang, no failing open', async () => {
    // A redis-server of its own, stopped half-way: the shared one serves the other tests.
    const own = await startRedis();
    const p = createProxy({
      port: 0,
      rateLimit: '4/1m',
      redis: own.url,
      allowPrivateTarget: [`127.0.0.1:${up.port}`],
    });
    const { url } = await p.listen();
    const send = async () => {
      // A hang is the failure this guards against: the deadline turns it into an error.
      const r = await fetch(`${url}http://127.0.0.1:${up.port}/x`, {
        headers: { origin: ORIGIN },
        signal: AbortSignal.timeout(15_000),
      });
      await r.arrayBuffer();
      return r.status;
    };
    try {
      assert.equal(await send(), 200, 'Redis up: the first request passes');
      const counter = new Redis(own.url);
      const keys = await counter.keys('corsica*');
      counter.disconnect();
      assert.ok(keys.length > 0, 'the limit was counted in Redis while it ran');
      await own.stop();
      const after: number[] = [];
      for (let i = 0; i < 8; i++) after.push(await send());
      assert.ok(
        after.every((s) => s === 200 || s === 429),
        `only answers of the limit, never an error: ${after}`,
      );
      const allowed = after.filter((s) => s === 200).length;
      assert.ok(allowed >= 1, `the proxy kept serving without Redis: ${after}`);
      assert.ok(allowed <= 4, `at most the limit passed in this process without Redis: ${after}`);
      assert.equal(after.at(-1), 429, `the limit still held: ${after}`);
    } finally {
      await p.close();
      await own.stop();
    }
  });

  describe('two proxy processes, one limit of 640 a minute (leases of 10 points)', () => {
    const LIMIT = 640;
    /** Scripts Redis has run so far: one per round trip of rate-limiter-flexible (EVALSHA, or EVAL). */
    const roundTrips = async () => {
      const client = new Redis(redis.url);
      try {
        const stats = await client.info('commandstats');
        let calls = 0;
        for (const m of stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) calls += Number(m[1]);
        return calls;
      } finally {
        client.disconnect();
      }
    };
    /** 1,000 requests from one client, 20 at a time on each process; the statuses counted. */
    const hammer = async (urls: readonly string[]) => {
      const counts = new Map<number, number>();
      await Promise.all(
        urls.flatMap((url) =>
          Array.from({ length: 20 }, async () => {
            for (let i = 0; i < 1000 / urls.length / 20; i++) {
              const r = await fetch(`${url}http://127.0.0.1:${up.port}/x`, { headers: { origin: ORIGIN } });
              await r.arrayBuffer();
              counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
            }
          }),
        ),
      );
      return counts;
    };

    it('never let a client past the limit, and refuse it at most (N − 1) × (lease − 1) requests early', async () => {
      const size = leaseSize(LIMIT);
      assert.equal(size, 10);
      const args = ['--port', '0', '--rate-limit', `${LIMIT}/1m`, '--redis', redis.url];
      const procs = await Promise.all(
        [0, 1].map(() => startProxyCommand([...args, '--allow-private-target', `127.0.0.1:${up.port}`])),
      );
      try {
        const urls = procs.map((p) => p.url ?? assert.fail(p.stdout + p.stderr));
        const before = await roundTrips();
        const counts = await hammer(urls);
        const trips = (await roundTrips()) - before;
        const allowed = counts.get(200) ?? 0;
        assert.equal(allowed + (counts.get(429) ?? 0), 1000, JSON.stringify([...counts]));
        assert.ok(allowed <= LIMIT, `${allowed} requests allowed, more than ${LIMIT}`);
        assert.ok(allowed >= LIMIT - (urls.length - 1) * (size - 1), `only ${allowed} requests allowed`);
        // One round trip per lease (64 leases hold the limit), one more per process to learn the
        // client is spent, then none: each of the 1,000 requests used to cost one.
        assert.ok(trips <= LIMIT / size + 4 * urls.length, `${trips} round trips to Redis`);
      } finally {
        for (const p of procs) p.stop();
      }
    });
  });
});
