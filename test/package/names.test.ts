// The built entries are minified (tsup.config.ts), which renames functions and classes. What a user
// sees must keep its name: the error's class in a log and a crash, the middleware's name in
// Express's router stack and in Koa's and Hono's listings. And an uncaught CorsConfigError, which
// Node prints with the source line that threw, prints a line of bounded length, not the bundle.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs `body` as an ES module in a fresh process from the repository's root and parses what it printed. */
async function fresh(body: string): Promise<unknown> {
  const prelude =
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `${prelude}\n${body}`], {
    cwd: ROOT,
  });
  return JSON.parse(stdout);
}

describe('names in the built entries', () => {
  it("CorsConfigError keeps its name in both module formats, in util.inspect and on the error's constructor", async () => {
    const got = await fresh(`
import { inspect } from 'node:util';
const names = [];
for (const entry of ['corsica', 'corsica/node', 'corsica/koa', 'corsica/hono', 'corsica/fetch', 'corsica/fastify']) {
  for (const { CorsConfigError } of [require(entry), await import(entry)]) names.push(CorsConfigError.name);
}
let thrown;
try { require('corsica/node')({ origin: '*', credentials: true }); } catch (err) { thrown = err; }
console.log(JSON.stringify({
  names: [...new Set(names)],
  constructor: thrown.constructor.name,
  inspect: inspect(thrown).split('\\n')[0].slice(0, 40),
}));`);
    assert.deepEqual(got, {
      names: ['CorsConfigError'],
      constructor: 'CorsConfigError',
      inspect: 'CorsConfigError: Invalid CORS configurat',
    });
  });

  it("the middleware is named corsica in Express's router stack, in Koa and in Hono", async () => {
    const got = await fresh(`
const express = require('express');
const cors = require('corsica/node');
const app = express();
app.use(cors({ origin: 'https://app.example.com' }));
app.use(cors({ origin: (origin, callback) => callback(null, true) }));
app.use(cors((req, callback) => callback(null, { origin: 'https://app.example.com' })));
const { default: koaCors } = await import('corsica/koa');
const { cors: honoCors } = await import('corsica/hono');
console.log(JSON.stringify({
  express: app.router.stack.map((layer) => layer.name).slice(-3),
  koa: koaCors({ origin: 'https://app.example.com' }).name,
  hono: honoCors({ origin: 'https://app.example.com' }).name,
  exports: [cors.name, (await import('corsica/fetch')).withCors.name, honoCors.name, koaCors.name],
}));`);
    assert.deepEqual(got, {
      express: ['corsica', 'corsicaAsync', 'corsicaDelegated'],
      koa: 'corsica',
      hono: 'corsica',
      exports: ['cors', 'withCors', 'cors', 'cors'],
    });
  });

  it('an uncaught CorsConfigError prints its message and a short source line, not the bundle', async () => {
    const child = await run(
      process.execPath,
      ['-e', "require('corsica/node')({ origin: '*', credentials: true })"],
      {
        cwd: ROOT,
      },
    ).catch((err: { stderr: string }) => err);
    const stderr = (child as { stderr: string }).stderr;
    assert.match(stderr, /CorsConfigError: Invalid CORS configuration \(1 error\)/);
    const longest = Math.max(...stderr.split('\n').map((line) => line.length));
    assert.ok(longest <= 400, `the longest line printed is ${longest} characters`);
  });
});
