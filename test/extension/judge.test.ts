// The extension's reading of webRequest events, without a browser: the events in the order each
// browser sends them (as measured in Chromium 156 and Firefox 153 ESR, see src/extension/flights.ts),
// joined into one request with its preflight, and judged by the model as that browser judged it.
// The real browsers run the same code in test/e2e/extension-*.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCommand, requestFromOptions } from '../../src/check/index.js';
import { type RequestDetails, Tracker } from '../../src/extension/flights.js';
import { credentialsOf, judge, pageHeaders, UNSEEN_VALUE } from '../../src/extension/judge.js';
import { sitePatterns } from '../../src/extension/site.js';

const PAGE = 'http://127.0.0.1:5173';
const API = 'http://localhost:3000/items';

let next = 0;
/** One event's details, as Chromium gives them (Firefox gives originUrl instead of initiator). */
function details(id: string, method: string, more: Partial<RequestDetails> = {}): RequestDetails {
  return {
    requestId: id,
    url: API,
    method,
    type: 'xmlhttprequest',
    tabId: 7,
    timeStamp: ++next,
    initiator: PAGE,
    ...more,
  };
}
const h = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));

const PAGE_REQUEST = h([
  ['User-Agent', 'Mozilla/5.0'],
  ['Accept', '*/*'],
  ['X-Api-Key', 'k'],
  ['Origin', PAGE],
  ['Sec-Fetch-Site', 'cross-site'],
  ['Sec-Fetch-Mode', 'cors'],
  ['Accept-Language', 'en-US,en;q=0.9'],
]);
const PREFLIGHT = h([
  ['Accept', '*/*'],
  ['Access-Control-Request-Method', 'PUT'],
  ['Access-Control-Request-Headers', 'x-api-key'],
  ['Origin', PAGE],
]);
const REFUSING = h([
  ['Access-Control-Allow-Origin', PAGE],
  ['Access-Control-Allow-Methods', 'PUT'],
]);

describe('the extension joins a preflight to its request and judges it as the browser did', () => {
  it('Chromium: the preflight comes before the request is sent, and a refusal ends it with net::ERR_FAILED', async () => {
    const t = new Tracker();
    t.beforeRequest(details('1', 'PUT'));
    t.beforeRequest(details('2', 'OPTIONS'));
    t.sendHeaders(details('2', 'OPTIONS', { requestHeaders: PREFLIGHT }));
    t.headersReceived(details('2', 'OPTIONS', { statusCode: 204, responseHeaders: REFUSING }));
    t.completed(details('2', 'OPTIONS'));
    const flight = t.errorOccurred(details('1', 'PUT', { error: 'net::ERR_FAILED' }))!;
    assert.equal(flight.hops[0]!.preflight?.response?.status, 204);
    const j = await judge(flight, 'chromium');
    assert.equal(j.verdict, 'blocked');
    assert.equal(j.code, 'HeaderDisallowedByPreflightResponse');
    assert.match(j.report!.error!.message, /Request header field x-api-key is not allowed/);
    // The request never went out: its header value is unknown, and the command says so.
    assert.equal(j.headersSeen, false);
    assert.equal(
      j.command,
      `corsica check '${API}' --origin '${PAGE}' --method 'PUT' --header 'x-api-key: <value>'`,
    );
    assert.deepEqual(
      j.others.map((o) => `${o.engine} ${o.verdict} ${o.key}`),
      [
        'chromium blocked HeaderDisallowedByPreflightResponse',
        'firefox blocked CORSMissingAllowHeaderFromPreflight2',
        'webkit blocked null',
      ],
    );
  });

  it('Firefox: the request is reported sent before its preflight, and the refusal has no event of its own', async () => {
    const t = new Tracker();
    const ff = { initiator: undefined, originUrl: `${PAGE}/app` } as const;
    t.beforeRequest(details('1', 'PUT', ff));
    t.sendHeaders(details('1', 'PUT', { ...ff, requestHeaders: PAGE_REQUEST }));
    t.beforeRequest(details('2', 'OPTIONS', ff));
    t.sendHeaders(details('2', 'OPTIONS', { ...ff, requestHeaders: PREFLIGHT }));
    const flight = t.headersReceived(
      details('2', 'OPTIONS', { ...ff, statusCode: 204, responseHeaders: REFUSING }),
    )!;
    const j = await judge(flight, 'firefox');
    assert.equal(j.verdict, 'blocked');
    assert.equal(j.code, 'CORSMissingAllowHeaderFromPreflight2');
    assert.equal(j.headersSeen, true);
    assert.equal(
      j.credentials,
      'same-origin',
      'a cross-site request without Sec-Fetch-Storage-Access had none',
    );
  });

  it('waits while the browser has not answered what the model needs', async () => {
    const t = new Tracker();
    t.beforeRequest(details('1', 'PUT'));
    t.beforeRequest(details('2', 'OPTIONS'));
    const flight = t.sendHeaders(details('2', 'OPTIONS', { requestHeaders: PREFLIGHT }));
    assert.equal(flight, null);
    const j = await judge(
      t.headersReceived(
        details('2', 'OPTIONS', {
          statusCode: 204,
          responseHeaders: h([
            ['Access-Control-Allow-Origin', PAGE],
            ['Access-Control-Allow-Methods', 'PUT'],
            ['Access-Control-Allow-Headers', 'x-api-key'],
          ]),
        }),
      )!,
      'chromium',
    );
    assert.equal(j.verdict, 'pending');
  });

  it('a request without a preflight whose answer came had a cached grant (the model does not ask again)', async () => {
    const t = new Tracker();
    t.beforeRequest(details('1', 'PUT'));
    t.sendHeaders(details('1', 'PUT', { requestHeaders: PAGE_REQUEST }));
    t.headersReceived(
      details('1', 'PUT', { statusCode: 200, responseHeaders: h([['Access-Control-Allow-Origin', PAGE]]) }),
    );
    const j = await judge(t.completed(details('1', 'PUT'))!, 'chromium');
    assert.equal(j.verdict, 'allowed');
    assert.equal(j.report!.preflight, null);
  });

  it('an error before any answer is a network error with its code, not a CORS block', async () => {
    const t = new Tracker();
    t.beforeRequest(details('1', 'GET'));
    t.sendHeaders(
      details('1', 'GET', { requestHeaders: PAGE_REQUEST.filter((x) => x.name !== 'X-Api-Key') }),
    );
    const j = await judge(
      t.errorOccurred(details('1', 'GET', { error: 'net::ERR_CONNECTION_REFUSED' }))!,
      'chromium',
    );
    assert.equal(j.verdict, 'network-error');
    assert.equal(j.code, 'net::ERR_CONNECTION_REFUSED');
  });
});

describe('what the extension takes from the wire', () => {
  const hop = { url: API, preflight: null, response: null };

  it('the page headers leave out what the browser adds itself', () => {
    const { headers } = pageHeaders({
      ...hop,
      request: { method: 'PUT', url: API, headers: PAGE_REQUEST.map((x) => [x.name, x.value] as const) },
    });
    assert.deepEqual(headers, [['X-Api-Key', 'k']]);
  });

  it('a request never sent has only the names its preflight asked for, with a placeholder value', () => {
    const preflight = {
      request: { method: 'OPTIONS', url: API, headers: PREFLIGHT.map((x) => [x.name, x.value] as const) },
      response: null,
      error: null,
    };
    assert.deepEqual(pageHeaders({ ...hop, preflight, request: null }).headers, [
      ['x-api-key', UNSEEN_VALUE],
    ]);
  });

  it('credentials: Sec-Fetch-Storage-Access or a Cookie say yes, a cross-site request without them no, a same-site one nothing', () => {
    const flight = (pairs: [string, string][]) => ({
      id: '1',
      tabId: 1,
      initiator: PAGE,
      method: 'GET',
      started: 0,
      incognito: false,
      end: null,
      hops: [{ ...hop, request: { method: 'GET', url: API, headers: pairs } }],
    });
    assert.equal(credentialsOf(flight([['Sec-Fetch-Storage-Access', 'none']])), 'include');
    assert.equal(credentialsOf(flight([['Cookie', '(hidden)']])), 'include');
    assert.equal(credentialsOf(flight([['Sec-Fetch-Site', 'cross-site']])), 'same-origin');
    assert.equal(credentialsOf(flight([['Sec-Fetch-Site', 'same-site']])), null);
  });

  it('keeps no cookie or Authorization value, only that one was sent', () => {
    const t = new Tracker();
    t.beforeRequest(details('1', 'GET'));
    t.sendHeaders(
      details('1', 'GET', {
        requestHeaders: h([
          ['Cookie', 'session=secret'],
          ['Authorization', 'Bearer secret'],
        ]),
      }),
    );
    const f = t.headersReceived(
      details('1', 'GET', { statusCode: 200, responseHeaders: h([['Set-Cookie', 'a=secret']]) }),
    )!;
    assert.doesNotMatch(JSON.stringify(f), /secret/);
  });

  it('the copied command is one `corsica check` reads back as the same request', () => {
    const request = requestFromOptions(API, {
      origin: PAGE,
      method: 'PUT',
      header: ["X-Note: it's", 'Content-Type: application/json'],
      credentials: true,
    });
    const words = (j: string) =>
      [...j.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]!).replace(/'\\''/g, "'"));
    const args = words(checkCommand(request)).slice(2);
    const again = requestFromOptions(args[0]!, {
      origin: args[args.indexOf('--origin') + 1],
      method: args[args.indexOf('--method') + 1],
      header: args.flatMap((a, i) => (args[i - 1] === '--header' ? [a] : [])),
      credentials: args.includes('--credentials'),
    });
    assert.deepEqual(again, request);
  });
});

describe('the per-site opt-in', () => {
  it("asks for the page's registrable domain and its subdomains (an API usually lives beside the page)", () => {
    assert.deepEqual(sitePatterns('https://app.example.co.uk/dashboard'), [
      '*://example.co.uk/*',
      '*://*.example.co.uk/*',
    ]);
    assert.deepEqual(sitePatterns('https://user.github.io/'), [
      '*://user.github.io/*',
      '*://*.user.github.io/*',
    ]);
    assert.equal(sitePatterns('file:///home/me/page.html'), null);
    assert.equal(sitePatterns('not a url'), null);
  });
});
