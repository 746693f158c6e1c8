// What loading the built package costs (dist/, which `npm test` builds first): the middleware reads
// its own two files and never the Public Suffix List, which loads once, on the first subdomain
// pattern, in CommonJS and in ES modules alike. Each case runs in a fresh Node process, as a
// serverless cold start does, and reports the files Node read from dist/.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `body` in a fresh process (CommonJS unless `esm`) and returns what it printed, parsed. */
async function fresh(body: string, esm = false): Promise<unknown> {
  const prelude = esm
    ? "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
    : '';
  // Files of dist/ that Node read: everything require() loaded, including what an ES module
  // loaded through createRequire (the list always is).
  const loaded =
    "Object.keys(require.cache).filter((f) => f.includes('/dist/')).map((f) => f.slice(f.lastIndexOf('/') + 1))";
  const script = `${prelude}\nconst loaded = () => ${loaded};\n${body}`;
  const args = esm ? ['--input-type=module', '-e', script] : ['-e', script];
  // From the repository's root, 'corsica' resolves to this package itself (its exports map).
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT });
  return JSON.parse(stdout);
}

describe('loading corsica/node', () => {
  it("require('corsica/node') reads its two files and no Public Suffix List", async () => {
    const files = await fresh("require('corsica/node'); console.log(JSON.stringify(loaded()));");
    assert.deepEqual(files, ['node.cjs', 'policy-shared.cjs']);
  });

  it('a middleware without a subdomain pattern never loads the list', async () => {
    const files = await fresh(`
const cors = require('corsica/node');
cors({ origin: ['https://app.example.com', 'http://localhost:*', /^https:\\/\\/a\\.example\\.com$/], credentials: true });
console.log(JSON.stringify(loaded()));`);
    assert.ok(!(files as string[]).includes('public-suffix-list.cjs'), String(files));
  });

  it('the first subdomain pattern loads the list once, and it refuses a public suffix with credentials', async () => {
    const got = await fresh(`
const cors = require('corsica/node');
const { CorsConfigError } = require('corsica');
cors({ origin: 'https://*.example.com', silence: true });
const once = loaded().filter((f) => f === 'public-suffix-list.cjs').length;
let refused = '';
try { cors({ origin: 'https://*.github.io', credentials: true }); } catch (err) { refused = err instanceof CorsConfigError ? err.problems[0].code : String(err); }
console.log(JSON.stringify({ once, refused }));`);
    assert.deepEqual(got, { once: 1, refused: 'ORIGIN_PUBLIC_SUFFIX' });
  });

  it('the ES module build loads the list the same way, on the first pattern only', async () => {
    const got = await fresh(
      `
const { default: cors } = await import('corsica/node');
const { CorsConfigError } = await import('corsica');
const before = loaded().includes('public-suffix-list.cjs');
let refused = '';
try { cors({ origin: 'https://*.vercel.app', credentials: true }); } catch (err) { refused = err instanceof CorsConfigError ? err.problems[0].code : String(err); }
console.log(JSON.stringify({ before, after: loaded().includes('public-suffix-list.cjs'), refused }));`,
      true,
    );
    assert.deepEqual(got, { before: false, after: true, refused: 'ORIGIN_PUBLIC_SUFFIX' });
  });

  it("CorsConfigError is one class for 'corsica' and every adapter (one shared file)", async () => {
    const got = await fresh(`
const { CorsConfigError } = require('corsica');
console.log(JSON.stringify(['corsica/node', 'corsica/fastify', 'corsica/koa', 'corsica/hono', 'corsica/fetch'].map((e) => require(e).CorsConfigError === CorsConfigError)));`);
    assert.deepEqual(got, [true, true, true, true, true]);
  });
});
