// The proxy never reaches a private, loopback, link-local, reserved or metadata address unless the
// operator exempts it: every spelling of such an address, names that resolve to one, and DNS
// rebinding. A real upstream listens on 127.0.0.1; a refused spelling must never reach it.

import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import { systemResolver } from '../../src/proxy/addresses.js';
import { createProxy } from '../../src/proxy/index.js';
import { close } from '../helpers/http.js';
import { type Upstream, upstream } from '../helpers/upstream.js';

const ORIGIN = 'https://app.example.com';

/** A resolver that knows some made-up names and asks the system for the rest. */
function resolverFor(names: Record<string, string[]>, calls: string[] = []) {
  return async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const addresses = names[hostname];
    if (addresses === undefined) return [...(await systemResolver(hostname))];
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function get(base: string, target: string) {
  const res = await fetch(`${base}${target}`, { headers: { origin: ORIGIN } });
  return { status: res.status, body: await res.text(), acao: res.headers.get('access-control-allow-origin') };
}

describe('proxy: no way into private networks', () => {
  let up: Upstream;
  let base: string;
  let proxy: ReturnType<typeof createProxy>;

  before(async () => {
    up = await upstream();
    proxy = createProxy({
      port: 0,
      rateLimit: 'off',
      timeout: 1000,
      resolver: resolverFor({
        'internal.test': ['10.0.0.5'],
        'metadata.google.internal': ['169.254.169.254'],
        'mixed.test': ['93.184.216.34', '127.0.0.1'],
        'loop.test': ['127.0.0.1'],
      }),
    });
    ({ url: base } = await proxy.listen());
  });
  after(async () => {
    await proxy.close();
    await close(up.server);
  });

  const spellings = (p: number) => [
    `http://127.0.0.1:${p}/`,
    `http://localhost:${p}/`,
    `http://localhost.:${p}/`,
    `http://LOCALHOST:${p}/`,
    `http://2130706433:${p}/`,
    `http://0x7f000001:${p}/`,
    `http://0x7f.0.0.1:${p}/`,
    `http://0177.0.0.1:${p}/`,
    `http://127.1:${p}/`,
    `http://127.0.0.1.:${p}/`,
    `http://%31%32%37.0.0.1:${p}/`,
    `http://[::ffff:127.0.0.1]:${p}/`,
    `http://[::ffff:7f00:1]:${p}/`,
    `http://[::1]:${p}/`,
    `http://0.0.0.0:${p}/`,
    `http://0:${p}/`,
    `http://loop.test:${p}/`,
    `127.0.0.1:${p}/`,
    `http:/127.0.0.1:${p}/`,
    `?url=${encodeURIComponent(`http://127.0.0.1:${p}/`)}`,
  ];

  it('every spelling of the loopback address is refused before anything is sent', async () => {
    for (const target of spellings(up.port)) {
      const r = await get(base, target);
      assert.equal(r.status, 403, `${target}: ${r.body}`);
      assert.equal(JSON.parse(r.body).error.rule, 'private-target', target);
      assert.equal(r.acao, '*', 'the page can read the refusal');
    }
    assert.equal(up.seen.length, 0, 'the upstream was never reached');
  });

  it('private, link-local, CGNAT, multicast, reserved and metadata addresses are refused', async () => {
    const targets = [
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://224.0.0.1/',
      'http://240.0.0.1/',
      'http://192.0.2.1/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[ff02::1]/',
      'http://[64:ff9b::a00:1]/',
      'http://[2002:a00:1::]/',
      'http://internal.test/',
      'http://mixed.test/',
    ];
    for (const target of targets) {
      const r = await get(base, target);
      assert.equal(r.status, 403, `${target}: ${r.body}`);
      assert.equal(JSON.parse(r.body).error.rule, 'private-target');
    }
  });

  it('a refusal names the host, never the private address it resolved to', async () => {
    const r = await get(base, 'http://internal.test/admin');
    assert.match(r.body, /internal\.test resolves to a private/);
    assert.doesNotMatch(r.body, /10\.0\.0\.5/);
  });

  it('user:password@ in the target is refused, so a@127.0.0.1 tricks go nowhere', async () => {
    const r = await get(base, `http://example.com@127.0.0.1:${up.port}/`);
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).error.rule, 'bad-target');
    assert.equal(up.seen.length, 0);
  });

  it('DNS rebinding: the name is resolved once and the connection goes to the checked address', async () => {
    const calls: string[] = [];
    let answered = 0;
    // First answer public (unreachable here), every later one the local upstream.
    const rebinding = async (hostname: string): Promise<LookupAddress[]> => {
      calls.push(hostname);
      answered++;
      return [{ address: answered === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    };
    // The public address passes the check but cannot be reached from here: a proxy that looked the
    // name up again to connect would reach the local upstream instead.
    const p = createProxy({ port: 0, rateLimit: 'off', timeout: 500, resolver: rebinding });
    const { url } = await p.listen();
    try {
      const r = await get(url, `http://flip.test:${up.port}/`);
      assert.ok(r.status === 403 || r.status === 502 || r.status === 504, r.body);
      assert.equal(up.seen.length, 0, 'the rebound address was never contacted');
      assert.equal(calls.length, 1, 'one resolution, used for both the check and the connection');
    } finally {
      await p.close();
    }
  });

  it('an exemption lets exactly the named host and port through', async () => {
    const p = createProxy({ port: 0, rateLimit: 'off', allowPrivateTarget: [`127.0.0.1:${up.port}`] });
    const { url } = await p.listen();
    try {
      const ok = await get(url, `http://127.0.0.1:${up.port}/data`);
      assert.equal(ok.status, 200, ok.body);
      assert.equal(JSON.parse(ok.body).path, '/data');
      const otherPort = await get(url, `http://127.0.0.1:${up.port + 1}/`);
      assert.equal(otherPort.status, 403);
      const otherAddress = await get(url, 'http://10.0.0.1/');
      assert.equal(otherAddress.status, 403);
    } finally {
      await p.close();
    }
  });

  it('an exemption for host:443 does not open host:80 (the verdict cache is keyed by port)', async () => {
    // url.host drops default ports: https://127.0.0.1/ and http://127.0.0.1/ are both "127.0.0.1".
    const p = createProxy({ port: 0, rateLimit: 'off', timeout: 500, allowPrivateTarget: ['127.0.0.1:443'] });
    const { url } = await p.listen();
    try {
      const https = await get(url, 'https://127.0.0.1/');
      assert.notEqual(https.status, 403, 'the exempted port is tried');
      for (const target of ['http://127.0.0.1/', 'http://127.0.0.1:80/', '127.0.0.1/']) {
        const http = await get(url, target);
        assert.equal(http.status, 403, `${target} after https://127.0.0.1/: ${http.body}`);
        assert.equal(JSON.parse(http.body).error.rule, 'private-target');
      }
    } finally {
      await p.close();
    }
  });

  // One row per range of the IANA IPv6 special-purpose registry (and RFC 4291's deprecated ones):
  // an address in it, written as a URL literal and returned for a name.
  const v6Rows: [range: string, address: string][] = [
    ['::/128 unspecified', '::'],
    ['::1/128 loopback', '::1'],
    ['::/96 IPv4-compatible (loopback)', '::127.0.0.1'],
    ['::/96 IPv4-compatible (metadata)', '::169.254.169.254'],
    ['::/96 IPv4-compatible (public)', '::8.8.8.8'],
    ['::ffff:0:0/96 IPv4-mapped', '::ffff:10.1.2.3'],
    ['::ffff:0:0:0/96 IPv4-translated', '::ffff:0:7f00:1'],
    ['64:ff9b::/96 NAT64 carrying a private IPv4', '64:ff9b::192.168.0.1'],
    ['64:ff9b::/96 NAT64 carrying metadata', '64:ff9b::169.254.169.254'],
    ['64:ff9b:1::/48 local-use NAT64', '64:ff9b:1::808:808'],
    ['100::/64 discard-only', '100::1'],
    ['2001::/32 Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['2001::/23 IETF protocol assignments', '2001:2::1'],
    ['2001:db8::/32 documentation', '2001:db8::1'],
    ['2002::/16 6to4 carrying loopback', '2002:7f00:1::'],
    ['2002::/16 6to4 carrying a private IPv4', '2002:c0a8:101::1'],
    ['3fff::/20 documentation', '3fff::1'],
    ['5f00::/16 segment routing', '5f00::1'],
    ['fc00::/7 unique local', 'fd12:3456::1'],
    ['fe80::/10 link-local', 'fe80::1'],
    ['fec0::/10 site-local', 'fec0::1'],
    ['ff00::/8 multicast', 'ff02::1'],
    ['outside 2000::/3, unallocated', '4000::1'],
  ];

  it('every IPv6 special-purpose range is refused, as a literal and through a name', async () => {
    const names: Record<string, string[]> = {};
    v6Rows.forEach(([, address], i) => {
      names[`v6-${i}.test`] = [address];
    });
    const p = createProxy({ port: 0, rateLimit: 'off', timeout: 500, resolver: resolverFor(names) });
    const { url } = await p.listen();
    const seenBefore = up.seen.length;
    try {
      for (const [i, [range, address]] of v6Rows.entries()) {
        for (const target of [`http://[${address}]:${up.port}/`, `http://v6-${i}.test:${up.port}/`]) {
          const r = await get(url, target);
          assert.equal(r.status, 403, `${range}: ${target}: ${r.body}`);
          assert.equal(JSON.parse(r.body).error.rule, 'private-target', `${range}: ${target}`);
        }
      }
      assert.equal(up.seen.length, seenBefore, 'no connection reached the upstream');
    } finally {
      await p.close();
    }
  });

  it('public IPv6 addresses, and NAT64 or 6to4 carrying a public IPv4, pass the address check', async () => {
    const { privateRange } = await import('../../src/proxy/addresses.js');
    for (const address of [
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ])
      assert.equal(privateRange(address), null, address);
  });

  it('a CIDR exemption covers its range, any port', async () => {
    const p = createProxy({ port: 0, rateLimit: 'off', allowPrivateTarget: ['127.0.0.0/8'] });
    const { url } = await p.listen();
    try {
      assert.equal((await get(url, `http://127.0.0.1:${up.port}/`)).status, 200);
      assert.equal((await get(url, 'http://192.168.1.1/')).status, 403);
    } finally {
      await p.close();
    }
  });
});
