// What loading the built package costs (dist/, which `npm test` builds first): the middleware reads
// its own file and never the Public Suffix List, which loads once, on the first subdomain
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
  it("require('corsica/node') reads its one file and no Public Suffix List", async () => {
    const files = await fresh("require('corsica/node'); console.log(JSON.stringify(loaded()));");
    assert.deepEqual(files, ['node.cjs']);
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

  it("an error from any entry, CommonJS or ES module, is instanceof every entry's CorsConfigError", async () => {
    // Each entry bundles its own copy of the class; a global symbol marks their errors.
    const got = await fresh(
      `
const entries = ['corsica', 'corsica/node', 'corsica/fastify', 'corsica/koa', 'corsica/hono', 'corsica/fetch'];
const classes = [];
for (const e of entries) classes.push(require(e).CorsConfigError, (await import(e)).CorsConfigError);
const { createPolicy } = require('corsica');
let thrown;
try { createPolicy({ origin: '*', credentials: true }); } catch (err) { thrown = err; }
const { default: cors } = await import('corsica/node');
let thrownByEsm;
try { cors({ origin: 'example.com' }); } catch (err) { thrownByEsm = err; }
console.log(JSON.stringify({
  classes: classes.length,
  distinct: new Set(classes).size > 1,
  cjs: classes.every((C) => thrown instanceof C),
  esm: classes.every((C) => thrownByEsm instanceof C),
  codes: [thrown.problems[0].code, thrownByEsm.problems[0].code],
  plain: classes.some((C) =>
    [new Error('x'), { problems: [] }, null, { [Symbol.for('corsica.CorsConfigError')]: true, problems: [] }, Object.assign(new Error('x'), { [Symbol.for('corsica.CorsConfigError')]: true })]
      .some((other) => other instanceof C)),
}));`,
      true,
    );
    assert.deepEqual(got, {
      classes: 12,
      distinct: true,
      cjs: true,
      esm: true,
      codes: ['ORIGIN_WILDCARD_WITH_CREDENTIALS', 'ORIGIN_MISSING_SCHEME'],
      plain: false,
    });
  });

  it('loads and warns in a process whose globalThis takes no new property, or whose registry slot holds something else', async () => {
    const frozen = await fresh(`
const warnings = [];
process.on('warning', (w) => warnings.push(w.code));
// As SES's harden or Object.freeze leave it (freezing breaks node -e itself, which writes a global).
Object.preventExtensions(globalThis);
const cors = require('corsica/node');
cors({ origin: 'https://app.example.com', allowNullOrigin: true });
cors({ origin: 'https://app.example.com', allowNullOrigin: true });
setImmediate(() => console.log(JSON.stringify(warnings)));`);
    assert.deepEqual(frozen, ['CORSICA_NULL_ORIGIN']);
    const taken = await fresh(`
const warnings = [];
process.on('warning', (w) => warnings.push(w.code));
globalThis[Symbol.for('corsica.emittedWarnings')] = new Map();
const cors = require('corsica/node');
cors({ origin: 'https://app.example.com', allowNullOrigin: true });
cors({ origin: 'https://app.example.com', allowNullOrigin: true });
setImmediate(() => console.log(JSON.stringify(warnings)));`);
    assert.deepEqual(taken, ['CORSICA_NULL_ORIGIN']);
  });

  it('a warning is emitted once per process, whichever entry and module format gives the options', async () => {
    const got = await fresh(
      `
const warnings = [];
process.on('warning', (w) => warnings.push(w.code));
require('corsica/node')({ origin: 'https://app.example.com', allowNullOrigin: true });
(await import('corsica/koa')).default({ origin: 'https://app.example.com', allowNullOrigin: true });
require('corsica').createPolicy({ origin: 'https://app.example.com', allowNullOrigin: true });
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify(warnings));`,
      true,
    );
    assert.deepEqual(got, ['CORSICA_NULL_ORIGIN']);
  });
});
