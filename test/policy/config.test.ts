// Configuration validation: what can never work throws CorsConfigError with every problem and
// its fix; what works but is dangerous warns once; harmless oddities are hints for `corsica lint`.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CorsConfigError,
  type CorsOptions,
  type CorsProblem,
  createPolicy,
  lintOptions,
} from '../../src/policy/index.js';

function configError(options: unknown): CorsConfigError {
  try {
    createPolicy(options as CorsOptions);
  } catch (err) {
    assert.ok(err instanceof CorsConfigError, `expected CorsConfigError, got ${err}`);
    return err;
  }
  assert.fail('createPolicy accepted a configuration that can never work');
}

function only(options: unknown, severity: CorsProblem['severity']): CorsProblem[] {
  return lintOptions(options).filter((p) => p.severity === severity);
}

function problem(options: unknown, code: string): CorsProblem {
  const found = lintOptions(options).find((p) => p.code === code);
  assert.ok(found, `no ${code} in ${JSON.stringify(lintOptions(options).map((p) => p.code))}`);
  return found;
}

describe('CorsConfigError lists every problem at once', () => {
  it('collects all errors, each with a path, a message and a fix, in the error message', () => {
    const err = configError({
      origin: ['example.com', 'https://a.com/', '*.b.com'],
      methods: ['GET', 'TRACE'],
      maxAge: 'soon',
      optionsSuccessStatus: 301,
    });
    assert.deepEqual(
      err.problems.map((p) => [p.path, p.code]),
      [
        ['origin[0]', 'ORIGIN_MISSING_SCHEME'],
        ['origin[1]', 'ORIGIN_TRAILING_SLASH'],
        ['origin[2]', 'ORIGIN_WILDCARD_WITHOUT_SCHEME'],
        ['methods', 'METHOD_FORBIDDEN'],
        ['maxAge', 'MAX_AGE_INVALID'],
        ['optionsSuccessStatus', 'STATUS_INVALID'],
      ],
    );
    assert.match(
      err.message,
      /^Invalid CORS configuration \(6 errors\):\n {2}- origin\[0\]: 'example\.com' has no scheme/,
    );
    assert.match(err.message, /Fix: Write 'https:\/\/example\.com'\./);
  });

  it('adds the warnings after the errors: an unknown option often explains an error', () => {
    const err = configError({ whitelist: ['https://a.com'], credentials: true });
    assert.deepEqual(
      err.problems.map((p) => p.code),
      ['ORIGIN_WILDCARD_WITH_CREDENTIALS', 'CORSICA_UNKNOWN_OPTION'],
    );
    assert.match(
      err.message,
      /warning: whitelist: 'whitelist' is not a corsica option, so it has no effect\. Fix: Remove it; the options are origin, methods,/,
    );
  });

  it("a near miss of an option's name is an error: left as written, orign: [...] would answer '*' to every site", () => {
    for (const [key, meant] of [
      ['orign', 'origin'],
      ['Origin', 'origin'],
      ['allowHeaders', 'allowedHeaders'],
      ['credential', 'credentials'],
      ['maxage', 'maxAge'],
    ] as const) {
      const err = configError({ [key]: 'https://a.com' });
      assert.deepEqual(
        err.problems.map((p) => p.code),
        ['OPTION_MISSPELLED'],
        key,
      );
      assert.equal(
        err.problems[0]!.message,
        `'${key}' is not a corsica option; it looks like '${meant}' misspelt, and left as it is, ${meant} takes its default instead of the value written.`,
      );
      assert.equal(err.problems[0]!.fix, `Write '${meant}'.`);
    }
  });

  it('a key far from every option name stays a warning, and the options otherwise work', () => {
    assert.deepEqual(
      lintOptions({ origin: 'https://a.com', whitelist: ['https://b.com'] }).map((p) => [p.severity, p.code]),
      [['warning', 'CORSICA_UNKNOWN_OPTION']],
    );
    assert.doesNotThrow(() => createPolicy({ origin: 'https://a.com', whitelist: 1 } as CorsOptions));
  });
});

describe('origins that can never match are refused with the canonical form to write', () => {
  const cases: [string, string, RegExp][] = [
    ['https://app.example.com/', 'ORIGIN_TRAILING_SLASH', /Write 'https:\/\/app\.example\.com'/],
    ['https://app.example.com/api', 'ORIGIN_HAS_PATH', /has a path.*Write 'https:\/\/app\.example\.com'/],
    [
      'https://App.Example.com',
      'ORIGIN_NOT_CANONICAL',
      /upper-case letters.*Write 'https:\/\/app\.example\.com'/,
    ],
    ['https://a.com:443', 'ORIGIN_DEFAULT_PORT', /default port 443.*Write 'https:\/\/a\.com'/],
    ['http://a.com:80', 'ORIGIN_DEFAULT_PORT', /default port 80.*Write 'http:\/\/a\.com'/],
    ['http://127.1:8080', 'ORIGIN_NOT_CANONICAL', /IP address.*Write 'http:\/\/127\.0\.0\.1:8080'/],
    ['http://2130706433', 'ORIGIN_NOT_CANONICAL', /IP address.*Write 'http:\/\/127\.0\.0\.1'/],
    ['http://0x7f.0.0.1', 'ORIGIN_NOT_CANONICAL', /Write 'http:\/\/127\.0\.0\.1'/],
    ['http://[::FFFF:127.0.0.1]', 'ORIGIN_NOT_CANONICAL', /Write 'http:\/\/\[::ffff:7f00:1\]'/],
    ['https://bücher.example', 'ORIGIN_NOT_CANONICAL', /Punycode.*Write 'https:\/\/xn--bcher-kva\.example'/],
    [
      'https://example.com.',
      'ORIGIN_NOT_CANONICAL',
      /ends its host with a dot.*Write 'https:\/\/example\.com'/,
    ],
    ['null', 'ORIGIN_NULL', /allowNullOrigin: true/],
    ['file:///home/me/index.html', 'ORIGIN_FILE', /file: send Origin: null/],
    ['https://user:pw@a.com', 'ORIGIN_INVALID', /not a valid origin/],
    ['https://a.com:99999', 'ORIGIN_INVALID', /not a valid origin/],
    [' https://a.com', 'ORIGIN_WHITESPACE', /Write 'https:\/\/a\.com'/],
  ];
  for (const [origin, code, text] of cases) {
    it(`${JSON.stringify(origin)} → ${code}`, () => {
      const err = configError({ origin: [origin] });
      assert.equal(err.problems[0]?.code, code);
      assert.match(`${err.problems[0]?.message} Fix: ${err.problems[0]?.fix}`, text);
    });
  }

  it('accepts canonical origins of every kind, including non-http schemes browsers send', () => {
    for (const origin of [
      'https://a.com',
      'http://localhost:3000',
      'http://127.0.0.1:8080',
      'http://[::1]:3000',
      'https://xn--bcher-kva.example',
      'chrome-extension://abcdefghijklmnop',
      'tauri://localhost',
    ]) {
      assert.doesNotThrow(() => createPolicy({ origin }), origin);
    }
  });
});

describe('patterns', () => {
  it('refuses a wildcard anywhere but the first label or the port', () => {
    for (const bad of [
      'https://ex*.com',
      'https://*example.com',
      'https://a.*.com',
      'https://example.*',
      'https://a.com:8*',
      'https://*',
    ]) {
      const err = configError({ origin: [bad] });
      assert.equal(err.problems[0]?.code, 'ORIGIN_BAD_WILDCARD', bad);
      assert.match(err.problems[0]?.message ?? '', /pitfall 3: a wildcard inside an origin/, bad);
    }
  });

  it('refuses subdomains of an IP address, and non-canonical pattern bases with the fix', () => {
    assert.match(
      configError({ origin: 'http://*.127.0.0.1' }).message,
      /IP address, which has no subdomains/,
    );
    assert.match(
      configError({ origin: 'https://*.Example.com' }).message,
      /Write 'https:\/\/\*\.example\.com'/,
    );
    assert.match(
      configError({ origin: 'https://*.example.com:443' }).message,
      /Write 'https:\/\/\*\.example\.com'/,
    );
  });

  it('a hint never suggests a value an error refuses: no "add Authorization to *" when * is refused with credentials', () => {
    const codes = (options: object) => only(options, 'hint').map((p) => p.code);
    assert.ok(
      codes({ origin: ['https://a.com'], allowedHeaders: ['*'] }).includes('HEADER_WILDCARD_AUTHORIZATION'),
    );
    assert.ok(
      !codes({ origin: ['https://a.com'], allowedHeaders: ['*'], credentials: true }).includes(
        'HEADER_WILDCARD_AUTHORIZATION',
      ),
    );
  });

  it('warns about a subdomain pattern over a whole top-level domain', () => {
    const warning = problem({ origin: 'https://*.com' }, 'CORSICA_PATTERN_TOO_BROAD');
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /trusts every site under 'com', a public suffix/);
    assert.equal(only({ origin: 'http://*.localhost:*' }, 'warning').length, 0);
  });

  // jub0bs/cors refuses these through the Public Suffix List; a hand-written list would miss most.
  const PUBLIC_SUFFIXES = [
    'github.io',
    'vercel.app',
    'herokuapp.com',
    'netlify.app',
    'pages.dev',
    'co.uk',
    'com',
  ];

  it('a pattern on a public suffix (private section included) is refused with credentials', () => {
    for (const suffix of PUBLIC_SUFFIXES) {
      const err = configError({
        origin: ['https://app.example.com', `https://*.${suffix}`],
        credentials: true,
      });
      const found = err.problems.find((p) => p.code === 'ORIGIN_PUBLIC_SUFFIX');
      assert.ok(found, suffix);
      assert.equal(found.path, 'origin[1]');
      assert.match(
        found.message,
        new RegExp(`every site under '${suffix.replace('.', '\\.')}', a public suffix`),
      );
      assert.match(found.message, /any of them could read your users' data/);
      assert.match(found.fix, /your-app\./);
    }
  });

  it('without credentials the same pattern warns', () => {
    for (const suffix of PUBLIC_SUFFIXES) {
      const warning = problem({ origin: `https://*.${suffix}` }, 'CORSICA_PATTERN_TOO_BROAD');
      assert.equal(warning.severity, 'warning', suffix);
    }
  });

  // Suffixes that lie under the base: anyone's bucket or blob is a site of its own there.
  const SUFFIXES_BELOW = [
    ['amazonaws.com', 's3.amazonaws.com'],
    ['windows.net', 'servicebus.windows.net'],
    ['core.windows.net', 'web.core.windows.net'],
  ] as const;

  it('a pattern on a base with public suffixes under it (https://*.amazonaws.com) is refused with credentials, warned about without', () => {
    for (const [base, suffix] of SUFFIXES_BELOW) {
      const err = configError({ origin: [`https://*.${base}`], credentials: true });
      const found = err.problems.find((p) => p.code === 'ORIGIN_PUBLIC_SUFFIX');
      assert.ok(found, base);
      assert.equal(
        found.message,
        `'https://*.${base}' trusts every site under '${base}', and the Public Suffix List has '${suffix}' under it, so it also matches 'https://attacker.${suffix}': anyone can register or publish a site there. With credentials, any of them could read your users' data. (pitfall 1: wildcard overuse)`,
      );
      const warning = problem({ origin: `https://*.${base}` }, 'CORSICA_PATTERN_TOO_BROAD');
      assert.equal(warning.severity, 'warning', base);
      assert.match(warning.message, new RegExp(`has '${suffix.replace(/\./g, '\\.')}' under it`));
    }
  });

  it('a pattern on a registrable domain or a site under a public suffix is fine', () => {
    for (const origin of ['https://*.example.com', 'https://*.example.co.uk', 'https://*.my-org.github.io'])
      assert.equal(
        only({ origin, credentials: true }, 'error').length + only({ origin }, 'warning').length,
        0,
        origin,
      );
  });
});

describe('methods and header names follow the token grammar', () => {
  it('refuses non-tokens and forbidden methods', () => {
    const err = configError({
      methods: ['GET', 'PUT POST', 'CONNECT'],
      allowedHeaders: ['X-Ok', 'X Bad'],
      exposedHeaders: ['X:Bad'],
    });
    assert.deepEqual(
      err.problems.map((p) => p.code),
      ['METHOD_INVALID', 'METHOD_FORBIDDEN', 'HEADER_INVALID', 'HEADER_INVALID'],
    );
    assert.match(err.message, /'PUT POST' is not a valid method \(HTTP token\)/);
    assert.match(err.message, /CONNECT is a forbidden method/);
  });

  it('refuses exposing Set-Cookie, which browsers never expose (pitfall 6)', () => {
    assert.match(
      configError({ exposedHeaders: ['X-A', 'Set-Cookie'] }).message,
      /'set-cookie' can never be exposed/,
    );
  });

  it('hints at names that change nothing', () => {
    assert.deepEqual(
      only(
        {
          origin: 'https://a.example',
          allowedHeaders: ['Origin', 'Access-Control-Allow-Origin', 'X-Ok'],
          exposedHeaders: ['Content-Type'],
          methods: ['GET', 'patch'],
        },
        'hint',
      ).map((p) => p.code),
      ['METHOD_LOWER_CASE', 'HEADER_FORBIDDEN', 'HEADER_RESPONSE_ONLY', 'EXPOSED_SAFELISTED'],
    );
  });

  it("hints that '*' in allowedHeaders does not cover Authorization", () => {
    assert.match(
      problem({ allowedHeaders: '*' }, 'HEADER_WILDCARD_AUTHORIZATION').fix,
      /allowedHeaders: \['\*', 'Authorization'\]/,
    );
    assert.equal(
      lintOptions({ origin: 'https://a.example', allowedHeaders: ['*', 'Authorization'] }).length,
      0,
    );
  });

  it('accepts cors-style comma strings and arrays alike, and the old name `headers`', () => {
    const fromString = createPolicy({ methods: 'GET, POST', allowedHeaders: 'X-A,X-B' });
    const fromArray = createPolicy({ methods: ['GET', 'POST'], headers: ['X-A', 'X-B'] });
    assert.deepEqual(fromString.config.methods.value, fromArray.config.methods.value);
    assert.deepEqual(fromString.config.allowedHeaders?.value, fromArray.config.allowedHeaders?.value);
  });
});

describe('other options', () => {
  it('maxAge is a whole number of seconds from -1 to 86400, given as number or numeric string', () => {
    assert.equal(createPolicy({ maxAge: '600' }).config.maxAge, '600');
    assert.equal(createPolicy({ maxAge: -1 }).config.maxAge, '0');
    for (const bad of [1.5, -2, 86401, 'ten', Number.NaN])
      assert.match(configError({ maxAge: bad }).message, /maxAge must be a whole number/);
    assert.match(
      problem({ maxAge: 86400 }, 'MAX_AGE_ABOVE_CAP').message,
      /Chromium caps the preflight cache at 7200 seconds/,
    );
  });

  it('optionsSuccessStatus must be an ok status, or every preflight fails', () => {
    assert.match(
      configError({ optionsSuccessStatus: 400 }).message,
      /browsers fail every preflight answered with number 400/,
    );
  });

  it('booleans must be booleans', () => {
    assert.match(
      configError({ credentials: 'true' }).message,
      /credentials must be true or false, not the string 'true'\. Fix: Write credentials: true\./,
    );
  });

  it('options must be an object', () => {
    assert.match(
      configError('https://a.com').message,
      /Options must be an object, not the string 'https:\/\/a\.com'/,
    );
  });

  it('silence takes known warning codes only', () => {
    assert.match(
      configError({ silence: ['CORSICA_NOPE'] }).message,
      /'CORSICA_NOPE' is not a corsica warning code/,
    );
  });
});

describe('warnings: once, with a code, and silenced by the silence option', () => {
  it('emits a dangerous configuration once per process with process.emitWarning', (t) => {
    const emit = t.mock.method(process, 'emitWarning', () => {});
    const options = { origin: [/^https:\/\/once-only\.example$/, /x-once\.example$/] };
    createPolicy(options as CorsOptions);
    createPolicy(options as CorsOptions);
    assert.equal(emit.mock.callCount(), 1);
    const [text, detail] = emit.mock.calls[0]!.arguments as unknown as [
      string,
      { code: string; type: string },
    ];
    assert.equal(detail.code, 'CORSICA_REGEXP_UNANCHORED');
    assert.equal(detail.type, 'CorsicaWarning');
    assert.match(text, /silence: \['CORSICA_REGEXP_UNANCHORED'\]/);
  });

  it('silence: [code] and silence: true keep it quiet, while the problem stays on policy.problems', (t) => {
    const emit = t.mock.method(process, 'emitWarning', () => {});
    const a = createPolicy({
      origin: true,
      credentials: true,
      silence: ['CORSICA_REFLECT_ANY_WITH_CREDENTIALS'],
    });
    const b = createPolicy({ origin: 'https://a.example', allowNullOrigin: true, silence: true });
    assert.equal(emit.mock.callCount(), 0);
    assert.equal(a.problems[0]?.code, 'CORSICA_REFLECT_ANY_WITH_CREDENTIALS');
    assert.equal(b.problems[0]?.code, 'CORSICA_NULL_ORIGIN');
  });
});
