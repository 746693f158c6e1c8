// The two halves joined: for random corsica configurations and random requests, the browser model,
// applied to what the real corsica/node middleware answers over real HTTP, allows exactly what the
// configuration means to allow. The meaning is written here from the options, independently of
// both the policy and the model.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { cors } from '../../src/adapters/node/index.js';
import { type BrowserRequest, simulateFetch } from '../../src/browser/index.js';
import { httpTransport } from '../../src/check/index.js';
import type { CorsOptions, DecisionReport } from '../../src/policy/index.js';
import { close, listen } from '../helpers/http.js';

const ORIGINS = [
  'https://app.example.com',
  'https://admin.example.com',
  'http://localhost:3000',
  'https://evil.example.net',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch'];
const HEADERS: [string, string][] = [
  ['X-Api-Key', 'k'],
  ['Content-Type', 'application/json'],
  ['Content-Type', 'text/plain'],
  ['Authorization', 'Bearer t'],
  ['Accept', 'application/json'],
];

interface Config {
  readonly origins: readonly string[] | '*';
  readonly credentials: boolean;
  readonly methods: readonly string[];
  /** null: reflect what is requested (the cors default). */
  readonly allowedHeaders: readonly string[] | null;
}

const config: fc.Arbitrary<Config> = fc
  .record({
    origins: fc.oneof(fc.constant('*' as const), fc.subarray(ORIGINS.slice(0, 3), { minLength: 1 })),
    credentials: fc.boolean(),
    methods: fc.subarray(['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], { minLength: 1 }),
    allowedHeaders: fc.oneof(fc.constant(null), fc.subarray(['X-Api-Key', 'Content-Type', 'Authorization'])),
  })
  .filter((c) => !(c.origins === '*' && c.credentials));

interface Request {
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly [string, string][];
  readonly credentials: boolean;
}

const request: fc.Arbitrary<Request> = fc.record({
  origin: fc.constantFrom(...ORIGINS),
  method: fc.constantFrom(...METHODS),
  headers: fc.subarray(HEADERS).filter((hs) => new Set(hs.map(([n]) => n)).size === hs.length),
  credentials: fc.boolean(),
});

const SAFELISTED_CONTENT_TYPES = new Set(['text/plain']);

/** What the configuration means for one request: the oracle. */
function intended(c: Config, r: Request): boolean {
  if (c.origins !== '*' && !c.origins.includes(r.origin)) return false;
  if (r.credentials && !c.credentials) return false;
  // Browsers upper-case GET, POST, PUT and DELETE (and HEAD, OPTIONS); `patch` stays `patch`.
  const method = ['GET', 'POST', 'PUT', 'DELETE'].includes(r.method.toUpperCase())
    ? r.method.toUpperCase()
    : r.method;
  const safeMethod = ['GET', 'HEAD', 'POST'].includes(method);
  if (!safeMethod && !c.methods.includes(method)) return false;
  const unsafe = r.headers
    .filter(([n, v]) => !(n === 'Accept' || (n === 'Content-Type' && SAFELISTED_CONTENT_TYPES.has(v))))
    .map(([n]) => n.toLowerCase());
  if (c.allowedHeaders !== null && !unsafe.every((n) => c.allowedHeaders!.some((a) => a.toLowerCase() === n)))
    return false;
  return true;
}

function options(c: Config): CorsOptions {
  return {
    origin: c.origins === '*' ? '*' : [...c.origins],
    credentials: c.credentials,
    methods: [...c.methods],
    ...(c.allowedHeaders === null ? {} : { allowedHeaders: [...c.allowedHeaders] }),
    silence: true,
  };
}

describe('property: the browser model allows what a corsica configuration means', () => {
  let server: Server;
  let url: string;
  let middleware = cors();

  before(async () => {
    ({ server, url } = await listen((req, res) => middleware(req, res, () => res.end('ok'))));
  });
  after(async () => {
    await close(server);
  });

  it('for random configurations and requests, over real HTTP, and a refusal has the same name on both sides', async () => {
    const transport = httpTransport({ timeout: 5000, body: 'x' });
    let named = 0;
    await fc.assert(
      fc.asyncProperty(config, request, async (c, r) => {
        const reports: DecisionReport[] = [];
        middleware = cors({ ...options(c), onDecision: (report) => void reports.push(report) });
        const browserRequest: BrowserRequest = {
          url: `${url}/resource`,
          origin: r.origin,
          method: r.method,
          headers: r.headers,
          credentials: r.credentials ? 'include' : 'same-origin',
        };
        const outcome = await simulateFetch(browserRequest, transport);
        const expected = intended(c, r);
        assert.equal(
          outcome.verdict === 'allowed',
          expected,
          `${JSON.stringify(c)} ${JSON.stringify(r)}: ${outcome.failure?.message ?? outcome.typeError ?? 'allowed'}`,
        );
        // The server's name for its refusal is the model's (and check's) name for what the browser
        // says, unless the browser fails the request earlier, on its credentials.
        const refused = reports.find((report) => !report.allowed);
        if (refused?.browserError != null && (!r.credentials || c.credentials)) {
          assert.equal(
            outcome.failure?.code,
            refused.browserError,
            `${JSON.stringify(c)} ${JSON.stringify(r)}`,
          );
          named++;
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(named > 30, `only ${named} refusals were compared by name`);
  });
});
