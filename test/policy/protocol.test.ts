// The server side of the CORS protocol, rule by rule. Each block's name starts with the anchor of
// the part of the Fetch standard it follows, on https://fetch.spec.whatwg.org/:
// - https://fetch.spec.whatwg.org/#http-requests and https://fetch.spec.whatwg.org/#http-responses
//   (the CORS protocol's headers);
// - https://fetch.spec.whatwg.org/#methods (method normalization);
// - https://fetch.spec.whatwg.org/#extract-header-list-values (header lists);
// - https://fetch.spec.whatwg.org/#cors-preflight-fetch, step 7 (the checks a browser runs on our
//   preflight answers, which the server-side decision mirrors).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CorsOptions, type CorsRequest, createPolicy, type Decision } from '../../src/policy/index.js';

const APP = 'https://app.example.com';

function decideSync(options: CorsOptions, request: CorsRequest): Decision {
  const d = createPolicy(options).decide(request);
  assert.ok(!(d instanceof Promise), 'a static policy decides synchronously');
  return d;
}

/** The decision's headers as an object keyed by lower-case name (duplicates would be overwritten, so count too). */
function headersOf(d: Decision): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < d.headers.length; i += 2) {
    const name = d.headers[i]!.toLowerCase();
    assert.equal(out[name], undefined, `header ${name} set twice`);
    out[name] = d.headers[i + 1]!;
  }
  return out;
}

function preflight(origin: string, requestMethod: string, requestHeaders?: string): CorsRequest {
  return { method: 'OPTIONS', origin, requestMethod, requestHeaders: requestHeaders ?? null };
}

describe('#http-requests: what a preflight is', () => {
  it('an OPTIONS request with Origin and Access-Control-Request-Method is a preflight', () => {
    const d = decideSync({}, preflight(APP, 'PUT'));
    assert.equal(d.kind, 'preflight');
    assert.equal(d.status, 204);
  });

  it('an OPTIONS request without Access-Control-Request-Method is an actual request (fetch(url, {method: "OPTIONS"}))', () => {
    const d = decideSync({}, { method: 'OPTIONS', origin: APP });
    assert.equal(d.kind, 'actual');
    assert.equal(d.status, 0, 'handed on to the application');
  });

  it('an OPTIONS request without Origin is not a CORS preflight', () => {
    const d = decideSync({ origin: [APP] }, { method: 'OPTIONS', requestMethod: 'PUT' });
    assert.equal(d.kind, 'actual');
    assert.equal(d.reason, 'no-origin');
    assert.equal(d.status, 0);
  });

  it('a GET with Access-Control-Request-Method is still an actual request', () => {
    assert.equal(decideSync({}, { method: 'GET', origin: APP, requestMethod: 'PUT' }).kind, 'actual');
  });
});

describe('#http-responses: the answer to an allowed origin', () => {
  it('echoes the one request origin that matched a list (single-origin rule, pitfall 2)', () => {
    const options = { origin: ['https://a.example', APP, 'https://b.example'] };
    assert.equal(
      headersOf(decideSync(options, { method: 'GET', origin: APP }))['access-control-allow-origin'],
      APP,
    );
    assert.equal(
      headersOf(decideSync(options, { method: 'GET', origin: 'https://b.example' }))[
        'access-control-allow-origin'
      ],
      'https://b.example',
    );
  });

  it("answers '*' by default, with no Vary (the answer does not depend on Origin)", () => {
    const d = decideSync({}, { method: 'GET', origin: APP });
    assert.deepEqual(headersOf(d), { 'access-control-allow-origin': '*' });
    assert.equal(d.vary, null);
  });

  it("answers '*' even without an Origin header, so a shared cache can serve the response to any page", () => {
    assert.deepEqual(headersOf(decideSync({}, { method: 'GET' })), { 'access-control-allow-origin': '*' });
  });

  it('sends Access-Control-Allow-Credentials: true with credentials', () => {
    const h = headersOf(decideSync({ origin: APP, credentials: true }, { method: 'GET', origin: APP }));
    assert.equal(h['access-control-allow-credentials'], 'true');
    assert.equal(h['access-control-allow-origin'], APP);
  });

  it('Access-Control-Expose-Headers only on actual responses, never on preflights', () => {
    const options = { origin: APP, exposedHeaders: ['X-Total-Count', 'X-Request-Id'] };
    assert.equal(
      headersOf(decideSync(options, { method: 'GET', origin: APP }))['access-control-expose-headers'],
      'X-Total-Count,X-Request-Id',
    );
    assert.equal(
      headersOf(decideSync(options, preflight(APP, 'PUT')))['access-control-expose-headers'],
      undefined,
    );
  });

  it('Access-Control-Max-Age only on preflights', () => {
    const options = { origin: APP, maxAge: 600 };
    assert.equal(headersOf(decideSync(options, preflight(APP, 'PUT')))['access-control-max-age'], '600');
    assert.equal(
      headersOf(decideSync(options, { method: 'GET', origin: APP }))['access-control-max-age'],
      undefined,
    );
  });

  it('#http-new-header-syntax: maxAge -1 is sent as 0, the delta-seconds value that turns caching off in every browser', () => {
    // -1 is not delta-seconds: the standard parses it as failure and caches for the default 5 s.
    for (const maxAge of [-1, '-1', 0])
      assert.equal(
        headersOf(decideSync({ origin: APP, maxAge }, preflight(APP, 'PUT')))['access-control-max-age'],
        '0',
      );
  });

  it('a preflight gets the methods, a 204 by default, and optionsSuccessStatus when set', () => {
    const h = headersOf(decideSync({ origin: APP }, preflight(APP, 'PUT')));
    assert.equal(h['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
    assert.equal(decideSync({ origin: APP, optionsSuccessStatus: 200 }, preflight(APP, 'PUT')).status, 200);
  });

  it('preflightContinue hands the preflight on (status 0) with its headers set', () => {
    const d = decideSync({ origin: APP, preflightContinue: true }, preflight(APP, 'PUT'));
    assert.equal(d.status, 0);
    assert.equal(headersOf(d)['access-control-allow-origin'], APP);
  });
});

describe('#http-responses: the answer to a disallowed origin has no CORS headers', () => {
  it('an actual request from another origin gets no Access-Control-* header but Vary: Origin', () => {
    const d = decideSync(
      { origin: APP, credentials: true, exposedHeaders: ['X-A'] },
      { method: 'GET', origin: 'https://evil.example' },
    );
    assert.equal(d.allowed, false);
    assert.equal(d.reason, 'origin-not-allowed');
    assert.deepEqual(d.headers, []);
    assert.equal(d.vary, 'Origin');
  });

  it('a preflight from another origin gets no 2xx-with-permission: no CORS header at all', () => {
    const d = decideSync(
      { origin: APP, credentials: true, maxAge: 60 },
      preflight('https://evil.example', 'PUT'),
    );
    assert.equal(d.allowed, false);
    assert.deepEqual(d.headers, []);
  });

  it('origin: false turns CORS off: no header, no Vary, preflights handed on', () => {
    const d = decideSync({ origin: false }, preflight(APP, 'PUT'));
    assert.equal(d.reason, 'disabled');
    assert.deepEqual(d.headers, []);
    assert.equal(d.vary, null);
    assert.equal(d.status, 0);
  });
});

describe('#methods: case-sensitive except the six the standard normalizes', () => {
  it('normalizes the six in the configuration: methods: "get,put" allows PUT', () => {
    const d = decideSync({ origin: APP, methods: 'get,put' }, preflight(APP, 'PUT'));
    assert.equal(d.allowed, true);
    assert.equal(headersOf(d)['access-control-allow-methods'], 'GET,PUT');
  });

  it('compares other methods byte for byte: PATCH does not allow patch', () => {
    const options = { origin: APP, methods: ['PATCH'] };
    assert.equal(decideSync(options, preflight(APP, 'PATCH')).allowed, true);
    const lower = decideSync(options, preflight(APP, 'patch'));
    assert.equal(lower.allowed, false);
    assert.equal(lower.reason, 'method-not-allowed');
  });

  it('#cors-preflight-fetch: safelisted methods pass the preflight method check without being listed', () => {
    const d = decideSync({ origin: APP, methods: ['PUT'] }, preflight(APP, 'POST', 'x-custom'));
    assert.equal(d.allowed, true);
  });

  it('#cors-preflight-fetch: a refused method still gets the configured lists, so the browser names the method', () => {
    const d = decideSync({ origin: APP, methods: ['PUT'] }, preflight(APP, 'DELETE'));
    assert.equal(d.allowed, false);
    assert.equal(d.reason, 'method-not-allowed');
    const h = headersOf(d);
    assert.equal(h['access-control-allow-origin'], APP);
    assert.equal(h['access-control-allow-methods'], 'PUT');
  });

  it("#cors-preflight-fetch: '*' allows any method without credentials", () => {
    assert.equal(decideSync({ methods: '*' }, preflight(APP, 'PURGE')).allowed, true);
  });

  it('a preflight whose Access-Control-Request-Method is not a token gets no CORS headers', () => {
    const d = decideSync({ origin: APP }, preflight(APP, 'PUT X'));
    assert.equal(d.reason, 'malformed-request-method');
    assert.deepEqual(d.headers, []);
  });
});

describe('#extract-header-list-values: Access-Control-Request-Headers is a header list', () => {
  it('reflects the requested names, lower-cased and re-joined, when allowedHeaders is unset (cors default)', () => {
    const d = decideSync({ origin: APP }, preflight(APP, 'PUT', 'Content-Type, X-Api-Key'));
    assert.equal(headersOf(d)['access-control-allow-headers'], 'content-type,x-api-key');
    assert.equal(d.vary, 'Origin, Access-Control-Request-Headers');
  });

  it('accepts optional white space, empty items and mixed case', () => {
    const d = decideSync(
      { origin: APP, allowedHeaders: ['X-Api-Key', 'Content-Type'] },
      preflight(APP, 'PUT', ' x-API-key ,,\tcontent-type'),
    );
    assert.equal(d.allowed, true);
  });

  it('accepts the header split over two lines, joined by Node with ", " (rs/cors#184)', () => {
    const d = decideSync({ origin: APP, allowedHeaders: ['a', 'b', 'c'] }, preflight(APP, 'PUT', 'a,b, c'));
    assert.equal(d.allowed, true);
  });

  it('names a header outside allowedHeaders as refused, keeping the configured list in the answer', () => {
    const d = decideSync(
      { origin: APP, allowedHeaders: ['Content-Type'] },
      preflight(APP, 'PUT', 'content-type,x-secret'),
    );
    assert.equal(d.reason, 'header-not-allowed');
    assert.equal(headersOf(d)['access-control-allow-headers'], 'Content-Type');
  });

  it("#cors-preflight-fetch: '*' covers every name but Authorization, which must be listed", () => {
    assert.equal(decideSync({ allowedHeaders: '*' }, preflight(APP, 'PUT', 'x-a,x-b')).allowed, true);
    assert.equal(
      decideSync({ allowedHeaders: '*' }, preflight(APP, 'PUT', 'authorization')).reason,
      'header-not-allowed',
    );
    assert.equal(
      decideSync({ allowedHeaders: ['*', 'Authorization'] }, preflight(APP, 'PUT', 'authorization,x-a'))
        .allowed,
      true,
    );
  });

  it('a list that is not a header list (a space inside a name, a colon) gets no CORS headers', () => {
    for (const bad of ['x a', 'x-a:1', 'x-a;y', '"x"']) {
      const d = decideSync({ origin: APP }, preflight(APP, 'PUT', bad));
      assert.equal(d.reason, 'malformed-request-headers', bad);
      assert.deepEqual(d.headers, [], bad);
    }
  });

  it('an empty Access-Control-Request-Headers asks for nothing', () => {
    const d = decideSync({ origin: APP }, preflight(APP, 'PUT', ''));
    assert.equal(d.allowed, true);
    assert.equal(headersOf(d)['access-control-allow-headers'], undefined);
  });
});

describe('Vary (pitfall 5)', () => {
  it('Vary: Origin on every answer of an origin-dependent policy, allowed, refused or without Origin', () => {
    const policy = createPolicy({ origin: [APP] });
    for (const origin of [APP, 'https://evil.example', undefined]) {
      assert.equal((policy.decide({ method: 'GET', origin }) as Decision).vary, 'Origin', String(origin));
    }
  });

  it('preflights also vary on Access-Control-Request-Headers only when they are reflected', () => {
    assert.equal(
      decideSync({ origin: [APP], allowedHeaders: ['x-a'] }, preflight(APP, 'PUT')).vary,
      'Origin',
    );
    assert.equal(
      decideSync({ origin: [APP] }, preflight(APP, 'PUT')).vary,
      'Origin, Access-Control-Request-Headers',
    );
  });
});

describe('Private Network Access (legacy preflights; WICG private-network-access, now replaced in Chromium by Local Network Access)', () => {
  const pna = { ...preflight(APP, 'GET'), requestPrivateNetwork: 'true' };

  it('answers Access-Control-Request-Private-Network: true with Access-Control-Allow-Private-Network: true', () => {
    const d = decideSync({ origin: APP, privateNetwork: true }, pna);
    assert.equal(headersOf(d)['access-control-allow-private-network'], 'true');
    assert.match(d.vary ?? '', /Access-Control-Request-Private-Network/);
  });

  it('does not without privateNetwork, nor for a preflight that does not ask', () => {
    assert.equal(
      headersOf(decideSync({ origin: APP }, pna))['access-control-allow-private-network'],
      undefined,
    );
    assert.equal(
      headersOf(decideSync({ origin: APP, privateNetwork: true }, preflight(APP, 'GET')))[
        'access-control-allow-private-network'
      ],
      undefined,
    );
  });
});

describe('origin functions', () => {
  it('async (origin) => boolean decides per request and is asked every time', async () => {
    let calls = 0;
    const policy = createPolicy({
      origin: async (origin: string | undefined) => {
        calls++;
        return origin === APP;
      },
    });
    assert.equal(policy.async, true);
    const allowed = await policy.decide({ method: 'GET', origin: APP });
    assert.equal(headersOf(allowed)['access-control-allow-origin'], APP);
    await policy.decide({ method: 'GET', origin: APP });
    assert.equal(calls, 2, 'not cached: the function may change its mind');
    assert.equal(
      (await policy.decide({ method: 'GET', origin: 'https://evil.example' })).reason,
      'origin-not-allowed',
    );
  });

  it("cors's callback form (origin, callback) => callback(null, true)", async () => {
    const policy = createPolicy({
      origin: (origin: string | undefined, cb: (e: Error | null, ok?: boolean) => void) =>
        setImmediate(() => cb(null, origin === APP)),
    });
    assert.equal((await policy.decide({ method: 'GET', origin: APP })).allowed, true);
    assert.equal((await policy.decide({ method: 'GET', origin: 'https://x.example' })).allowed, false);
  });

  it('an answer that is an origin rule is matched like configuration', async () => {
    const policy = createPolicy({ origin: () => ['https://*.example.com'] });
    assert.equal((await policy.decide({ method: 'GET', origin: APP })).allowed, true);
    assert.equal(
      (await policy.decide({ method: 'GET', origin: 'https://example.com.evil.net' })).allowed,
      false,
    );
  });

  it('is not called for a request without Origin, nor for a malformed or null Origin', async () => {
    let calls = 0;
    const policy = createPolicy({ origin: () => ++calls > 0 });
    assert.equal((await policy.decide({ method: 'GET' })).reason, 'no-origin');
    assert.equal(
      (await policy.decide({ method: 'GET', origin: 'https://a.com/<script>' })).reason,
      'malformed-origin',
    );
    assert.equal((await policy.decide({ method: 'GET', origin: 'null' })).reason, 'null-origin');
    assert.equal(calls, 0);
  });

  it('errors and rejections reach the caller', async () => {
    await assert.rejects(
      createPolicy({ origin: async () => Promise.reject(new Error('db down')) }).decide({
        method: 'GET',
        origin: APP,
      }) as Promise<Decision>,
      /db down/,
    );
    const cb = createPolicy({
      origin: (_o: string | undefined, done: (e: Error | null) => void) => done(new Error('lookup failed')),
    });
    await assert.rejects(cb.decide({ method: 'GET', origin: APP }) as Promise<Decision>, /lookup failed/);
  });

  it("an answer of '*' with credentials is refused with the wildcard-with-credentials problem", async () => {
    const policy = createPolicy({ origin: () => '*', credentials: true });
    await assert.rejects(
      policy.decide({ method: 'GET', origin: APP }) as Promise<Decision>,
      /pitfall 7: a wildcard with credentials/,
    );
  });
});

describe('null origin', () => {
  it("origin: true does not reflect 'null' (sandboxed iframes, data: URLs)", () => {
    assert.equal(decideSync({ origin: true }, { method: 'GET', origin: 'null' }).reason, 'null-origin');
  });

  it("allowNullOrigin: true answers 'null' with 'null'", () => {
    const d = decideSync(
      { origin: [APP], allowNullOrigin: true, silence: ['CORSICA_NULL_ORIGIN'] },
      { method: 'GET', origin: 'null' },
    );
    assert.equal(headersOf(d)['access-control-allow-origin'], 'null');
  });
});

describe('decisions are frozen (rs/cors#198, jub0bs/cors#14: shared header lists mutated by handlers)', () => {
  it('neither a decision nor its header list can be changed', () => {
    const policy = createPolicy({ origin: [APP] });
    const d = policy.decide({ method: 'GET', origin: APP }) as Decision;
    assert.throws(() => (d.headers as string[]).push('X-Injected', '1'), TypeError);
    assert.throws(() => {
      (d as { allowed: boolean }).allowed = false;
    }, TypeError);
    assert.deepEqual((policy.decide({ method: 'GET', origin: APP }) as Decision).headers, [
      'Access-Control-Allow-Origin',
      APP,
    ]);
  });
});

describe('onDecision tells the server owner why', () => {
  function reports(options: CorsOptions, requests: CorsRequest[]): string[] {
    const messages: string[] = [];
    const policy = createPolicy({ ...options, onDecision: (r) => messages.push(r.message) });
    for (const r of requests) policy.decide(r);
    return messages;
  }

  it('names the refused origin and points at a near miss on the port (pitfall 4)', () => {
    const [message] = reports({ origin: ['http://localhost:3000'] }, [
      { method: 'GET', origin: 'http://localhost:5173' },
    ]);
    assert.equal(
      message,
      "Refused GET from 'http://localhost:5173': it is not an allowed origin. The allowed origin 'http://localhost:3000' differs only by its port (pitfall 4): add 'http://localhost:5173', or 'http://localhost:*' for any port.",
    );
  });

  it('names the refused method and the refused header', () => {
    const messages = reports({ origin: [APP], methods: ['GET', 'POST'], allowedHeaders: ['Content-Type'] }, [
      preflight(APP, 'DELETE'),
      preflight(APP, 'POST', 'content-type,x-api-key'),
    ]);
    assert.equal(
      messages[0],
      `Refused preflight for DELETE from '${APP}': DELETE is not in methods (GET,POST). Add 'DELETE' to methods.`,
    );
    assert.equal(
      messages[1],
      `Refused preflight for POST from '${APP}': request header x-api-key is not in allowedHeaders (Content-Type). Add 'x-api-key' to allowedHeaders.`,
    );
  });

  it('says why a header list was refused as malformed', () => {
    const [message] = reports({ origin: [APP] }, [preflight(APP, 'PUT', ','.repeat(40))]);
    assert.match(
      message ?? '',
      /Access-Control-Request-Headers cannot be parsed: it has more than 16 empty items\.$/,
    );
  });

  it('says when a header list names more headers than any browser sends', () => {
    const list = Array.from({ length: 200 }, (_, i) => `x-h${i}`).join(',');
    const [message] = reports({ origin: [APP] }, [preflight(APP, 'PUT', list)]);
    assert.match(
      message ?? '',
      /Access-Control-Request-Headers cannot be parsed: it names more than 128 headers\.$/,
    );
  });

  it('reports allowed decisions too, and nothing for requests without Origin', () => {
    assert.deepEqual(reports({ origin: [APP] }, [{ method: 'GET', origin: APP }, { method: 'GET' }]), [
      `Allowed GET from '${APP}'.`,
    ]);
  });

  it('debug: true logs refusals with console.warn', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const policy = createPolicy({ origin: [APP], debug: true });
    policy.decide({ method: 'GET', origin: APP });
    policy.decide({ method: 'GET', origin: 'https://evil.example' });
    assert.equal(warn.mock.callCount(), 1);
    assert.equal(
      warn.mock.calls[0]?.arguments[0],
      "corsica: Refused GET from 'https://evil.example': it is not an allowed origin.",
    );
  });
});
