// The model per engine: where Chromium, Firefox 153 and WebKit part ways, each follows
// its real browser. Firefox's cases and lines are the ones real Firefox 153 ESR gave
// (test/e2e/firefox-model.test.ts checks the same against the browser on 400 scenarios); WebKit's
// come from a comparison against WebKitGTK 2.50 and WebCore's messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BrowserRequest,
  type BrowserResponse,
  checkPreflight,
  classifyRequest,
  corsCheck,
  type Engine,
  parseMaxAge,
  simulateFetch,
  type Transport,
  type WireRequest,
} from '../../src/browser/index.js';

const PAGE = 'http://127.0.0.1:8000';
const API = 'http://localhost:9000';

function classify(request: Partial<BrowserRequest> & { engine: Engine }) {
  const c = classifyRequest({ url: `${API}/r`, origin: PAGE, ...request });
  assert.ok(c.ok);
  return c.value;
}

const answer = (headers: [string, string][], status = 200): BrowserResponse => ({ status, headers });

/** A transport over a table of answers by `METHOD path`, recording what was sent. */
function fake(table: Record<string, BrowserResponse>): { transport: Transport; sent: WireRequest[] } {
  const sent: WireRequest[] = [];
  return {
    sent,
    transport: async (wire) => {
      sent.push(wire);
      const key = `${wire.method} ${new URL(wire.url).pathname}`;
      const found = table[key];
      if (found === undefined) throw new Error(`no answer for ${key}`);
      return found;
    },
  };
}

const origin = (w: WireRequest) => w.headers.find(([n]) => n === 'Origin')?.[1];

describe('classification per engine', () => {
  it("Chromium's extra safelisted headers (Save-Data, DPR, Width, Intervention...) need a preflight in Firefox and WebKit", () => {
    for (const [name, value] of [
      ['Save-Data', 'on'],
      ['DPR', '2'],
      ['Width', '100'],
      ['Device-Memory', '8'],
      ['Intervention', 'x'],
    ] as const) {
      assert.equal(classify({ headers: [[name, value]], engine: 'chromium' }).preflight, false, name);
      for (const engine of ['firefox', 'webkit', 'standard'] as const)
        assert.deepEqual(classify({ headers: [[name, value]], engine }).unsafeHeaderNames, [
          name.toLowerCase(),
        ]);
    }
  });
});

describe('the CORS check per engine', () => {
  const two: [string, string][] = [
    ['Access-Control-Allow-Origin', PAGE],
    ['Access-Control-Allow-Origin', PAGE],
  ];
  it('two allow-origin lines: Firefox refuses them as such; one line with a comma is a mismatch there', () => {
    assert.deepEqual(corsCheck(answer(two), PAGE, false, 'firefox'), {
      code: 'MultipleAllowOriginValues',
      hint: `${PAGE}, ${PAGE}`,
      engineKey: 'CORSMultipleAllowOriginNotAllowed',
    });
    assert.equal(corsCheck(answer(two), PAGE, false, 'chromium')?.code, 'MultipleAllowOriginValues');
    const oneLine = corsCheck(
      answer([['Access-Control-Allow-Origin', `${PAGE}, ${PAGE}`]]),
      PAGE,
      false,
      'firefox',
    );
    assert.equal(oneLine?.engineKey, undefined);
  });

  it('WebKit: "more than one origin" only for a comma; a space is "not allowed"', () => {
    const spaced = corsCheck(answer([['Access-Control-Allow-Origin', `${PAGE} x`]]), PAGE, false, 'webkit');
    assert.equal(spaced?.code, 'InvalidAllowOriginValue');
    assert.equal(corsCheck(answer(two), PAGE, false, 'webkit')?.code, 'MultipleAllowOriginValues');
  });

  it('every engine refuses * with credentials and a credentials flag other than "true"', () => {
    for (const engine of ['chromium', 'firefox', 'webkit'] as const) {
      assert.equal(
        corsCheck(answer([['Access-Control-Allow-Origin', '*']]), PAGE, true, engine)?.code,
        'WildcardOriginNotAllowed',
      );
      const capital = answer([
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Credentials', 'True'],
      ]);
      assert.equal(corsCheck(capital, PAGE, true, engine)?.code, 'InvalidAllowCredentials', engine);
    }
  });
});

describe('the preflight checks per engine', () => {
  const put = (engine: Engine) => classify({ method: 'PUT', headers: [['X-A', '1']], engine });
  const allowOrigin: [string, string] = ['Access-Control-Allow-Origin', PAGE];

  it('Firefox looks for the method before it reads Access-Control-Allow-Headers; Chromium parses both lists first', () => {
    const response = answer([
      allowOrigin,
      ['Access-Control-Allow-Methods', 'GET'],
      ['Access-Control-Allow-Headers', 'x y'],
    ]);
    const firefox = checkPreflight(put('firefox'), response, PAGE);
    assert.equal(firefox.ok ? null : firefox.failure.code, 'MethodDisallowedByPreflightResponse');
    const chromium = checkPreflight(put('chromium'), response, PAGE);
    assert.equal(chromium.ok ? null : chromium.failure.code, 'InvalidAllowHeadersPreflightResponse');
  });

  it('Firefox names the invalid token; WebKit the whole value', () => {
    const response = answer([allowOrigin, ['Access-Control-Allow-Methods', 'GET, P(T']]);
    const firefox = checkPreflight(put('firefox'), response, PAGE);
    assert.deepEqual(firefox.ok ? null : firefox.failure, {
      code: 'InvalidAllowMethodsPreflightResponse',
      hint: 'P(T',
    });
    const webkit = checkPreflight(put('webkit'), response, PAGE);
    assert.deepEqual(webkit.ok ? null : webkit.failure, {
      code: 'InvalidAllowMethodsPreflightResponse',
      hint: 'GET, P(T',
    });
  });

  it('WebKit checks the status before the CORS headers; Chromium and Firefox the other way round', () => {
    const response = answer([], 500);
    for (const [engine, code] of [
      ['webkit', 'PreflightInvalidStatus'],
      ['chromium', 'PreflightMissingAllowOriginHeader'],
      ['firefox', 'PreflightMissingAllowOriginHeader'],
    ] as const) {
      const checked = checkPreflight(put(engine), response, PAGE);
      assert.equal(checked.ok ? null : checked.failure.code, code, engine);
    }
  });

  it('max-age per engine: WebKit caps at 600 s, Firefox at 86400 s, Chromium at 7200 s', () => {
    assert.equal(parseMaxAge('100000', 'webkit'), 600);
    assert.equal(parseMaxAge('abc', 'webkit'), 5);
    assert.equal(parseMaxAge('-3', 'webkit'), 0);
    assert.equal(parseMaxAge('100000', 'firefox'), 86400);
    assert.equal(parseMaxAge('100000', 'chromium'), 7200);
  });
});

describe('whole fetches per engine', () => {
  const request = (engine: Engine, extra: Partial<BrowserRequest> = {}): BrowserRequest => ({
    url: `${API}/r`,
    origin: PAGE,
    method: 'PUT',
    engine,
    ...extra,
  });
  const grant = (o = PAGE): BrowserResponse =>
    answer([
      ['Access-Control-Allow-Origin', o],
      ['Access-Control-Allow-Methods', 'PUT'],
    ]);

  it('after a cross-origin redirect, Firefox preflights with the page origin, the others with null', async () => {
    for (const [engine, expected] of [
      ['chromium', 'null'],
      ['webkit', 'null'],
      ['firefox', PAGE],
    ] as const) {
      const { transport, sent } = fake({
        'OPTIONS /r': grant(),
        'PUT /r': answer(
          [
            ['Access-Control-Allow-Origin', PAGE],
            ['Location', 'http://other.example/next'],
          ],
          307,
        ),
        'OPTIONS /next': grant('null'),
        'PUT /next': grant('null'),
      });
      const outcome = await simulateFetch(request(engine), transport);
      assert.deepEqual(
        sent.map((w) => `${w.method} ${origin(w)}`),
        engine === 'firefox'
          ? [`OPTIONS ${PAGE}`, `PUT ${PAGE}`, `OPTIONS ${PAGE}`]
          : [`OPTIONS ${PAGE}`, `PUT ${PAGE}`, `OPTIONS ${expected}`, 'PUT null'],
        engine,
      );
      assert.equal(outcome.verdict, engine === 'firefox' ? 'blocked' : 'allowed', engine);
    }
  });

  it("Firefox's lines for a preflight answered with a redirect: the CORS headers first", async () => {
    const redirect = (headers: [string, string][]) =>
      fake({ 'OPTIONS /r': answer([...headers, ['Location', '/elsewhere']], 302) }).transport;
    const noOrigin = await simulateFetch(request('firefox'), redirect([]));
    assert.deepEqual(
      noOrigin.console.map((l) => l.text),
      [
        `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}/r. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 302.`,
        `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}/r. (Reason: CORS request did not succeed). Status code: (null).`,
        `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}/r. (Reason: CORS request did not succeed). Status code: (null).`,
      ],
    );
    assert.equal(noOrigin.failure?.code, 'PreflightMissingAllowOriginHeader');
    const allowed = await simulateFetch(
      request('firefox'),
      redirect([['Access-Control-Allow-Origin', PAGE]]),
    );
    assert.deepEqual(
      allowed.console.map((l) => l.key),
      ['CORSExternalRedirectNotAllowed', 'CORSPreflightDidNotSucceed3', 'CORSDidNotSucceed2'],
    );
    assert.match(allowed.console[1]!.text, /Status code: 302\.$/);
    // Chromium refuses the redirect before reading the headers.
    const chromium = await simulateFetch(request('chromium'), redirect([]));
    assert.equal(chromium.failure?.code, 'PreflightDisallowedRedirect');
  });

  it('Firefox warns when Access-Control-Allow-Headers: * lets Authorization through, and allows it', async () => {
    const { transport } = fake({
      'OPTIONS /r': answer([
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', 'PUT'],
        ['Access-Control-Allow-Headers', '*'],
      ]),
      'PUT /r': answer([['Access-Control-Allow-Origin', PAGE]]),
    });
    const outcome = await simulateFetch(
      request('firefox', { headers: { Authorization: 'Bearer t' } }),
      transport,
    );
    assert.equal(outcome.verdict, 'allowed');
    assert.deepEqual(
      outcome.console.map((l) => `${l.level} ${l.key}`),
      ['warning CORSAllowHeaderFromPreflightDeprecation'],
    );
    const standard = await simulateFetch(
      request('standard', { headers: { Authorization: 'Bearer t' } }),
      transport,
    );
    assert.equal(standard.failure?.code, 'HeaderDisallowedByPreflightResponse');
  });

  it('a redirect to data: or file: is a network error in Chromium; to ftp: or mailto: a CORS error', async () => {
    const to = (location: string) =>
      fake({
        'GET /r': answer(
          [
            ['Access-Control-Allow-Origin', '*'],
            ['Location', location],
          ],
          302,
        ),
      }).transport;
    for (const [location, chromium, firefox] of [
      ['ftp://files.example/x', 'CorsDisabledScheme', 'CorsDisabledScheme'],
      ['mailto:a@b.example', 'CorsDisabledScheme', 'CorsDisabledScheme'],
      ['data:text/plain,x', 'network', 'network'],
      ['file:///etc/hosts', 'network', 'network'],
      ['javascript:1', 'CorsDisabledScheme', 'network'],
    ] as const) {
      for (const [engine, expected] of [
        ['chromium', chromium],
        ['firefox', firefox],
      ] as const) {
        const outcome = await simulateFetch(request(engine, { method: 'GET' }), to(location));
        assert.equal(
          outcome.failure?.code ?? (outcome.typeError === null ? 'allowed' : 'network'),
          expected,
          `${engine} ${location}`,
        );
      }
    }
  });

  it('Firefox prints nothing for a request that got no answer, but "did not succeed" for a redirect to one', async () => {
    const direct = await simulateFetch(request('firefox', { method: 'GET' }), fake({}).transport);
    assert.equal(direct.verdict, 'blocked');
    assert.deepEqual(direct.console, []);
    const { transport } = fake({
      'GET /r': answer(
        [
          ['Access-Control-Allow-Origin', '*'],
          ['Location', 'http://localhost:1/x'],
        ],
        307,
      ),
    });
    const redirected = await simulateFetch(request('firefox', { method: 'GET' }), transport);
    assert.deepEqual(
      redirected.console.map((l) => l.text),
      [
        `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}/r. (Reason: CORS request did not succeed). Status code: (null).`,
      ],
    );
  });

  it('WebKit words for redirects, as WebKitGTK 2.50 printed them', async () => {
    const to = (location: string) =>
      fake({
        'GET /r': answer(
          [
            ['Access-Control-Allow-Origin', '*'],
            ['Location', location],
          ],
          302,
        ),
      }).transport;
    const first = async (location: string) =>
      (await simulateFetch(request('webkit', { method: 'GET' }), to(location))).failure?.reason.lines.map(
        (l) => l.text,
      );
    assert.deepEqual(await first('ftp://localhost/x'), [
      'FTP URLs are disabled',
      `Fetch API cannot load ${API}/r due to access control checks.`,
    ]);
    assert.equal(
      (await first('data:,hi'))?.[0],
      'Cross-origin redirection to data:,hi denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme',
    );
    assert.equal(
      (await first('http://[::1'))?.[0],
      'Cross-origin redirection to http://[::1 denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme',
    );
    assert.equal(
      (await first('http://user:pw@other.example/next'))?.[0],
      'Cross-origin redirection to http://other.example/next denied by Cross-Origin Resource Sharing policy: redirection URL http://user:pw@other.example/next has credentials',
    );
    const preflight = await simulateFetch(
      request('webkit'),
      fake({ 'OPTIONS /r': answer([['Location', '/elsewhere']], 302) }).transport,
    );
    assert.equal(
      preflight.failure?.reason.lines[0]?.text,
      'Preflight response is not successful. Status code: 302',
    );
  });

  it('WebKit words', async () => {
    const { transport } = fake({
      'GET /r': answer([['Access-Control-Allow-Origin', 'https://other.example']], 404),
    });
    const outcome = await simulateFetch(request('webkit', { method: 'GET' }), transport);
    assert.deepEqual(outcome.failure?.reason, {
      engine: 'webkit',
      key: null,
      lines: [
        {
          level: 'error',
          key: null,
          text: `Origin ${PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 404`,
        },
        { level: 'error', key: null, text: `Fetch API cannot load ${API}/r due to access control checks.` },
      ],
    });
  });
});
