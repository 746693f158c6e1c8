// @fastify/cors's own test files, run unmodified from node_modules against corsica/fastify: only
// their `require('..')` is redirected (test/helpers/fastify-cors-redirect.cjs). Every test must
// pass except the differences listed below, each one a corsica rule that never allows more than
// @fastify/cors would, and each listed with its reason in docs/fastify.md.
//
// test/vary.test.js is not run: it tests @fastify/cors's internal `../vary` module, not the plugin.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PEER_TESTS = join(dirname(require.resolve('@fastify/cors/package.json')), 'test');
const REDIRECT = fileURLToPath(new URL('../helpers/fastify-cors-redirect.cjs', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/fastify.md', import.meta.url));
const FILES = ['cors.test.js', 'hooks.test.js', 'preflight.test.js'] as const;

const SCHEMELESS_CONFIG =
  "an origin written without its scheme ('example.com', 'other.io', '') fails register with CorsConfigError (pitfall 4)";
const SCHEMELESS_DELEGATED =
  "the delegator returns origin 'example.com' without a scheme: the request answers 500 with CorsConfigError (pitfall 4)";
const MALFORMED_REQUEST_ORIGIN =
  'the request sends Origin: example.com (or one with a path), which no browser sends: only a serialized origin is matched, reflected or shown to an origin function (https://fetch.spec.whatwg.org/#origin-header)';
const HOOK_ERROR = 'an invalid hook fails register with CorsConfigError, not TypeError';

/** The tests corsica fails on purpose, by file and name, with the reason (also in docs/fastify.md). */
const KNOWN: Record<string, string> = {
  'cors.test.js › Should add cors headers (custom values)': SCHEMELESS_CONFIG,
  'cors.test.js › Should support dynamic config (callback)': SCHEMELESS_DELEGATED,
  'cors.test.js › Should support dynamic config (Promise)': SCHEMELESS_DELEGATED,
  'cors.test.js › Dynamic origin resolution (valid origin)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Dynamic origin resolution (not valid origin)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Dynamic origin resolution (errored)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Dynamic origin resolution (invalid result)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Dynamic origin resolution (valid origin - promises)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Dynamic origin resolution (not valid origin - promises)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Dynamic origin resolution (errored - promises)': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Server error if origin option is falsy but not false': SCHEMELESS_CONFIG,
  'cors.test.js › Allow only request from a specific origin': SCHEMELESS_CONFIG,
  'cors.test.js › Allow only request from multiple specific origin': SCHEMELESS_CONFIG,
  'cors.test.js › Allow only request from a specific origin using regex': MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Should not run origin function or add vary header when route disables CORS (callback origin)':
    MALFORMED_REQUEST_ORIGIN,
  'cors.test.js › Should not run origin function or add vary header when route disables CORS (promise origin)':
    MALFORMED_REQUEST_ORIGIN,
  'hooks.test.js › Should error on invalid hook option': HOOK_ERROR,
  'hooks.test.js › Should error on onSend hook option': HOOK_ERROR,
  'hooks.test.js › Should error on onSend hook option with delegator': HOOK_ERROR,
  'hooks.test.js › Should set hook preSerialization if hook option is set to preSerialization':
    "hook 'preSerialization' fails register: it never runs for a preflight (@fastify/cors answers every preflight 404) nor for a text payload",
  'hooks.test.js › Should support custom hook with dynamic config': SCHEMELESS_DELEGATED,
  'hooks.test.js › Should support custom hook with dynamic config (callback)': SCHEMELESS_DELEGATED,
  'hooks.test.js › Should support custom hook with dynamic config (Promise)': SCHEMELESS_DELEGATED,
  'preflight.test.js › Allow only request from with specific methods':
    "methods: ['GET', 'POST'] is written 'GET,POST', not 'GET, POST': the same list (RFC 9110 §5.6.1)",
  'preflight.test.js › Should reply to all preflight requests when strictPreflight is disabled':
    'an OPTIONS request without Origin and Access-Control-Request-Method is not a preflight (https://fetch.spec.whatwg.org/#http-requests): it goes to the routes (404); strictPreflight: false warns CORSICA_NOT_A_PREFLIGHT',
};

interface Result {
  readonly ok: boolean;
  readonly name: string;
}

interface Run {
  readonly results: readonly Result[];
  /** The `# tests N` count the reporter printed. */
  readonly total: number;
  readonly output: string;
}

/**
 * The child's environment: this process's, less NODE_TEST_CONTEXT (set when this file runs under
 * `node --test`, it would make the child report in the runner's binary format instead of TAP).
 */
function childEnv(log: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CORSICA_REDIRECT_LOG: log };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs one peer test file in a child process, with the redirect, and reads its TAP report. */
function runPeerFile(file: string, log: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--require', REDIRECT, '--test-reporter=tap', join(PEER_TESTS, file)],
      { env: childEnv(log), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const results: Result[] = [];
      // Top-level results only (subtests are indented): `ok 3 - name` / `not ok 4 - name # SKIP`.
      for (const line of output.split('\n')) {
        const m = /^(not )?ok \d+ - (.*?)(?: # (?:SKIP|TODO)\b.*)?$/.exec(line);
        if (m)
          results.push({ ok: m[1] === undefined, name: m[2]!.replace(/\\#/g, '#').replace(/\\\\/g, '\\') });
      }
      const total = Number(/^# tests (\d+)$/m.exec(output)?.[1] ?? Number.NaN);
      resolve({ results, total, output });
    });
  });
}

describe("@fastify/cors's own test suite against corsica/fastify", () => {
  it('passes every test but the listed differences, each documented in docs/fastify.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-fastify-compat-'));
    try {
      const runs = await Promise.all(FILES.map((file) => runPeerFile(file, join(dir, `${file}.log`))));
      const unexpected: string[] = [];
      const fixed: string[] = [];
      let passed = 0;
      let failed = 0;
      runs.forEach((run, i) => {
        const file = FILES[i]!;
        const redirected = readFileSync(join(dir, `${file}.log`), 'utf8');
        assert.match(redirected, new RegExp(file.replace('.', '\\.')), `${file} ran against corsica/fastify`);
        assert.ok(
          run.results.length > 0 && run.results.length === run.total,
          `${file} reported\n${run.output}`,
        );
        for (const { ok, name } of run.results) {
          const key = `${file} › ${name}`;
          if (ok) passed++;
          else failed++;
          if (!ok && KNOWN[key] === undefined) unexpected.push(key);
          if (ok && KNOWN[key] !== undefined) fixed.push(key);
        }
      });
      const seen = new Set(runs.flatMap((run, i) => run.results.map((r) => `${FILES[i]} › ${r.name}`)));
      const missing = Object.keys(KNOWN).filter((key) => !seen.has(key));
      assert.deepEqual(
        unexpected,
        [],
        `peer tests failing that are not known differences:\n${unexpected.join('\n')}`,
      );
      assert.deepEqual(
        fixed,
        [],
        `known differences that now pass (remove them here and in docs/fastify.md):\n${fixed.join('\n')}`,
      );
      assert.deepEqual(missing, [], 'known differences whose test no longer exists');
      assert.equal(failed, Object.keys(KNOWN).length);
      assert.ok(passed >= 35, `${passed} peer tests passed`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every known difference, with its reason, in docs/fastify.md', () => {
    // A row of the differences table: | `file` | test name | reason |
    const rows = readFileSync(DOCS, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const absent = Object.keys(KNOWN).filter((key) => {
      const [file, name] = key.split(' › ') as [string, string];
      return !rows.some(
        (cells) => cells[1] === `\`${file}\`` && cells[2] === name.trim() && (cells[3] ?? '') !== '',
      );
    });
    assert.deepEqual(absent, [], 'differences missing from the table in docs/fastify.md');
  });
});
