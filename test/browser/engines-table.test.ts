// The engines' facts are one table (src/browser/engines.ts) that the model reads: the browser
// releases the README and docs/ name are the table's, the "Where browsers differ" section of
// docs/browsers.md names every fact on which the engines differ, the preflight check orders are well formed, and an engine the table does not
// have is a clear error.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { ENGINE_FACTS, ENGINES, type EngineFacts, measuredOn } from '../../src/browser/engines.js';
import { classifyRequest, corsCheck, parseMaxAge } from '../../src/browser/index.js';
import { releaseMismatch } from '../helpers/releases.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The README and every page of docs/, by path: where a reader meets a browser release. */
const DOCS = ['README.md', ...readdirSync(new URL('../../docs/', import.meta.url)).map((f) => `docs/${f}`)]
  .filter((f) => f.endsWith('.md'))
  .map((path) => ({ path, text: read(path) }));

/** The "Where browsers differ" section of docs/browsers.md. */
function differSection(): string {
  const page = read('docs/browsers.md');
  const start = page.indexOf('## Where browsers differ');
  assert.ok(start !== -1, 'docs/browsers.md has a "Where browsers differ" section');
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

const BROWSERS = new Map(
  ENGINES.flatMap((e) => {
    const m = ENGINE_FACTS[e].measuredOn;
    return m === null ? [] : [[m.browser, `${m.browser} ${m.release}`] as const];
  }),
);

describe('the engines table (src/browser/engines.ts)', () => {
  it("every browser release the README and docs/ name is the table's (Chromium 156, Firefox 153 ESR, WebKitGTK 2.50)", () => {
    const named = DOCS.flatMap(({ path, text }) =>
      [...text.replace(/\s+/g, ' ').matchAll(/\b(Chromium|Firefox|WebKitGTK) (\d+(?:\.\d+)*)( ESR)?/g)].map(
        (m) => ({ path, release: m[0] }),
      ),
    );
    assert.ok(named.filter((n) => n.path === 'README.md').length >= 3, 'the README names the releases');
    assert.ok(named.filter((n) => n.path === 'docs/browsers.md').length >= 6, 'docs/browsers.md names them');
    const wrong = named
      .filter(({ release }) => BROWSERS.get(release.split(' ')[0]!) !== release)
      .map(({ path, release }) => `${path}: ${release}`);
    assert.deepEqual(wrong, [], 'releases that are not the ones src/browser/engines.ts names');
  });

  it('the columns of "Where browsers differ" are the engines, with the releases of the table', () => {
    const header = differSection()
      .split('\n')
      .find((line) => line.startsWith('| case |'));
    const columns = header
      ?.split('|')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    assert.deepEqual(columns, [
      'case',
      measuredOn('chromium'),
      measuredOn('firefox'),
      measuredOn('webkit'),
      'the standard',
      'facts',
    ]);
  });

  it('"Where browsers differ" names every fact on which the engines differ, and no fact the table lacks', () => {
    const section = differSection();
    const fields = Object.keys(ENGINE_FACTS.chromium) as (keyof EngineFacts)[];
    const differing = fields.filter(
      (f) =>
        f !== 'name' &&
        f !== 'measuredOn' &&
        ENGINES.some((e) => !isDeepStrictEqual(ENGINE_FACTS[e][f], ENGINE_FACTS.chromium[f])),
    );
    assert.ok(differing.length >= 15, `${differing.length} facts differ`);
    assert.deepEqual(
      differing.filter((f) => !section.includes(`\`${f}\``)),
      [],
      'facts of the table docs/browsers.md does not name',
    );
    const factColumn = section
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| case'))
      .flatMap((line) => [...(line.split('|').at(-2) ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]!));
    assert.ok(factColumn.length > 0);
    assert.deepEqual(
      factColumn.filter((f) => !fields.includes(f as keyof EngineFacts)),
      [],
      'facts docs/browsers.md names that the table does not have',
    );
  });

  it('each engine runs every check of a preflight answer once, and parses each list before comparing with it', () => {
    for (const engine of ENGINES) {
      const steps = ENGINE_FACTS[engine].preflightChecks;
      assert.deepEqual(
        [...steps].sort(),
        ['allow-headers', 'allow-methods', 'cors-check', 'headers', 'method', 'status'],
        engine,
      );
      assert.ok(steps.indexOf('allow-methods') < steps.indexOf('method'), engine);
      assert.ok(steps.indexOf('allow-headers') < steps.indexOf('headers'), engine);
    }
  });

  it('an engine the table does not have is a TypeError that lists the ones it has, never a model of something else', () => {
    const message =
      /^Unknown engine 'safari': the model answers for 'chromium', 'firefox', 'webkit', 'standard'\.$/;
    const request = { url: 'http://localhost:9000/r', origin: 'http://127.0.0.1:8000', engine: 'safari' };
    assert.throws(() => classifyRequest(request as never), { name: 'TypeError', message });
    assert.throws(() => corsCheck({ status: 200, headers: [] }, 'null', false, 'safari' as never), {
      name: 'TypeError',
      message,
    });
    assert.throws(() => parseMaxAge('5', 'constructor' as never), {
      message: /^Unknown engine 'constructor'/,
    });
  });

  it("the differential tests' release check: the installed version must be the table's release", () => {
    assert.equal(releaseMismatch('chromium', '156.0.8078.114'), null);
    assert.equal(releaseMismatch('firefox', '153.8.0'), null);
    assert.equal(releaseMismatch('webkit', 'WebKitGTK 2.50.6'), null);
    assert.equal(
      releaseMismatch('chromium', '157.0.1.2'),
      'Chromium 157.0.1.2 is installed, but src/browser/engines.ts says its chromium facts were measured on Chromium 156: run the differential tests against it, correct the facts that changed, then set the release in engines.ts, the README and docs/.',
    );
    assert.match(releaseMismatch('webkit', 'WebKitGTK 2.5.1') ?? '', /^WebKitGTK 2\.5\.1 is installed/);
    assert.match(releaseMismatch('firefox', '1530.0') ?? '', /measured on Firefox 153 ESR/);
  });
});
