// corsica/node as a drop-in for `cors`: one Express 4 app (test/fixtures/cors-app.cjs), built once
// with require('cors') and once with require('corsica/node') from the built package, gets the same
// requests. What a browser acts on must match wherever cors is right; each place where corsica
// answers differently on purpose is asserted on its own, as docs/migrating-from-cors.md lists it.

import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, RequestListener, Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { close, listen, type RawResponse, send } from '../helpers/http.js';

const require = createRequire(import.meta.url);
type Factory = (options?: unknown) => RequestListener;
const buildApp = require('../fixtures/cors-app.cjs') as (cors: Factory) => RequestListener;
const corsPackage = require('cors') as Factory;
const corsica = require('corsica/node') as Factory;

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

/** What a browser acts on for an allowed request, as a comparable object. */
function browserView(res: RawResponse, kind: 'actual' | 'preflight'): Record<string, unknown> {
  const h = res.headers;
  const view: Record<string, unknown> = {
    status: res.status,
    body: res.body,
    'allow-origin': h['access-control-allow-origin'],
    'allow-credentials': h['access-control-allow-credentials'],
  };
  if (kind === 'preflight') {
    view['allow-methods'] = h['access-control-allow-methods'];
    view['allow-headers'] = h['access-control-allow-headers'];
    view['max-age'] = h['access-control-max-age'];
  } else {
    view['expose-headers'] = h['access-control-expose-headers'];
  }
  return view;
}

function corsHeaderNames(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers)
    .filter((name) => name.startsWith('access-control-'))
    .sort();
}

describe('corsica/node as a drop-in for cors (Express 4 app)', () => {
  let theirs: Server;
  let ours: Server;
  let theirsUrl: string;
  let oursUrl: string;

  before(async () => {
    ({ server: theirs, url: theirsUrl } = await listen(buildApp(corsPackage)));
    ({ server: ours, url: oursUrl } = await listen(buildApp(corsica)));
  });

  after(async () => {
    await Promise.all([theirs, ours].filter(Boolean).map(close));
  });

  const both = (method: string, path: string, headers: Record<string, string> = {}) =>
    Promise.all([send(theirsUrl + path, method, headers), send(oursUrl + path, method, headers)]);

  it("require('corsica/node') is the middleware factory itself, like require('cors')", () => {
    assert.equal(typeof corsica, 'function');
    assert.equal(typeof (corsica as unknown as { cors: unknown }).cors, 'function');
    assert.equal(typeof (corsica as unknown as { CorsConfigError: unknown }).CorsConfigError, 'function');
  });

  const SAME: {
    name: string;
    method: string;
    path: string;
    headers: Record<string, string>;
    kind: 'actual' | 'preflight';
  }[] = [
    {
      name: 'global policy, allowed origin',
      method: 'GET',
      path: '/api/items',
      headers: { origin: APP },
      kind: 'actual',
    },
    {
      name: 'global policy, allowed preflight',
      method: 'OPTIONS',
      path: '/api/items',
      headers: {
        origin: APP,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,authorization',
      },
      kind: 'preflight',
    },
    { name: 'per-route defaults', method: 'GET', path: '/public', headers: { origin: APP }, kind: 'actual' },
    {
      name: 'app.options with the defaults',
      method: 'OPTIONS',
      path: '/public',
      headers: { origin: APP, 'access-control-request-method': 'DELETE' },
      kind: 'preflight',
    },
    {
      name: 'delegate, listed origin',
      method: 'GET',
      path: '/delegated',
      headers: { origin: APP },
      kind: 'actual',
    },
    {
      name: "delegate answering '*'",
      method: 'GET',
      path: '/delegated?open=1',
      headers: { origin: EVIL },
      kind: 'actual',
    },
    {
      name: 'delegate, unlisted origin',
      method: 'GET',
      path: '/delegated',
      headers: { origin: EVIL },
      kind: 'actual',
    },
  ];

  for (const c of SAME) {
    it(`same answer where cors is right: ${c.name}`, async () => {
      const [a, b] = await both(c.method, c.path, c.headers);
      assert.deepEqual(browserView(b, c.kind), browserView(a, c.kind));
      assert.equal(b.headers.vary, a.headers.vary);
    });
  }

  it('difference: a refused origin gets no CORS header at all (cors still sends credentials and lists)', async () => {
    const [a, b] = await both('GET', '/api/items', { origin: EVIL });
    assert.deepEqual(corsHeaderNames(a.headers), [
      'access-control-allow-credentials',
      'access-control-expose-headers',
    ]);
    assert.deepEqual(corsHeaderNames(b.headers), []);
    assert.equal(b.headers.vary, 'Origin');
    assert.equal(b.body, a.body, 'the app answers either way');
  });

  it('difference: a refused preflight carries no permission (cors grants methods, headers and max-age)', async () => {
    const [a, b] = await both('OPTIONS', '/api/items', {
      origin: EVIL,
      'access-control-request-method': 'PUT',
    });
    assert.equal(a.headers['access-control-allow-methods'], 'GET,POST,PUT,DELETE');
    assert.equal(a.headers['access-control-max-age'], '600');
    assert.equal(b.status, 204);
    assert.deepEqual(corsHeaderNames(b.headers), []);
  });

  it('difference: an OPTIONS request without Access-Control-Request-Method reaches the app (cors ends it as a preflight)', async () => {
    const [a, b] = await both('OPTIONS', '/api/items', { origin: APP });
    assert.equal(a.status, 204);
    assert.equal(a.body, '');
    assert.equal(b.status, 200);
    assert.equal(b.body, 'app answered OPTIONS');
  });

  it('difference: Access-Control-Expose-Headers only on actual responses (cors also puts it on preflights)', async () => {
    const [a, b] = await both('OPTIONS', '/api/items', {
      origin: APP,
      'access-control-request-method': 'PUT',
    });
    assert.equal(a.headers['access-control-expose-headers'], 'X-Total-Count');
    assert.equal(b.headers['access-control-expose-headers'], undefined);
  });

  it('difference: reflected request headers are parsed and lower-cased (cors echoes the raw value)', async () => {
    const [a, b] = await both('OPTIONS', '/public', {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'X-A,  X-B',
    });
    assert.equal(a.headers['access-control-allow-headers'], 'X-A,  X-B');
    assert.equal(b.headers['access-control-allow-headers'], 'x-a,x-b');
  });

  it('difference: a request without Origin gets no CORS header (cors sends credentials and exposed headers)', async () => {
    const [a, b] = await both('GET', '/api/items');
    assert.deepEqual(corsHeaderNames(a.headers), [
      'access-control-allow-credentials',
      'access-control-expose-headers',
    ]);
    assert.deepEqual(corsHeaderNames(b.headers), []);
  });
});

describe('corsica/node and cors on options they read differently', () => {
  /** One request through a bare node:http server with the middleware; the app answers 'app'. */
  async function through(
    factory: Factory,
    options: unknown,
    method: string,
    headers: Record<string, string>,
  ) {
    const middleware = factory(options) as unknown as (
      req: unknown,
      res: unknown,
      next: (err?: unknown) => void,
    ) => void;
    const { server, url } = await listen((req, res) =>
      middleware(req, res, (err?: unknown) => res.end(err ? `error: ${(err as Error).name}` : 'app')),
    );
    try {
      return await send(url, method, headers);
    } finally {
      await close(server);
    }
  }

  it("difference: '*' with credentials throws CorsConfigError (cors accepts it, and browsers refuse every answer)", () => {
    assert.doesNotThrow(() => corsPackage({ origin: '*', credentials: true }));
    assert.throws(
      () => corsica({ origin: '*', credentials: true }),
      (err: Error) =>
        err.name === 'CorsConfigError' && /origin '\*' cannot be used with credentials/.test(err.message),
    );
  });

  it("difference: origin: true does not reflect the opaque origin 'null' (cors does)", async () => {
    const headers = { origin: 'null' };
    const a = await through(corsPackage, { origin: true }, 'GET', headers);
    const b = await through(corsica, { origin: true }, 'GET', headers);
    assert.equal(a.headers['access-control-allow-origin'], 'null');
    assert.equal(b.headers['access-control-allow-origin'], undefined);
    const allowed = await through(corsica, { origin: true, allowNullOrigin: true }, 'GET', headers);
    assert.equal(allowed.headers['access-control-allow-origin'], 'null', 'allowNullOrigin opts in');
  });

  it('difference: a fixed origin is not sent to other origins (cors sends it to everyone)', async () => {
    const headers = { origin: EVIL };
    const a = await through(corsPackage, { origin: APP }, 'GET', headers);
    const b = await through(corsica, { origin: APP }, 'GET', headers);
    assert.equal(a.headers['access-control-allow-origin'], APP);
    assert.equal(b.headers['access-control-allow-origin'], undefined);
  });

  it("difference: allowedHeaders: '' allows no request header (cors reads '' as unset and reflects)", async () => {
    const headers = {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'x-a',
    };
    const a = await through(corsPackage, { origin: APP, allowedHeaders: '' }, 'OPTIONS', headers);
    const b = await through(corsica, { origin: APP, allowedHeaders: '' }, 'OPTIONS', headers);
    assert.equal(a.headers['access-control-allow-headers'], 'x-a');
    assert.equal(b.headers['access-control-allow-headers'], undefined);
  });

  const answering =
    (value: unknown) => (_origin: string | undefined, cb: (err: null, allow: unknown) => void) =>
      cb(null, value);

  it("difference: an origin function answering '*' with credentials goes to next(err) (cors sends '*' with credentials, which browsers refuse)", async () => {
    const options = { origin: answering('*'), credentials: true };
    const a = await through(corsPackage, options, 'GET', { origin: EVIL });
    const b = await through(corsica, options, 'GET', { origin: EVIL });
    assert.equal(a.headers['access-control-allow-origin'], '*');
    assert.equal(a.headers['access-control-allow-credentials'], 'true');
    assert.equal(b.body, 'error: CorsConfigError');
    assert.deepEqual(corsHeaderNames(b.headers), []);
  });

  it('difference: an origin string answered by an origin function allows that origin only (cors sends it to everyone)', async () => {
    const options = { origin: answering(APP) };
    const a = await through(corsPackage, options, 'GET', { origin: EVIL });
    const b = await through(corsica, options, 'GET', { origin: EVIL });
    assert.equal(a.headers['access-control-allow-origin'], APP);
    assert.equal(b.headers['access-control-allow-origin'], undefined);
    const c = await through(corsica, options, 'GET', { origin: APP });
    assert.equal(c.headers['access-control-allow-origin'], APP);
  });

  it("difference: Origin: null is refused without asking the origin function (cors asks it and reflects 'null')", async () => {
    let asked: unknown = 'never';
    const options = {
      origin: (origin: string | undefined, cb: (err: null, allow: boolean) => void) => {
        asked = origin;
        cb(null, true);
      },
    };
    const a = await through(corsPackage, options, 'GET', { origin: 'null' });
    assert.equal(asked, 'null');
    assert.equal(a.headers['access-control-allow-origin'], 'null');
    asked = 'never';
    const b = await through(corsica, options, 'GET', { origin: 'null' });
    assert.equal(asked, 'never');
    assert.equal(b.headers['access-control-allow-origin'], undefined);
    assert.equal(b.body, 'app', 'handed on, as when the function says no');
    const optIn = await through(corsica, { ...options, allowNullOrigin: true }, 'GET', { origin: 'null' });
    assert.equal(optIn.headers['access-control-allow-origin'], 'null', 'allowNullOrigin opts in');
  });

  it('difference: maxAge: -1 is sent as 0 (cors sends -1, which browsers cannot parse)', async () => {
    const headers = { origin: APP, 'access-control-request-method': 'PUT' };
    const a = await through(corsPackage, { origin: APP, maxAge: -1 }, 'OPTIONS', headers);
    const b = await through(corsica, { origin: APP, maxAge: -1 }, 'OPTIONS', headers);
    assert.equal(a.headers['access-control-max-age'], '-1');
    assert.equal(b.headers['access-control-max-age'], '0');
  });
});
