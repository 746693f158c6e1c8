// The seven pitfalls of the seed article (shared/reference/seed-article.txt), one block each.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorsConfigError, createPolicy, type Decision, lintOptions } from '../../src/policy/index.js';

const APP = 'https://app.example.com';

function acao(options: object, origin: string | undefined): string | undefined {
  const d = createPolicy(options).decide({ method: 'GET', origin }) as Decision;
  const i = d.headers.indexOf('Access-Control-Allow-Origin');
  return i === -1 ? undefined : d.headers[i + 1];
}

function errorCodes(options: object): string[] {
  try {
    createPolicy(options);
    return [];
  } catch (err) {
    assert.ok(err instanceof CorsConfigError);
    return err.problems.filter((p) => p.severity === 'error').map((p) => p.code);
  }
}

describe('pitfall 1: using the wildcard *', () => {
  it("lint points out that '*' lets every website read the responses", () => {
    const hint = lintOptions({}).find((p) => p.code === 'ORIGIN_ANY');
    assert.equal(hint?.pitfall, 1);
    assert.match(
      hint?.message ?? '',
      /right for a public API, wrong for one that serves your own pages only/,
    );
  });

  it('warns where reflecting every origin meets credentials', () => {
    const warning = lintOptions({ origin: true, credentials: true }).find((p) => p.severity === 'warning');
    assert.equal(warning?.code, 'CORSICA_REFLECT_ANY_WITH_CREDENTIALS');
    assert.match(warning?.message ?? '', /lets every website read your users' credentialed responses/);
  });
});

describe('pitfall 2: several origins in Access-Control-Allow-Origin', () => {
  it('refuses several origins written in one string, and shows the list to write instead', () => {
    const err = (() => {
      try {
        createPolicy({ origin: 'https://a.example, https://b.example' });
      } catch (e) {
        return e as CorsConfigError;
      }
    })();
    assert.equal(err?.problems[0]?.code, 'ORIGIN_SEVERAL_IN_ONE');
    assert.match(
      err?.message ?? '',
      /Fix: Give a list and corsica echoes the one that matches: origin: \['https:\/\/a\.example', 'https:\/\/b\.example'\]/,
    );
  });

  it('answers a list with the one origin that asked, never the list', () => {
    const options = { origin: ['https://a.example', 'https://b.example'] };
    assert.equal(acao(options, 'https://b.example'), 'https://b.example');
    assert.equal(acao(options, 'https://a.example'), 'https://a.example');
  });
});

describe('pitfall 3: a wildcard such as *.example.com', () => {
  it("refuses '*.example.com' and proposes the pattern 'https://*.example.com'", () => {
    assert.deepEqual(errorCodes({ origin: '*.example.com' }), ['ORIGIN_WILDCARD_WITHOUT_SCHEME']);
    assert.match(lintOptions({ origin: '*.example.com' })[0]?.fix ?? '', /'https:\/\/\*\.example\.com'/);
  });

  it('matches the pattern and answers with the concrete origin, never with a wildcard inside it', () => {
    const options = { origin: 'https://*.example.com' };
    assert.equal(acao(options, 'https://app.example.com'), 'https://app.example.com');
    assert.equal(acao(options, 'https://a.b.example.com'), 'https://a.b.example.com');
    assert.equal(acao(options, 'https://example.com'), undefined, 'never the apex');
  });
});

describe('pitfall 4: origins without their scheme or port', () => {
  it("refuses 'example.com' and 'localhost:3000' and writes the full origin", () => {
    assert.match(lintOptions({ origin: 'example.com' })[0]?.fix ?? '', /Write 'https:\/\/example\.com'/);
    assert.match(lintOptions({ origin: 'localhost:3000' })[0]?.fix ?? '', /Write 'http:\/\/localhost:3000'/);
    assert.match(lintOptions({ origin: 'localhost' })[0]?.fix ?? '', /'http:\/\/localhost:\*'/);
  });

  it("'http://localhost' does not allow a dev server on port 3000, and the refusal says why", () => {
    const messages: string[] = [];
    const policy = createPolicy({ origin: 'http://localhost', onDecision: (r) => messages.push(r.message) });
    assert.equal(
      (policy.decide({ method: 'GET', origin: 'http://localhost:3000' }) as Decision).allowed,
      false,
    );
    assert.match(
      messages[0] ?? '',
      /differs only by its port \(pitfall 4\): add 'http:\/\/localhost:3000', or 'http:\/\/localhost:\*' for any port/,
    );
  });

  it("the port pattern 'http://localhost:*' allows every port", () => {
    for (const origin of ['http://localhost:3000', 'http://localhost:5173', 'http://localhost']) {
      assert.equal(acao({ origin: 'http://localhost:*' }, origin), origin);
    }
  });
});

describe('pitfall 5: no Vary: Origin', () => {
  it('every answer of an origin-dependent policy varies on Origin, even the refusals', () => {
    const policy = createPolicy({ origin: [APP] });
    for (const origin of [APP, 'https://other.example', undefined]) {
      assert.equal((policy.decide({ method: 'GET', origin }) as Decision).vary, 'Origin');
    }
  });
});

describe('pitfall 6: no Access-Control-Expose-Headers', () => {
  it('sends the exposed names on actual responses', () => {
    const d = createPolicy({ origin: APP, exposedHeaders: ['X-Total-Count'] }).decide({
      method: 'GET',
      origin: APP,
    }) as Decision;
    assert.deepEqual(d.headers.slice(2), ['Access-Control-Expose-Headers', 'X-Total-Count']);
  });

  it('refuses Set-Cookie, which no exposure can reveal, and hints at names already readable', () => {
    assert.deepEqual(errorCodes({ exposedHeaders: ['Set-Cookie'] }), ['EXPOSED_FORBIDDEN']);
    assert.equal(
      lintOptions({ exposedHeaders: ['Cache-Control'] }).find((p) => p.code === 'EXPOSED_SAFELISTED')
        ?.pitfall,
      6,
    );
  });
});

describe('pitfall 7: a wildcard with credentials', () => {
  it('refuses * in origin, allowedHeaders, methods and exposedHeaders when credentials is true', () => {
    assert.deepEqual(errorCodes({ credentials: true }), ['ORIGIN_WILDCARD_WITH_CREDENTIALS']);
    assert.deepEqual(errorCodes({ origin: '*', credentials: true }), ['ORIGIN_WILDCARD_WITH_CREDENTIALS']);
    assert.deepEqual(
      errorCodes({ origin: APP, credentials: true, allowedHeaders: '*', methods: '*', exposedHeaders: '*' }),
      [
        'METHODS_WILDCARD_WITH_CREDENTIALS',
        'ALLOWED_HEADERS_WILDCARD_WITH_CREDENTIALS',
        'EXPOSED_HEADERS_WILDCARD_WITH_CREDENTIALS',
      ],
    );
  });

  it('never turns * into a reflected origin to make credentials work (hono#4811)', () => {
    assert.throws(
      () => createPolicy({ origin: '*', credentials: true }),
      /pitfall 7: a wildcard with credentials/,
    );
  });
});
