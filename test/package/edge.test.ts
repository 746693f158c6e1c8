// corsica/fetch and corsica/hono in an app bundled for an edge runtime (as wrangler bundles a
// Cloudflare Worker, from the built package): the Public Suffix List stays out of the bundle, a
// subdomain pattern then fails at start-up with a message that says the one line to add, and with
// that line (`import 'corsica/public-suffix-list'`) the bundle carries the list and refuses a
// public suffix as on Node. Each bundle is run as a file of its own with nothing beside it, as a
// Worker's module is; in Node, whose process.getBuiltinModule finds no list to require there (the
// bundle without Node built-ins runs in workerd itself in test/runtimes/fetch-runtimes.test.ts).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bundleForWorkers, carriesPublicSuffixList } from '../helpers/workers-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'corsica-edge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A worker whose module creates a withCors handler with `origin` and asks it one question. */
const worker = (origin: string, credentials = false, withList = false) => `
${withList ? "import 'corsica/public-suffix-list';" : ''}
import { withCors } from 'corsica/fetch';
let result;
try {
  const handler = withCors(() => new Response('ok'), { origin: ${JSON.stringify(origin)}, credentials: ${credentials}, silence: true });
  const res = await handler(new Request('https://api.example.com/', { headers: { origin: 'https://a.example.com' } }));
  result = 'answered ' + res.headers.get('access-control-allow-origin');
} catch (err) {
  result = (err.problems ? err.problems.map((p) => p.code).join() : err.message);
}
console.log(result);
`;

/** Bundles a worker and runs the bundle alone in a directory; what it printed. */
async function runBundled(source: string, name: string): Promise<{ carries: boolean; printed: string }> {
  const bundle = await bundleForWorkers(source);
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, bundle.code);
  const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: dir });
  return { carries: carriesPublicSuffixList(bundle), printed: stdout.trim() };
}

describe('corsica/fetch bundled for an edge runtime', () => {
  it('leaves the Public Suffix List out, and a list of origins works without it', async () => {
    const got = await runBundled(worker('https://a.example.com'), 'exact');
    assert.deepEqual(got, { carries: false, printed: 'answered https://a.example.com' });
  });

  it('corsica/hono leaves it out too', async () => {
    const bundle = await bundleForWorkers("export { cors } from 'corsica/hono';");
    assert.equal(carriesPublicSuffixList(bundle), false);
  });

  it('a subdomain pattern without the list fails at start-up, naming the line to add', async () => {
    const got = await runBundled(worker('https://*.example.com'), 'pattern');
    assert.equal(got.carries, false);
    assert.match(
      got.printed,
      /a subdomain pattern is checked against the Public Suffix List, which this runtime cannot load on demand .*Add `import 'corsica\/public-suffix-list';` to the app/,
    );
  });

  it("with `import 'corsica/public-suffix-list'` the bundle carries the list: patterns work, public suffixes are refused", async () => {
    const allowed = await runBundled(worker('https://*.example.com', false, true), 'with-list');
    assert.deepEqual(allowed, { carries: true, printed: 'answered https://a.example.com' });
    const refused = await runBundled(worker('https://*.github.io', true, true), 'suffix');
    assert.deepEqual(refused, { carries: true, printed: 'ORIGIN_PUBLIC_SUFFIX' });
  });
});
