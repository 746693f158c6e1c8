// Every problem code of the closed table (src/policy/codes.ts) is produced by a configuration that
// a user could write, through the door a user would use: lintOptions (what `corsica lint` runs),
// an adapter's factory, or the real Fastify plugin. The table below is typed by the codes, so a
// new code does not compile without its case; each case asserts its code is reported.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import corsicaFastify from '../../src/adapters/fastify/index.js';
import { cors as corsicaHono } from '../../src/adapters/hono/index.js';
import { cors as corsicaKoa } from '../../src/adapters/koa/index.js';
import { cors as corsicaNode } from '../../src/adapters/node/index.js';
import { PROBLEM_CODES, type ProblemCode } from '../../src/policy/codes.js';
import { CorsConfigError, lintOptions } from '../../src/policy/index.js';
import { warningsDuring } from '../helpers/warnings.js';

/** The codes `corsica lint` reports for these options. */
const linted = (options: unknown) => async () => lintOptions(options).map((p) => p.code);

/** The codes an adapter's factory refuses (CorsConfigError) or warns about (CorsicaWarning). */
function fromFactory(make: () => unknown) {
  return async () => {
    const codes: string[] = [];
    const warnings = await warningsDuring(() => {
      try {
        make();
      } catch (err) {
        if (!(err instanceof CorsConfigError)) throw err;
        codes.push(...err.problems.map((p) => p.code));
      }
    });
    return [...codes, ...warnings.map((w) => w.code)];
  };
}

/** The codes the real Fastify plugin reports when registered with these options. */
function fromFastify(options: Record<string, unknown>) {
  return fromFactoryAsync(async () => {
    const app = Fastify({ logger: false });
    try {
      await app.register(corsicaFastify, options);
      await app.ready();
    } finally {
      await app.close();
    }
  });
}

function fromFactoryAsync(make: () => Promise<unknown>) {
  return async () => {
    const codes: string[] = [];
    const warnings = await warningsDuring(async () => {
      try {
        await make();
      } catch (err) {
        if (!(err instanceof CorsConfigError)) throw err;
        codes.push(...err.problems.map((p) => p.code));
      }
    });
    return [...codes, ...warnings.map((w) => w.code)];
  };
}

const CASES: Record<ProblemCode, () => Promise<readonly string[]>> = {
  OPTIONS_INVALID_TYPE: linted('https://app.example.com'),
  OPTION_INVALID_TYPE: linted({ credentials: 'yes' }),
  ORIGIN_INVALID_TYPE: linted({ origin: [42] }),
  ORIGIN_INVALID: linted({ origin: 'https://example.com:99999' }),
  ORIGIN_MISSING_SCHEME: linted({ origin: 'example.com' }),
  ORIGIN_HAS_PATH: linted({ origin: 'https://a.com/app' }),
  ORIGIN_TRAILING_SLASH: linted({ origin: 'https://a.com/' }),
  ORIGIN_WHITESPACE: linted({ origin: ' https://a.com' }),
  ORIGIN_NOT_CANONICAL: linted({ origin: 'https://A.com' }),
  ORIGIN_DEFAULT_PORT: linted({ origin: 'https://a.com:443' }),
  ORIGIN_SEVERAL_IN_ONE: linted({ origin: 'https://a.com,https://b.com' }),
  ORIGIN_BAD_WILDCARD: linted({ origin: 'https://a*.example.com' }),
  ORIGIN_WILDCARD_WITHOUT_SCHEME: linted({ origin: '*.example.com' }),
  ORIGIN_WILDCARD_IN_LIST: linted({ origin: ['*', 'https://a.com'] }),
  ORIGIN_WILDCARD_WITH_CREDENTIALS: linted({ origin: '*', credentials: true }),
  ORIGIN_PUBLIC_SUFFIX: linted({ origin: 'https://*.github.io', credentials: true }),
  ORIGIN_NULL: linted({ origin: 'null' }),
  ORIGIN_FILE: linted({ origin: 'file://' }),
  METHODS_WILDCARD_WITH_CREDENTIALS: linted({ origin: 'https://a.com', credentials: true, methods: '*' }),
  ALLOWED_HEADERS_WILDCARD_WITH_CREDENTIALS: linted({
    origin: 'https://a.com',
    credentials: true,
    allowedHeaders: '*',
  }),
  EXPOSED_HEADERS_WILDCARD_WITH_CREDENTIALS: linted({
    origin: 'https://a.com',
    credentials: true,
    exposedHeaders: '*',
  }),
  METHOD_INVALID: linted({ methods: ['GET POST'] }),
  METHOD_FORBIDDEN: linted({ methods: ['TRACE'] }),
  HEADER_INVALID: linted({ allowedHeaders: ['X Api'] }),
  EXPOSED_FORBIDDEN: linted({ exposedHeaders: ['Set-Cookie'] }),
  MAX_AGE_INVALID: linted({ maxAge: 90000 }),
  STATUS_INVALID: linted({ optionsSuccessStatus: 302 }),
  OPTION_UNSET: fromFactory(() => corsicaNode({ methods: undefined })),
  OPTION_MISSPELLED: linted({ orign: 'https://a.com' }),
  SILENCE_UNKNOWN_CODE: linted({ silence: ['CORSICA_NO_SUCH_CODE'] }),
  CACHE_CONTROL_INVALID: fromFastify({ cacheControl: -1 }),
  DELEGATOR_WITH_OPTIONS: fromFastify({ delegator: () => ({}), origin: 'https://a.com' }),
  HOOK_INVALID: fromFastify({ hook: 'onSend' }),
  HOOK_PRE_SERIALIZATION: fromFastify({ hook: 'preSerialization' }),
  CORSICA_REFLECT_ANY_WITH_CREDENTIALS: linted({ origin: true, credentials: true }),
  CORSICA_NULL_ORIGIN: linted({ origin: 'https://a.com', allowNullOrigin: true }),
  CORSICA_REGEXP_UNANCHORED: linted({ origin: /example\.com$/ }),
  CORSICA_REGEXP_UNESCAPED_DOT: linted({ origin: /^https:\/\/app.example\.com$/ }),
  CORSICA_PATTERN_TOO_BROAD: linted({ origin: 'https://*.amazonaws.com' }),
  CORSICA_INSECURE_ORIGIN_WITH_CREDENTIALS: linted({ origin: 'http://app.example.com', credentials: true }),
  CORSICA_UNKNOWN_OPTION: linted({ whitelist: ['https://a.com'] }),
  CORSICA_WIDER_THAN_PLUGIN: fromFactory(() => corsicaKoa({ origin: true })),
  CORSICA_NOT_A_PREFLIGHT: fromFastify({ strictPreflight: false }),
  ORIGIN_ANY: linted({ origin: '*' }),
  ORIGIN_EMPTY_LIST: linted({ origin: [] }),
  METHOD_LOWER_CASE: linted({ methods: ['patch'] }),
  HEADER_FORBIDDEN: linted({ allowedHeaders: ['Cookie'] }),
  HEADER_RESPONSE_ONLY: linted({ allowedHeaders: ['Access-Control-Allow-Origin'] }),
  HEADER_WILDCARD_AUTHORIZATION: linted({ allowedHeaders: '*' }),
  EXPOSED_SAFELISTED: linted({ exposedHeaders: ['Content-Type'] }),
  MAX_AGE_ABOVE_CAP: linted({ maxAge: 86400 }),
};

describe('every problem code is produced by a configuration a user can write', () => {
  for (const code of Object.keys(PROBLEM_CODES) as ProblemCode[]) {
    it(code, async () => {
      const reported = await CASES[code]();
      assert.ok(reported.includes(code), `reported: ${reported.join(', ') || 'nothing'}`);
    });
  }

  it('hono/cors and Koa adapters refuse or warn through the same codes', async () => {
    assert.deepEqual(await fromFactory(() => corsicaHono({ origin: undefined }))(), ['OPTION_UNSET']);
    assert.ok((await linted({ origin: [] })()).includes('ORIGIN_EMPTY_LIST'));
  });
});
