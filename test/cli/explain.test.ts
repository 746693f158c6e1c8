// `corsica explain`: pasted console lines from Chromium (current and older formats), Firefox and
// Safari are recognized, explained and turned into a `corsica check` command; anything else is
// honestly not recognized.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCorsMessage } from '../../src/browser/index.js';
import { explainMessage } from '../../src/explain/index.js';
import { runCli } from '../helpers/cli.js';

const URL_ = 'https://api.example.com/items';
const PAGE = 'https://app.example.com';
const chromium = (detail: string, kind = 'fetch') =>
  `Access to ${kind} at '${URL_}' from origin '${PAGE}' has been blocked by CORS policy: ${detail}`;

describe('recognizing pasted messages', () => {
  const cases: [string, string, string, string][] = [
    [
      'Chromium, missing ACAO',
      chromium("No 'Access-Control-Allow-Origin' header is present on the requested resource."),
      'MissingAllowOriginHeader',
      '',
    ],
    [
      'Chromium, preflight mismatch with the fetch suffix',
      chromium(
        "Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
      ),
      'PreflightAllowOriginMismatch',
      'https://app.example.com/',
    ],
    [
      'Chromium, older suffix about no-cors',
      chromium(
        "The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
      ),
      'MultipleAllowOriginValues',
      'a, b',
    ],
    [
      'Chromium, method',
      chromium('Method patch is not allowed by Access-Control-Allow-Methods in preflight response.'),
      'MethodDisallowedByPreflightResponse',
      'patch',
    ],
    [
      'Chromium, XMLHttpRequest credentials',
      chromium(
        "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
        'XMLHttpRequest',
      ),
      'InvalidAllowCredentials',
      '',
    ],
    [
      'Chromium 2019: Failed to load',
      `Failed to load ${URL_}: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin '${PAGE}' is therefore not allowed access.`,
      'PreflightMissingAllowOriginHeader',
      '',
    ],
    [
      'Chromium, older: XMLHttpRequest cannot load',
      `XMLHttpRequest cannot load ${URL_}. Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.`,
      'HeaderDisallowedByPreflightResponse',
      'x-api-key',
    ],
    [
      'Firefox, curly quotes and status',
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: CORS header \u2018Access-Control-Allow-Origin\u2019 missing). Status code: 404.`,
      'MissingAllowOriginHeader',
      '',
    ],
    [
      'Firefox, header from preflight',
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: header \u2018x-api-key\u2019 is not allowed according to header \u2018Access-Control-Allow-Headers\u2019 from CORS preflight response).`,
      'HeaderDisallowedByPreflightResponse',
      'x-api-key',
    ],
    [
      'Firefox, credentials with *',
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \u2018${URL_}\u2019. (Reason: Credential is not supported if the CORS header \u2018Access-Control-Allow-Origin\u2019 is \u2018*\u2019).`,
      'WildcardOriginNotAllowed',
      '',
    ],
    [
      'Safari',
      `Origin ${PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 200`,
      'MissingAllowOriginHeader',
      '',
    ],
  ];
  for (const [name, message, code, hint] of cases) {
    it(name, () => {
      const parsed = parseCorsMessage(message);
      assert.ok(parsed !== null, 'recognized');
      assert.equal(parsed.code, code);
      assert.equal(parsed.hint, hint);
    });
  }

  it('reads the URLs, the origin and the initiator from a redirected Chromium message', () => {
    const parsed = parseCorsMessage(
      `Access to XMLHttpRequest at 'https://b.example/x' (redirected from '${URL_}') from origin '${PAGE}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    assert.deepEqual(
      {
        url: parsed?.url,
        initialUrl: parsed?.initialUrl,
        origin: parsed?.origin,
        initiator: parsed?.initiator,
      },
      { url: 'https://b.example/x', initialUrl: URL_, origin: PAGE, initiator: 'xhr' },
    );
  });

  it('Firefox network failures are recognized as not being about CORS headers', () => {
    const parsed = parseCorsMessage(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: CORS request did not succeed). Status code: (null).`,
    );
    assert.equal(parsed?.code, null);
    assert.match(parsed?.note ?? '', /failed below CORS/);
  });

  it('text that is not a CORS message is not recognized', () => {
    for (const text of [
      'hello',
      'Uncaught TypeError: Failed to fetch',
      chromium('Something new the model does not know.'),
    ]) {
      assert.equal(parseCorsMessage(text), null, text);
    }
  });
});

describe('explanations', () => {
  it('say what the server sent, the cause, the fix, and the command that reproduces it', () => {
    const e = explainMessage(
      chromium(
        'Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.',
      ),
    );
    assert.equal(
      e?.serverSent,
      "the preflight answer's Access-Control-Allow-Headers did not include x-api-key",
    );
    // The message does not say what the server allows now: the fix adds to it, never replaces it.
    assert.match(
      e?.fix?.corsica ?? '',
      /allowedHeaders: \[\/\* the headers you allow now, \*\/ 'x-api-key'\]/,
    );
    assert.equal(e?.reproduce, `corsica check '${URL_}' --origin '${PAGE}' --header 'x-api-key: 1'`);
  });

  it('a credentials failure reproduces with --credentials', () => {
    const e = explainMessage(
      chromium(
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
      ),
    );
    assert.equal(e?.reproduce, `corsica check '${URL_}' --origin '${PAGE}' --credentials`);
    assert.equal(e?.firefox, 'CORSNotSupportingCredentials');
  });
});

describe('corsica explain (the command)', () => {
  const run = (...args: string[]) => runCli(['explain', ...args]);

  it('explains a recognized message and exits 0', async () => {
    const r = await run(
      chromium('Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.'),
    );
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /The server: the preflight answer's Access-Control-Allow-Methods did not include PUT\./,
    );
    assert.match(
      r.stdout,
      /Reproduce:\s+corsica check 'https:\/\/api\.example\.com\/items' --origin 'https:\/\/app\.example\.com' --method PUT/,
    );
  });

  it('says honestly when it does not know the text, and exits 2', async () => {
    const r = await run('my app is broken');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Not a CORS message I know\./);
  });

  it('a preflight failure that names no method or header reproduces with placeholders, said plainly', () => {
    const e = explainMessage(
      `Access to fetch at '${URL_}' from origin '${PAGE}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    assert.equal(
      e?.reproduce,
      `corsica check '${URL_}' --origin '${PAGE}' --method '<METHOD>' --header '<Name: value>'`,
    );
    assert.match(e?.reproduceNote ?? '', /replace <METHOD> with your request's method/);
  });

  it('a refused method adds to the methods instead of replacing them', () => {
    const e = explainMessage(
      `Access to fetch at '${URL_}' from origin '${PAGE}' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.`,
    );
    assert.match(e?.fix?.corsica ?? '', /methods: \[\/\* the methods you allow now, \*\/ 'PATCH'\]/);
    assert.equal(e?.reproduce, `corsica check '${URL_}' --origin '${PAGE}' --method PATCH`);
    assert.equal(e?.reproduceNote, null);
  });

  // The lines real Firefox 153 ESR printed (../shared/reference/firefox-webkit.md).
  it('Firefox: "Did not find method" names no method: a placeholder, never an empty method', () => {
    const e = explainMessage(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).`,
    );
    assert.equal(e?.code, 'MethodDisallowedByPreflightResponse');
    assert.match(e?.fix?.corsica ?? '', /methods: \[\/\* the methods you allow now, \*\/ '<METHOD>'\]/);
    assert.doesNotMatch(e?.fix?.corsica ?? '', /''/);
    assert.match(e?.cause ?? '', /the request's method \(the message does not name it\)/);
  });

  it('Firefox: the Authorization-under-* deprecation warning is recognized as a warning, with the fix', () => {
    const e = explainMessage(
      `Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at ${URL_} soon. (Reason: When the \`Access-Control-Allow-Headers\` is \`*\`, the \`Authorization\` header is not covered. To include the \`Authorization\` header, it must be explicitly listed in CORS header \`Access-Control-Allow-Headers\`).`,
    );
    assert.ok(e !== null, 'recognized');
    assert.equal(e.code, null);
    assert.match(e.cause, /A warning, not a refusal: Firefox let the request through/);
    assert.match(e.cause, /list Authorization in Access-Control-Allow-Headers/);
  });

  it('Firefox: "expected \'true\'" does not say the server sent nothing (it may have sent True)', () => {
    const e = explainMessage(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`,
    );
    assert.match(e?.serverSent ?? '', /or one that is not exactly 'true'/);
  });
});

// Firefox's keys as Firefox 153 prints them (and as MDN names them), the
// lines whose meaning depends on what they quote, and WebKit's lines.
describe('explain: Firefox keys and WebKit lines', () => {
  const firefox = (reason: string, status = '') =>
    `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${URL_}. (Reason: ${reason}).${status}`;

  it('a Firefox key alone, with or without its version digit, names the failure', () => {
    for (const key of ['CORSMissingAllowOrigin2', 'CORSMissingAllowOrigin', 'corsmissingalloworigin']) {
      const e = explainMessage(key);
      assert.equal(e?.code, 'MissingAllowOriginHeader', key);
      assert.equal(e?.key, 'CORSMissingAllowOrigin2');
      assert.equal(e?.firefox, 'CORSMissingAllowOrigin');
    }
    assert.equal(explainMessage('CORSPreflightDidNotSucceed3')?.code, 'PreflightInvalidStatus');
    assert.equal(
      explainMessage('CORSMissingAllowHeaderFromPreflight2')?.code,
      'HeaderDisallowedByPreflightResponse',
    );
    assert.match(explainMessage('CORSDidNotSucceed2')?.cause ?? '', /that line is the reason/);
    assert.equal(explainMessage('CORSNoSuchKey'), null);
  });

  it('"does not match" is read by what it quotes: several values, another origin, or no origin at all', () => {
    const quoted = (value: string) =>
      explainMessage(firefox(`CORS header ‘Access-Control-Allow-Origin’ does not match ‘${value}’`))?.code;
    assert.equal(quoted(`${PAGE}, https://b.example`), 'MultipleAllowOriginValues');
    assert.equal(quoted('https://b.example'), 'AllowOriginMismatch');
    assert.equal(quoted('null'), 'AllowOriginMismatch');
    assert.equal(quoted('app.example.com'), 'InvalidAllowOriginValue');
    const multiple = explainMessage(
      firefox('Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed'),
    );
    assert.equal(multiple?.code, 'MultipleAllowOriginValues');
    assert.equal(multiple?.firefox, 'CORSMultipleAllowOriginNotAllowed');
  });

  it('"preflight response did not succeed" with a 3xx status is a redirected preflight', () => {
    const e = explainMessage(firefox('CORS preflight response did not succeed', ' Status code: 302.'));
    assert.equal(e?.code, 'PreflightDisallowedRedirect');
    assert.equal(
      explainMessage(firefox('CORS preflight response did not succeed', ' Status code: 404.'))?.code,
      'PreflightInvalidStatus',
    );
  });

  it("a Firefox line reproduces with Firefox's model", () => {
    const e = explainMessage(
      firefox('CORS header ‘Access-Control-Allow-Origin’ missing', ' Status code: 200.'),
    );
    assert.equal(e?.reproduce, `corsica check '${URL_}' --origin '<your page origin>' --browser firefox`);
  });

  it("WebKit's lines, as WebKitGTK 2.50 printed them", () => {
    const cases: [string, string | null][] = [
      [
        'CONSOLE SECURITY ERROR Access-Control-Allow-Origin cannot contain more than one origin.',
        'MultipleAllowOriginValues',
      ],
      [
        'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
        'WildcardOriginNotAllowed',
      ],
      [
        'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
        'InvalidAllowCredentials',
      ],
      ['Method PUT is not allowed by Access-Control-Allow-Methods.', 'MethodDisallowedByPreflightResponse'],
      [
        'Request header field x-custom is not allowed by Access-Control-Allow-Headers.',
        'HeaderDisallowedByPreflightResponse',
      ],
      ['Preflight response is not successful. Status code: 500', 'PreflightInvalidStatus'],
      [
        'Header Access-Control-Allow-Methods has an invalid value: GET PUT',
        'InvalidAllowMethodsPreflightResponse',
      ],
      [
        `Origin ${PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 200`,
        'MissingAllowOriginHeader',
      ],
      [`Fetch API cannot load ${URL_} due to access control checks.`, null],
    ];
    for (const [line, code] of cases) {
      const e = explainMessage(line);
      assert.equal(e?.browser, 'safari', line);
      assert.equal(e?.code, code, line);
    }
    const method = explainMessage('Method PUT is not allowed by Access-Control-Allow-Methods.');
    assert.match(method?.serverSent ?? '', /did not include PUT/);
    assert.equal(
      explainMessage('Preflight response is not successful. Status code: 500')?.serverSent,
      'the preflight (OPTIONS) got a status outside 200–299',
    );
  });
});
