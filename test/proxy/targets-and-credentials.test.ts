// Deny rules that hold whatever the spelling (an address in IPv6 clothing, a name that resolves to
// it), credentials that either work or are refused before anything is forwarded, and origin
// patterns above a public suffix on --allow-origin.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createProxy, ProxyConfigError, type ProxyOptions } from '../../src/proxy/index.js';
import { close, corsHeadersOf, send } from '../helpers/http.js';
import { type Upstream, upstream, withProxy } from '../helpers/upstream.js';
import { warningsDuring } from '../helpers/warnings.js';

const ORIGIN = 'https://app.example.com';

describe('proxy: --deny-target on canonical addresses, and on what names resolve to', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
  });
  after(async () => {
    await close(up.server);
  });

  /** The rule of each refusal (or the status of an answer) for these target hosts. */
  async function outcomes(options: ProxyOptions, hosts: readonly string[]): Promise<string[]> {
    return withProxy(up, { timeout: 1000, ...options }, async ({ url }) => {
      const out: string[] = [];
      for (const host of hosts) {
        const r = await send(`${url}http://${host}/secret`, 'GET', { origin: ORIGIN });
        out.push(r.status === 200 ? '200' : JSON.parse(r.body).error.rule);
      }
      return out;
    });
  }

  it('--deny-target 127.0.0.1 denies it in every IPv6 spelling, and localhost, which resolves to it', async () => {
    const port = up.port;
    const got = await outcomes(
      {
        denyTarget: ['127.0.0.1'],
        allowPrivateTarget: [`127.0.0.1:${port}`, `localhost:${port}`],
        resolver: async (name) => (name === 'localhost' ? [{ address: '127.0.0.1', family: 4 }] : []),
      },
      [
        `[::ffff:127.0.0.1]:${port}`,
        `[::ffff:7f00:1]:${port}`,
        `[0:0:0:0:0:ffff:7f00:1]:${port}`,
        `localhost:${port}`,
        `127.1:${port}`,
      ],
    );
    assert.deepEqual(got, Array(5).fill('target-denied'));
    assert.equal(up.seen.length, 0, 'nothing reached the denied address');
  });

  it('--deny-target 192.0.43.10 denies [::ffff:192.0.43.10], its NAT64 form, and a name that resolves to it', async () => {
    const got = await outcomes(
      {
        denyTarget: ['192.0.43.10'],
        resolver: async (name) => (name === 'api.example' ? [{ address: '192.0.43.10', family: 4 }] : []),
      },
      ['[::ffff:192.0.43.10]', '[64:ff9b::c000:2b0a]', 'api.example'],
    );
    assert.deepEqual(got, ['target-denied', 'target-denied', 'target-denied']);
    await withProxy(
      up,
      { denyTarget: ['192.0.43.10'], resolver: async () => [{ address: '192.0.43.10', family: 4 }] },
      async ({ url }) => {
        const r = await send(`${url}http://api.example/x`, 'GET', { origin: ORIGIN });
        assert.equal(
          JSON.parse(r.body).error.message,
          "api.example resolves to an address on the proxy's deny list",
        );
      },
    );
  });

  it('a rule written in an IPv6 spelling denies the IPv4 address too', async () => {
    const got = await outcomes(
      { denyTarget: ['[::ffff:7f00:1]'], allowPrivateTarget: [`127.0.0.1:${up.port}`] },
      [`127.0.0.1:${up.port}`],
    );
    assert.deepEqual(got, ['target-denied']);
  });
});

describe('proxy: credentials work, or are refused before anything is forwarded', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
    up.routes.set('/me', (req, res) => {
      res.setHeader('Set-Cookie', 'seen=1');
      res.end(`cookie: ${req.headers.cookie ?? 'none'}`);
    });
  });
  after(async () => {
    await close(up.server);
  });

  it('--cookies without --allow-origin is refused at start-up', () => {
    assert.throws(
      () => createProxy({ cookies: ['api.example.com'] }),
      (err: unknown) =>
        err instanceof ProxyConfigError &&
        err.problems.some(
          (p) =>
            p.code === 'PROXY_COOKIES_WITHOUT_ALLOW_ORIGIN' &&
            /a credentialed answer can only be read by a page whose origin is named/.test(p.message),
        ),
    );
  });

  it('to a --cookies target, an --allow-origin page gets the exact origin with Access-Control-Allow-Credentials', async () => {
    await withProxy(up, { cookies: ['127.0.0.1'], allowOrigin: [ORIGIN] }, async ({ to }) => {
      const r = await send(to('/me'), 'GET', { origin: ORIGIN, cookie: 'session=1' });
      assert.equal(r.body, 'cookie: session=1');
      assert.equal(r.headers['set-cookie']?.[0], 'seen=1');
      assert.deepEqual(
        { ...corsHeadersOf(r.headers), 'access-control-expose-headers': undefined },
        {
          'access-control-allow-origin': ORIGIN,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': undefined,
        },
      );
      assert.match(String(r.headers.vary), /Origin/);
      const preflight = await send(to('/me'), 'OPTIONS', {
        origin: ORIGIN,
        'access-control-request-method': 'PUT',
      });
      assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
      assert.equal(preflight.headers['access-control-allow-origin'], ORIGIN);
    });
  });

  it('with cookies to any other target, the request is refused before it is forwarded, readably', async () => {
    up.seen.length = 0;
    for (const options of [{}, { cookies: ['api.example.com'], allowOrigin: [ORIGIN] }]) {
      await withProxy(up, options, async ({ to }) => {
        const r = await send(to('/me'), 'POST', { origin: ORIGIN, cookie: 'session=1' });
        assert.equal(r.status, 403);
        const error = JSON.parse(r.body).error;
        assert.equal(error.rule, 'credentials-refused');
        assert.match(
          error.message,
          /carries cookies \(credentials: 'include'\), and this proxy passes none to/,
        );
        assert.equal(r.headers['access-control-allow-origin'], ORIGIN);
        assert.equal(r.headers['access-control-allow-credentials'], 'true');
      });
    }
    assert.equal(up.seen.length, 0, 'nothing was forwarded');
    // Without cookies a credentialed request cannot be told from another: with --cookies set, its
    // answer is readable too, and nothing of the user's went with it.
    await withProxy(up, { cookies: ['api.example.com'], allowOrigin: [ORIGIN] }, async ({ to }) => {
      const r = await send(to('/me'), 'GET', { origin: ORIGIN });
      assert.equal(r.body, 'cookie: none');
      assert.equal(r.headers['set-cookie'], undefined);
      assert.equal(r.headers['access-control-allow-credentials'], 'true');
    });
  });
});

describe('proxy: --allow-origin patterns above a public suffix', () => {
  it('are refused with --cookies (credentials), and warned about without', async () => {
    assert.throws(
      () => createProxy({ allowOrigin: ['https://*.amazonaws.com'], cookies: ['api.example.com'] }),
      /allowOrigin \(origin\[0\]\): 'https:\/\/\*\.amazonaws\.com' trusts every site under 'amazonaws\.com', and the Public Suffix List has 's3\.amazonaws\.com' under it/,
    );
    const warnings = await warningsDuring(() => createProxy({ allowOrigin: ['https://*.windows.net'] }));
    const broad = warnings.find((w) => w.code === 'CORSICA_PATTERN_TOO_BROAD');
    assert.match(
      broad?.message ?? '',
      /^allowOrigin \(origin\[0\]\): 'https:\/\/\*\.windows\.net' trusts every site under/,
    );
  });
});
