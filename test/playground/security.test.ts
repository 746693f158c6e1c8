// The playground is a server on the developer's machine that every web page the developer opens
// can reach through the browser (the class of Vite's CVE-2025-24010 and webpack-dev-server's 2025
// advisories). These attacks came from a red-team run; each was written here before its fix, by
// raw requests (a browser-driven run of the same attacks is test/e2e/playground-attacks.test.ts).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { send } from '../helpers/http.js';

const TOKEN_HEADER = 'x-corsica-playground-token';

let playground: Playground;
let token: string;
let page: URL;
let api: URL;

before(async () => {
  playground = await startPlayground({ allowedHosts: ['dev.example.test', '.corp.example.test'] });
  page = new URL(playground.pageUrl);
  api = new URL(playground.apiUrl);
  const html = await send(playground.pageUrl, 'GET');
  token = /<meta name="corsica-token" content="([^"]+)">/.exec(html.body)?.[1] ?? '';
});
after(() => playground.close());

/** A valid run: the test API with corsica's defaults, a simple GET. */
const RUN = {
  server: { mode: 'policy', options: {} },
  request: { method: 'GET', headers: [], body: null, credentials: false, target: null },
};

/** A POST to the page's API as the page itself sends it (token, same origin), unless `headers` say otherwise. */
function api_(path: string, body: unknown, headers: Record<string, string> = {}) {
  return send(
    new URL(path, page).href,
    'POST',
    {
      [TOKEN_HEADER]: token,
      origin: page.origin,
      'sec-fetch-site': 'same-origin',
      'content-type': 'text/plain;charset=UTF-8',
      ...headers,
    },
    typeof body === 'string' ? body : JSON.stringify(body),
  );
}

describe('the playground answers only Host values that name it (DNS rebinding)', () => {
  it('the page, its script, its API and the test API refuse a foreign Host with 403', async () => {
    for (const host of [
      'attacker.example',
      `attacker.example:${page.port}`,
      `localhost.attacker.example:${page.port}`,
      `127.0.0.1.nip.io:${page.port}`,
      `evil-localhost:${page.port}`,
    ]) {
      for (const [url, method] of [
        [playground.pageUrl, 'GET'],
        [new URL('/page-script.js', page).href, 'GET'],
        [new URL('/api/seen?id=r1', page).href, 'GET'],
        [new URL('/run/r1/items', api).href, 'GET'],
      ] as const) {
        const res = await send(url, method, { host, [TOKEN_HEADER]: token });
        assert.equal(res.status, 403, `${method} ${url} with Host: ${host}`);
        assert.match(res.body, /Host '.*' is not this playground's/, host);
      }
      const run = await api_('/api/run', RUN, { host });
      assert.equal(run.status, 403, host);
    }
  });

  it('localhost, *.localhost, 127.0.0.1, [::1] and the names given with --allowed-host are answered', async () => {
    for (const name of [
      'localhost',
      'app.localhost',
      '127.0.0.1',
      '[::1]',
      'dev.example.test',
      'a.corp.example.test',
    ]) {
      const res = await send(playground.pageUrl, 'GET', { host: `${name}:${page.port}` });
      assert.equal(res.status, 200, name);
    }
    const apiAnswer = await send(new URL('/run/none/items', api).href, 'GET', {
      host: `localhost:${api.port}`,
    });
    assert.equal(apiAnswer.status, 404, 'the test API answers its own names (404: no such run)');
  });

  it('the page cannot be framed by another site (a click on Send cannot be stolen)', async () => {
    const res = await send(playground.pageUrl, 'GET');
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
  });
});

describe("the playground's API answers only its own page", () => {
  it('the page carries a token that is random per start', async () => {
    assert.match(token, /^[A-Za-z0-9_-]{32,}$/);
    const other = await startPlayground();
    try {
      const html = await send(other.pageUrl, 'GET');
      const second = /<meta name="corsica-token" content="([^"]+)">/.exec(html.body)?.[1];
      assert.ok(second !== undefined && second !== token);
    } finally {
      await other.close();
    }
  });

  it('a call without the token, or with another, is refused with 403 and nothing runs', async () => {
    for (const headers of [
      { [TOKEN_HEADER]: '' },
      { [TOKEN_HEADER]: `${token}x` },
      { [TOKEN_HEADER]: 'guess' },
    ]) {
      for (const path of ['/api/run', '/api/explain', '/api/audit', '/api/snippets']) {
        const res = await api_(path, RUN, headers);
        assert.equal(res.status, 403, `${path} ${JSON.stringify(headers)}`);
        assert.match(res.body, /the playground's own page/, path);
      }
    }
    const seen = await send(new URL('/api/seen?id=r1', page).href, 'GET');
    assert.equal(seen.status, 403, '/api/seen without the token');
  });

  it('a call from another origin or another site is refused, even with the token', async () => {
    const foreign: Record<string, string>[] = [
      { origin: 'https://attacker.example' },
      { origin: `http://localhost:${Number(page.port) + 1}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of foreign) {
      const res = await api_('/api/run', RUN, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.body, /the playground's own page/);
    }
  });

  it('its own page is answered', async () => {
    const res = await api_('/api/run', RUN);
    assert.equal(res.status, 200, res.body);
    assert.match(JSON.parse(res.body).url, /\/run\/r\d+\/items$/);
  });
});

describe('malformed input gets 400 with the reason, and the playground keeps running', () => {
  const raw = (preflight: unknown, actual: unknown = { status: 200, headers: [] }) => ({
    ...RUN,
    server: { mode: 'raw', preflight, actual },
  });
  const cases: [string, string, unknown, RegExp][] = [
    ['a body of null', '/api/run', null, /the body must be a JSON object/],
    ['a body that is not JSON', '/api/run', '{"server":', /not valid JSON/],
    [
      'request.headers: null',
      '/api/run',
      { ...RUN, request: { ...RUN.request, headers: null } },
      /request\.headers must be a list/,
    ],
    ['/api/snippets with {}', '/api/snippets', {}, /request must be an object/],
    ['/api/explain without origin', '/api/explain', RUN, /origin must be/],
    [
      'a raw header name with a space',
      '/api/run',
      raw({ status: 204, headers: [['X Api', '1']] }),
      /server\.preflight\.headers\[0\]: 'X Api' is not a header name/,
    ],
    [
      'a raw status of 99',
      '/api/run',
      raw({ status: 99, headers: [] }),
      /server\.preflight\.status must be a whole number from 200 to 599/,
    ],
    [
      'a CRLF in a raw header value',
      '/api/run',
      raw({ status: 204, headers: [] }, { status: 200, headers: [['X-A', 'a\r\nSet-Cookie: x=1']] }),
      /server\.actual\.headers\[0\]: the value of X-A has a character no header value may hold/,
    ],
    [
      'a request method that is not a token',
      '/api/run',
      { ...RUN, request: { ...RUN.request, method: 'GE T' } },
      /request\.method/,
    ],
    [
      'a target that is not an http(s) URL',
      '/api/run',
      { ...RUN, request: { ...RUN.request, target: 'file:///etc/passwd' } },
      /request\.target must be an http/,
    ],
  ];
  for (const [name, path, body, reason] of cases) {
    it(name, async () => {
      const res = await api_(path, body);
      assert.equal(res.status, 400, res.body);
      assert.match(JSON.parse(res.body).error, reason);
      assert.equal((await send(playground.pageUrl, 'GET')).status, 200, 'still running');
    });
  }
});
