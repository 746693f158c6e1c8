// The policy remembers verdicts (per origin) and preflight answers (per request-header list) so that
// repeated requests cost one lookup. These tests make sure a remembered answer is never given to a
// request it does not fit, and that the memories stay bounded whatever origins a client invents.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CorsRequest, createPolicy, type Decision, type Policy } from '../../src/policy/index.js';
import { policyForOptions } from '../../src/policy/policy-cache.js';

const APP = 'https://app.example.com';

function decideSync(policy: Policy, request: CorsRequest): Decision {
  const d = policy.decide(request);
  assert.ok(!(d instanceof Promise));
  return d;
}

function header(d: Decision, name: string): string | undefined {
  for (let i = 0; i < d.headers.length; i += 2) {
    if (d.headers[i]!.toLowerCase() === name) return d.headers[i + 1];
  }
  return undefined;
}

const preflight = (origin: string, requestMethod: string, requestHeaders: string | null): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  requestMethod,
  requestHeaders,
});

describe('remembered preflight answers', () => {
  it('a granted header list is not reused for a method the configuration does not allow', () => {
    const policy = createPolicy({ origin: APP, methods: 'GET,PUT', allowedHeaders: 'x-a' });
    assert.equal(decideSync(policy, preflight(APP, 'PUT', 'x-a')).allowed, true);
    const d = decideSync(policy, preflight(APP, 'DELETE', 'x-a'));
    assert.equal(d.allowed, false);
    assert.equal(d.reason, 'method-not-allowed');
  });

  it('a list refused once is refused again, and a granted one granted again', () => {
    const policy = createPolicy({ origin: APP, allowedHeaders: ['X-A'] });
    for (let round = 0; round < 3; round++) {
      assert.equal(decideSync(policy, preflight(APP, 'PUT', 'x-a')).allowed, true);
      assert.equal(decideSync(policy, preflight(APP, 'PUT', 'x-a,x-b')).reason, 'header-not-allowed');
    }
  });

  it('reflected header lists belong to the request that sent them', () => {
    const policy = createPolicy({ origin: [APP, 'https://b.example'] });
    const a = decideSync(policy, preflight(APP, 'PUT', 'X-One'));
    const b = decideSync(policy, preflight('https://b.example', 'PUT', 'x-two'));
    const again = decideSync(policy, preflight(APP, 'PUT', 'X-One'));
    assert.equal(header(a, 'access-control-allow-headers'), 'x-one');
    assert.equal(header(b, 'access-control-allow-headers'), 'x-two');
    assert.equal(header(b, 'access-control-allow-origin'), 'https://b.example');
    assert.equal(again, a, 'the same request gets the same frozen decision');
  });

  it('a private-network preflight is answered per request, never from memory', () => {
    const policy = createPolicy({ origin: APP, privateNetwork: true });
    const withPna = { ...preflight(APP, 'GET', null), requestPrivateNetwork: 'true' };
    assert.equal(header(decideSync(policy, withPna), 'access-control-allow-private-network'), 'true');
    const plain = decideSync(policy, preflight(APP, 'GET', null));
    assert.equal(header(plain, 'access-control-allow-private-network'), undefined);
    assert.equal(header(decideSync(policy, withPna), 'access-control-allow-private-network'), 'true');
  });

  it('a malformed method is refused even when the same header list was granted before', () => {
    const policy = createPolicy({ origin: APP });
    assert.equal(decideSync(policy, preflight(APP, 'PUT', 'x-a')).allowed, true);
    assert.equal(decideSync(policy, preflight(APP, 'P T', 'x-a')).reason, 'malformed-request-method');
  });
});

describe('remembered origin verdicts', () => {
  it('stay right after thousands of invented origins evict the cache', () => {
    const policy = createPolicy({ origin: [APP, 'https://*.example.org'] });
    for (let i = 0; i < 5000; i++) {
      const denied = decideSync(policy, { method: 'GET', origin: `https://x${i}.example.net` });
      assert.equal(denied.allowed, false);
      if (i % 997 === 0) {
        assert.equal(
          decideSync(policy, { method: 'GET', origin: `https://s${i}.example.org` }).allowed,
          true,
        );
      }
    }
    const exact = decideSync(policy, { method: 'GET', origin: APP });
    assert.equal(header(exact, 'access-control-allow-origin'), APP);
    assert.equal(decideSync(policy, { method: 'GET', origin: 'https://x1.example.net' }).allowed, false);
    assert.equal(decideSync(policy, { method: 'GET', origin: 'https://a.example.org' }).allowed, true);
  });

  it('a malformed origin is refused as malformed the first time and every time after', () => {
    const policy = createPolicy({ origin: true });
    for (let round = 0; round < 3; round++) {
      assert.equal(
        decideSync(policy, { method: 'GET', origin: 'HTTPS://APP.EXAMPLE.COM' }).reason,
        'malformed-origin',
      );
    }
  });

  it('an origin function is asked on every request, even for an origin it allowed before', async () => {
    let allow = true;
    let calls = 0;
    const policy = createPolicy({
      origin: async () => {
        calls++;
        return allow;
      },
    });
    assert.equal((await policy.decide({ method: 'GET', origin: APP })).allowed, true);
    allow = false;
    assert.equal((await policy.decide({ method: 'GET', origin: APP })).allowed, false);
    assert.equal(calls, 2);
  });
});

describe('policies for options given per request (the delegate form)', () => {
  it('equal options share one compiled policy; different ones do not', () => {
    const allowed = policyForOptions({ origin: [APP], credentials: true, maxAge: 600 });
    assert.equal(policyForOptions({ maxAge: 600, credentials: true, origin: [APP] }), allowed);
    assert.notEqual(policyForOptions({ origin: [APP], credentials: true, maxAge: 60 }), allowed);
    assert.notEqual(
      policyForOptions({ origin: [APP, 'https://b.example'], credentials: true, maxAge: 600 }),
      allowed,
    );
    assert.equal(policyForOptions({ origin: false }), policyForOptions({ origin: false }));
    assert.notEqual(policyForOptions({ origin: false }), policyForOptions({ origin: true }));
  });

  it('RegExps compare by source and flags, functions by identity', () => {
    assert.equal(
      policyForOptions({ origin: /^https:\/\/a\.example$/ }),
      policyForOptions({ origin: /^https:\/\/a\.example$/ }),
    );
    assert.notEqual(
      policyForOptions({ origin: /^https:\/\/a\.example$/ }),
      policyForOptions({ origin: /^https:\/\/a\.example$/i }),
    );
    const check = async (origin: string | undefined) => origin === APP;
    assert.equal(policyForOptions({ origin: check }), policyForOptions({ origin: check }));
    assert.notEqual(policyForOptions({ origin: check }), policyForOptions({ origin: async () => true }));
  });

  it('invalid options still throw every time they are given', () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => policyForOptions({ origin: '*', credentials: true }),
        /cannot be used with credentials/,
      );
    }
  });
});
