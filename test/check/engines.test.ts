// `corsica check --browser chromium|firefox|webkit`: the check answers for one engine,
// in its own words, and says where the engines disagree for the request checked. Each server here
// is one of the differences the real browsers showed (Firefox 153 measured by
// test/e2e/firefox-model.test.ts; WebKit from a comparison against WebKitGTK 2.50).

import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CheckInputError, probe, requestFromOptions } from '../../src/check/index.js';
import { humanReport } from '../../src/cli/check.js';
import { close, listen } from '../helpers/http.js';

const PAGE = 'https://app.example.com';

type Handler = (req: IncomingMessage, res: ServerResponse, other: string) => void;

/** Routes by path; `other` is the same server under its other loopback name (another origin). */
function routes(table: Record<string, Handler>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const host = req.headers.host ?? '';
    const other = host.startsWith('localhost')
      ? `http://${host.replace('localhost', '127.0.0.1')}`
      : `http://${host.replace('127.0.0.1', 'localhost')}`;
    const handler = table[path];
    if (handler === undefined) res.statusCode = 404;
    else handler(req, res, other);
    req.resume();
    res.end();
  };
}

const isPreflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

describe('check per engine, and where the engines disagree', () => {
  let server: Server;
  let url: string;
  const origins: string[] = [];

  before(async () => {
    ({ server, url } = await listen(
      routes({
        // 15.1: the second preflight after a cross-origin redirect. The target allows only `null`,
        // the origin Chromium and WebKit send after the taint; Firefox sends the page's origin.
        '/taint': (req, res, other) => {
          res.setHeader('Access-Control-Allow-Origin', PAGE);
          res.setHeader('Access-Control-Allow-Methods', 'PUT');
          if (!isPreflight(req)) {
            res.statusCode = 307;
            res.setHeader('Location', `${other}/taint-next`);
          }
        },
        '/taint-next': (req, res) => {
          if (isPreflight(req)) origins.push(String(req.headers.origin));
          res.setHeader('Access-Control-Allow-Origin', 'null');
          res.setHeader('Access-Control-Allow-Methods', 'PUT');
        },
        // 15.5: Save-Data is safelisted in Chromium only; this server answers no preflight.
        '/no-preflights': (req, res) => {
          if (isPreflight(req)) res.statusCode = 405;
          else res.setHeader('Access-Control-Allow-Origin', '*');
        },
        // 15.9: a preflight answered 500 without CORS headers.
        '/error': (req, res) => {
          if (isPreflight(req)) res.statusCode = 500;
        },
        // 15.10: a preflighted POST answered 303; the target answers GETs, not preflights.
        '/see-other': (req, res, other) => {
          res.setHeader('Access-Control-Allow-Origin', PAGE);
          res.setHeader('Access-Control-Allow-Headers', 'content-type');
          if (!isPreflight(req)) {
            res.statusCode = 303;
            res.setHeader('Location', `${other}/no-preflights`);
          }
        },
        // 15.6: a redirect to ftp:.
        '/ftp': (_req, res) => {
          res.setHeader('Access-Control-Allow-Origin', '*');
          res.statusCode = 302;
          res.setHeader('Location', 'ftp://files.example.com/x');
        },
        // Two Access-Control-Allow-Origin lines: every engine refuses, each in its own words.
        '/twice': (_req, res) => {
          res.setHeader('Access-Control-Allow-Origin', [PAGE, PAGE]);
        },
      }),
    ));
  });
  after(() => close(server));

  it('15.1: after a cross-origin redirect Firefox preflights with the page origin; allowed in Chromium and WebKit, blocked in Firefox', async () => {
    origins.length = 0;
    // Firefox stops before the PUT to the other origin that Chromium and WebKit would send: the
    // comparison sends it only when asked (without, see test/check/unsafe-requests.test.ts).
    const { report: r } = await probe(`${url}/taint`, {
      origin: PAGE,
      method: 'PUT',
      browser: 'firefox',
      compareUnsafe: true,
    });
    assert.equal(r.browser, 'firefox');
    assert.equal(r.verdict, 'blocked');
    assert.equal(r.error?.reason.key, 'CORSAllowOriginNotMatchingOrigin');
    assert.match(r.error?.reason.lines[0]?.text ?? '', /does not match ‘null’\)\.$/);
    // Firefox's preflight carried the page's origin: the cause must not blame a tainted Origin: null.
    assert.doesNotMatch(r.error?.cause ?? '', /Origin: null/);
    // The other engines' preflights carried null: each distinct request was sent once.
    assert.deepEqual(origins.sort(), [PAGE, 'null']);
    assert.deepEqual(
      r.engines.map((e) => `${e.engine} ${e.verdict}`),
      ['chromium allowed', 'firefox blocked', 'webkit allowed'],
    );
    assert.match(
      r.disagreement ?? '',
      /^allowed in Chromium and WebKit, blocked in Firefox: Cross-Origin Request Blocked: .* does not match ‘null’/,
    );
    const chromium = await probe(`${url}/taint`, { origin: PAGE, method: 'PUT' });
    assert.equal(chromium.report.verdict, 'allowed');
    assert.equal(chromium.report.disagreement, r.disagreement);
  });

  it('15.5: Save-Data needs a preflight in Firefox and WebKit, not in Chromium', async () => {
    const { report: r } = await probe(`${url}/no-preflights`, {
      origin: PAGE,
      header: ['Save-Data: on'],
      browser: 'webkit',
    });
    assert.equal(r.preflightNeeded, true);
    assert.deepEqual(r.preflightReasons, ['header save-data is not a CORS-safelisted header']);
    assert.equal(r.error?.code, 'PreflightInvalidStatus');
    assert.deepEqual(
      r.error?.reason.lines.map((l) => l.text),
      [
        'Preflight response is not successful. Status code: 405',
        `Fetch API cannot load ${url}/no-preflights due to access control checks.`,
      ],
    );
    assert.match(r.disagreement ?? '', /^allowed in Chromium, blocked in Firefox and WebKit: /);
  });

  it('15.9: WebKit checks a preflight’s status before its CORS headers', async () => {
    const webkit = await probe(`${url}/error`, { origin: PAGE, method: 'DELETE', browser: 'webkit' });
    assert.equal(webkit.report.error?.code, 'PreflightInvalidStatus');
    const chromium = await probe(`${url}/error`, { origin: PAGE, method: 'DELETE' });
    assert.equal(chromium.report.error?.code, 'PreflightMissingAllowOriginHeader');
    assert.equal(chromium.report.disagreement, null, 'blocked everywhere');
    assert.deepEqual(
      chromium.report.engines.map((e) => e.key),
      ['PreflightMissingAllowOriginHeader', 'CORSMissingAllowOrigin2', null],
    );
  });

  it('15.10: after a 303 made the request simple, Firefox and WebKit still preflight; Chromium does not', async () => {
    const options = { origin: PAGE, method: 'POST', header: ['Content-Type: application/json'], data: '{}' };
    const chromium = await probe(`${url}/see-other`, options);
    assert.equal(chromium.report.verdict, 'allowed');
    assert.deepEqual(
      chromium.report.exchanges.map((e) => e.request.method),
      ['OPTIONS', 'POST', 'GET'],
    );
    const webkit = await probe(`${url}/see-other`, { ...options, browser: 'webkit' });
    assert.deepEqual(
      webkit.report.exchanges.map(
        (e) => `${e.request.method} ${e.request.headers['Access-Control-Request-Headers'] ?? ''}`,
      ),
      ['OPTIONS content-type', 'POST ', 'OPTIONS content-type'],
    );
    const firefox = await probe(`${url}/see-other`, { ...options, browser: 'firefox' });
    // Firefox asks for its list less Content-Type, which the rewrite to GET dropped.
    assert.deepEqual(
      firefox.report.exchanges.map(
        (e) => `${e.request.method} ${e.request.headers['Access-Control-Request-Headers'] ?? ''}`,
      ),
      ['OPTIONS content-type', 'POST ', 'OPTIONS '],
    );
    assert.equal(firefox.report.exchanges[2]?.request.headers.Origin, PAGE);
    assert.match(chromium.report.disagreement ?? '', /^allowed in Chromium, blocked in Firefox and WebKit/);
  });

  it('15.6: a redirect to ftp: is a CORS error in Chromium (its message), not a network error', async () => {
    const { report: r } = await probe(`${url}/ftp`, { origin: PAGE });
    assert.equal(r.verdict, 'blocked');
    assert.equal(r.error?.code, 'CorsDisabledScheme');
    assert.equal(
      r.error?.consoleMessage,
      `Access to fetch at 'ftp://files.example.com/x' (redirected from '${url}/ftp') from origin '${PAGE}' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.`,
    );
    const firefox = await probe(`${url}/ftp`, { origin: PAGE, browser: 'firefox' });
    assert.deepEqual(
      firefox.report.error?.reason.lines.map((l) => l.key),
      ['CORSRequestNotHttp', 'CORSDidNotSucceed2'],
    );
  });

  it('each engine names two allow-origin lines in its own words', async () => {
    const lines = async (browser: string) =>
      (await probe(`${url}/twice`, { origin: PAGE, browser })).report.error?.reason.lines.map((l) => l.text);
    assert.deepEqual(await lines('chromium'), [
      `Access to fetch at '${url}/twice' from origin '${PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values '${PAGE}, ${PAGE}', but only one is allowed. Have the server send the header with a valid value.`,
    ]);
    assert.deepEqual(await lines('firefox'), [
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}/twice. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`,
    ]);
    assert.deepEqual(await lines('webkit'), [
      'Access-Control-Allow-Origin cannot contain more than one origin.',
      `Fetch API cannot load ${url}/twice due to access control checks.`,
    ]);
  });

  it('the human report names the engine, prints its lines, and says where the engines disagree', async () => {
    const { outcome, report: r } = await probe(`${url}/taint`, {
      origin: PAGE,
      method: 'PUT',
      browser: 'firefox',
      compareUnsafe: true,
    });
    const text = humanReport(outcome, r).replace(/\x1b\[[0-9;]*m/g, '');
    assert.match(text, /from origin https:\/\/app\.example\.com as Firefox\n/);
    assert.match(
      text,
      /Firefox: CORSAllowOriginNotMatchingOrigin\n\s+error CORSAllowOriginNotMatchingOrigin: Cross-Origin Request Blocked/,
    );
    assert.match(
      text,
      /browsers: Chromium allowed · Firefox blocked \(CORSAllowOriginNotMatchingOrigin\) · WebKit allowed/,
    );
    assert.match(text, /⚠ browsers disagree: allowed in Chromium and WebKit, blocked in Firefox/);
  });

  it('--browser takes chromium, firefox or webkit; anything else is a usage error', () => {
    assert.equal(requestFromOptions(url, { origin: PAGE }).engine, 'chromium');
    assert.equal(requestFromOptions(url, { origin: PAGE, browser: 'Firefox' }).engine, 'firefox');
    assert.throws(
      () => requestFromOptions(url, { origin: PAGE, browser: 'safari' }),
      (e: unknown) =>
        e instanceof CheckInputError && /--browser must be chromium, firefox or webkit/.test(e.message),
    );
  });
});
