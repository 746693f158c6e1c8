// `corsica check` as a user runs it: the built command against real servers, its exit codes,
// its human and JSON output, and clear errors for bad input and unreachable hosts.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { cors } from '../../src/adapters/node/index.js';
import { check } from '../../src/cli/check.js';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';

const PAGE = 'https://app.example.com';

/** Runs the built CLI (asynchronously: the servers live in this process). */
const corsica = (...args: string[]) => runCli(args);

describe('corsica check', () => {
  let server: Server;
  let url: string;
  let silent: Server;
  let silentUrl: string;

  before(async () => {
    const middleware = cors({
      origin: [PAGE],
      methods: 'GET,POST,PUT',
      allowedHeaders: ['Content-Type'],
      exposedHeaders: ['X-Total'],
    });
    ({ server, url } = await listen((req, res) =>
      middleware(req, res, () => {
        res.setHeader('X-Total', '3');
        res.end('ok');
      }),
    ));
    // Accepts connections and never answers.
    ({ server: silent, url: silentUrl } = await listen(() => {}));
  });
  after(async () => {
    await Promise.all([server, silent].map(close));
  });

  it('exit 0 and a readable summary when the browser would allow the request', async () => {
    const run = await corsica(
      'check',
      `${url}/items`,
      '--origin',
      PAGE,
      '--method',
      'PUT',
      '--header',
      'Content-Type: application/json',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /preflight needed: method PUT is not CORS-safelisted/);
    assert.match(
      run.stdout,
      /header content-type is not text\/plain, multipart\/form-data or application\/x-www-form-urlencoded/,
    );
    assert.match(
      run.stdout,
      /→ OPTIONS .*\/items\n\s+Access-Control-Request-Method: PUT\n\s+Access-Control-Request-Headers: content-type/,
    );
    assert.match(
      run.stdout,
      /✔ allowed: the page can read the response\.\n\s+readable headers: content-length, x-total/,
    );
  });

  it('shows every header the actual request sent, not only Origin', async () => {
    const run = await corsica(
      'check',
      `${url}/items`,
      '--origin',
      PAGE,
      '--method',
      'PUT',
      '--header',
      'Content-Type: application/json',
      '--data',
      '{"a":1}',
    );
    assert.equal(run.code, 0, run.stderr);
    const actual = run.stdout.slice(run.stdout.indexOf(`→ PUT ${url}/items`));
    assert.match(
      actual,
      /^→ PUT \S+\n {6}Accept: \*\/\*\n {6}content-type: application\/json\n {6}Origin: https:\/\/app\.example\.com\n {6}Sec-Fetch-Mode: cors\n {2}← 200/,
    );
  });

  it('a misspelt flag is an unknown option with the flag meant, not a missing --origin', async () => {
    const run = await corsica('check', `${url}/items`, '--orign', PAGE);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "error: unknown option '--orign'\n(Did you mean --origin?)\n");
    const missing = await corsica('check', `${url}/items`);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--origin is required: the origin of the page that makes the request/);
  });

  it("exit 1 with Chromium's message, Firefox's reason, the cause and a fix for each server", async () => {
    const run = await corsica('check', `${url}/items`, '--origin', PAGE, '--header', 'X-Api-Key: k');
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(
        `Chromium: Access to fetch at '${url}/items' from origin '${PAGE}' has been blocked by CORS policy: Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response\\.`,
      ),
    );
    assert.match(run.stdout, /Firefox:\s+CORSMissingAllowHeaderFromPreflight/);
    assert.match(
      run.stdout,
      /corsica: app\.use\(cors\(\{ origin: \[\/\* any other origins you allow, \*\/ 'https:\/\/app\.example\.com'\], methods: \['GET', 'POST', 'PUT'\], allowedHeaders: \['Content-Type', 'x-api-key'\] \}\)\)/,
    );
    assert.match(run.stdout, /fastify: await fastify\.register\(cors/);
    assert.match(run.stdout, /nginx:\s+if \(\$request_method = OPTIONS\)/);
  });

  it('--json prints one object with verdict, preflight, actual, error and exposedHeaders', async () => {
    const run = await corsica('check', `${url}/items`, '--origin', 'https://evil.example', '--json');
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.verdict, 'blocked');
    assert.equal(report.preflight, null);
    assert.equal(report.actual.request.method, 'GET');
    assert.equal(report.actual.response.status, 200);
    assert.deepEqual(report.error.code, 'MissingAllowOriginHeader');
    assert.equal(
      report.error.message,
      "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
    assert.equal(report.error.firefox, 'CORSMissingAllowOrigin');
    assert.equal(typeof report.error.cause, 'string');
    assert.deepEqual(Object.keys(report.error.fix).sort(), [
      'cors',
      'corsica',
      'fastify',
      'hono',
      'nginx',
      'summary',
    ]);
    assert.deepEqual(report.exposedHeaders, []);
  });

  it('--credentials sends a credentialed request and checks Access-Control-Allow-Credentials', async () => {
    const run = await corsica('check', url, '--origin', PAGE, '--credentials', '--json');
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.error.code, 'InvalidAllowCredentials');
    assert.match(report.error.fix.corsica, /credentials: true/);
  });

  it('--data sends a body (text/plain by default, so no preflight for POST)', async () => {
    const run = await corsica(
      'check',
      url,
      '--origin',
      PAGE,
      '--method',
      'POST',
      '--data',
      'hello',
      '--json',
    );
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout);
    assert.equal(report.preflightNeeded, false);
    assert.equal(report.actual.request.headers['content-type'], 'text/plain;charset=UTF-8');
  });

  it('exit 2 with a clear message for an unreachable host and for a timeout', async () => {
    const refused = await corsica('check', 'http://127.0.0.1:9/x', '--origin', PAGE);
    assert.equal(refused.code, 2);
    assert.match(refused.stdout, /connection refused by 127\.0\.0\.1:9 \(is the server running\?\)/);
    const slow = await corsica('check', silentUrl, '--origin', PAGE, '--timeout', '300');
    assert.equal(slow.code, 2);
    assert.match(slow.stdout, /no answer from 127\.0\.0\.1:\d+ within 300 ms/);
  });

  it('exit 2 with a clear message for bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['check', url], /--origin is required: the origin of the page that makes the request/],
      [
        ['check', url, '--origin', 'app.example.com'],
        /--origin 'app\.example\.com' is not an origin as browsers send it/,
      ],
      [['check', url, '--origin', `${PAGE}/`], /is not an origin as browsers send it/],
      [['check', 'ftp://x/y', '--origin', PAGE], /'ftp:\/\/x\/y' is not an http\(s\) URL/],
      [['check', url, '--origin', PAGE, '--header', 'nocolon'], /--header must look like 'Name: value'/],
      [
        ['check', url, '--origin', PAGE, '--timeout', 'soon'],
        /--timeout must be a positive number of milliseconds/,
      ],
      [['check', url, '--origin', PAGE, '--method', 'TRACE'], /'TRACE' HTTP method is unsupported\./],
    ];
    for (const [args, message] of cases) {
      const run = await corsica(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr + run.stdout, message);
    }
  });

  // The command's own function, in this process: what `--browser` reaches.
  it('check with browser firefox answers for Firefox, in its words, and names the browsers that disagree', async () => {
    const printed: string[] = [];
    const write = process.stdout.write;
    // The test runner writes to stdout too: keep only the report, pass the rest on.
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('{')) {
        printed.push(chunk);
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    }) as typeof process.stdout.write;
    let code: number;
    try {
      // Save-Data: safelisted in Chromium only, so Chromium sends no preflight; the server allows
      // only Content-Type, so Firefox's and WebKit's preflight fails.
      code = await check(`${url}/items`, {
        origin: PAGE,
        header: ['Save-Data: on'],
        browser: 'firefox',
        json: true,
      });
    } finally {
      process.stdout.write = write;
    }
    assert.equal(code, 1);
    const report = JSON.parse(printed.join(''));
    assert.equal(report.browser, 'firefox');
    assert.equal(report.error.reason.key, 'CORSMissingAllowHeaderFromPreflight2');
    assert.deepEqual(
      report.console.map((l: { key: string }) => l.key),
      ['CORSMissingAllowHeaderFromPreflight2', 'CORSDidNotSucceed2'],
    );
    assert.match(report.disagreement, /^allowed in Chromium, blocked in Firefox and WebKit: /);
    await assert.rejects(
      check(url, { origin: PAGE, browser: 'netscape' }),
      /--browser must be chromium, firefox or webkit/,
    );
  });
});
