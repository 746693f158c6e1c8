// The two packages' third-party code, from esbuild's own record of each build (dist/.meta/, which
// `npm test` builds first): corsica ships the licence of every package it bundles and names no
// other; corsica-proxy bundles none, so that its network stack is made of real dependencies that
// `npm update` and `npm audit` see; and corsica carries none of the proxy's code.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain ES module of the build, without declarations
import { bundledPackages, licenceText, packageOf } from '../../scripts/third-party-notices.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const PROXY = join(ROOT, 'packages/corsica-proxy');

type Bundled = Map<string, { dir: string; outputs: Set<string> }>;

const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };

/** Every input of every build recorded under `dist`/.meta. */
function inputs(dist: string): string[] {
  const dir = join(dist, '.meta');
  return readdirSync(dir).flatMap((file) => {
    const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown> }>;
    };
    return Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
  });
}

describe('corsica: dist/THIRD-PARTY-NOTICES', () => {
  const notices = readFileSync(join(ROOT, 'dist/THIRD-PARTY-NOTICES'), 'utf8');
  const bundled = bundledPackages(ROOT) as Bundled;

  it('carries the licence text of every package bundled into dist/, as the package ships it', () => {
    assert.ok(bundled.size > 0, 'the build recorded its inputs');
    const missing = [...bundled].filter(([, { dir }]) => !notices.includes(licenceText(join(ROOT, dir))));
    assert.deepEqual(
      missing.map(([name]) => name),
      [],
    );
  });

  it("names the packages inlined in a bundled package's own build (the OpenAPI reader's YAML parser)", () => {
    // @readme/openapi-parser publishes a bundle holding json-schema-ref-parser and js-yaml: esbuild
    // records only the reader's file, its source map names the two.
    for (const name of ['@apidevtools/json-schema-ref-parser', 'js-yaml']) {
      assert.ok(bundled.has(name), `${name} is counted as bundled`);
      assert.match(notices, new RegExp(`^${name.replace(/[/.]/g, '\\$&')} \\S+ \\(MIT\\)$`, 'm'));
    }
  });

  it('names no package that is not bundled', () => {
    const named = [...notices.matchAll(/^={80}\n(\S+) \S+ \([^)]*\)\nbundled in: /gm)].map((m) => m[1]);
    assert.deepEqual(named.sort(), [...bundled.keys()].sort());
  });

  it('what is bundled: the command line, the Public Suffix List and, apart, the OpenAPI reader', () => {
    const base = ['commander', 'picocolors', 'tldts', 'tldts-core'];
    for (const name of base) assert.ok(bundled.has(name), `${name} is bundled`);
    // `audit --openapi` alone loads @readme/openapi-parser: it and everything only it brings sit in
    // its own chunk, which no middleware entry and no other command imports.
    const reader = bundled.get('@readme/openapi-parser');
    assert.ok(reader !== undefined, 'the OpenAPI reader is bundled');
    const chunks = [...reader.outputs];
    const elsewhere = [...bundled]
      .filter(([name]) => !base.includes(name))
      .filter(([, { outputs }]) => [...outputs].some((o) => !chunks.includes(o)))
      .map(([name, { outputs }]) => `${name} in ${[...outputs].join(', ')}`);
    assert.deepEqual(elsewhere, []);
    for (const chunk of chunks) {
      const importers = readdirSync(join(ROOT, 'dist'))
        .filter((f) => f.endsWith('.js') && !chunks.includes(`dist/${f}`))
        .filter((f) => readFileSync(join(ROOT, 'dist', f), 'utf8').includes(chunk.replace('dist/', '')));
      for (const f of importers)
        assert.match(
          readFileSync(join(ROOT, 'dist', f), 'utf8'),
          new RegExp(`import\\(\\s*["']\\./${chunk.replace('dist/', '').replace(/\./g, '\\.')}["']\\s*\\)`),
          `${f} loads ${chunk} only on demand`,
        );
    }
  });

  it('the Public Suffix List is in one file, which the middleware and the command line both load', () => {
    for (const name of ['tldts', 'tldts-core'])
      assert.deepEqual([...bundled.get(name)!.outputs], ['dist/public-suffix-list.cjs'], name);
  });

  it("corsica's files carry no code of the proxy and none of its network stack", () => {
    const proxyDependencies = Object.keys(manifest(PROXY).dependencies ?? {});
    const found = inputs(join(ROOT, 'dist')).filter(
      (input) =>
        input.startsWith('src/proxy/') ||
        proxyDependencies
          .filter((d) => !['commander', 'picocolors', 'tldts'].includes(d))
          .includes(packageOf(input)?.name),
    );
    assert.deepEqual([...new Set(found)], []);
  });
});

describe('corsica-proxy: no bundled third-party code', () => {
  const dist = join(PROXY, 'dist');

  it('esbuild put no file of any package into its dist/', () => {
    const bundled = inputs(dist).filter((input) => packageOf(input) !== null);
    assert.deepEqual([...new Set(bundled)], []);
  });

  it('its files import only Node built-ins and its declared dependencies', () => {
    const declared = Object.keys(manifest(PROXY).dependencies ?? {});
    const undeclared = new Set<string>();
    for (const file of readdirSync(dist).filter((f) => /\.(c?js)$/.test(f))) {
      const text = readFileSync(join(dist, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from |require\()"([^".][^"]*)"/g)) {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (!builtinModules.includes(name.replace(/^node:/, '')) && !declared.includes(name))
          undeclared.add(`${file}: ${spec}`);
      }
    }
    assert.deepEqual([...undeclared], []);
  });

  it('shares one version of each package it has in common with corsica (same ranges as the root)', () => {
    const root = manifest(ROOT).devDependencies ?? {};
    const proxy = manifest(PROXY).dependencies ?? {};
    const differ = Object.keys(proxy).filter((name) => name in root && root[name] !== proxy[name]);
    assert.deepEqual(differ, []);
  });
});

describe('the Public Suffix List (MPL-2.0): its notice travels with the table derived from it', () => {
  for (const dist of [join(ROOT, 'dist'), join(PROXY, 'dist')]) {
    it(`${dist.slice(ROOT.length + 1)}/public-suffix-list.cjs`, () => {
      const text = readFileSync(join(dist, 'public-suffix-list.cjs'), 'utf8');
      assert.ok(text.includes('accesspoint.s3-global.amazonaws.com mrap'), 'the file holds the table');
      assert.match(
        text,
        /derived from the Public Suffix List .* Mozilla Public License, v\. 2\.0\..* https:\/\/mozilla\.org\/MPL\/2\.0\//,
      );
    });
  }
});

describe('bundledPackages: packages a bundled file inlines', () => {
  /** A checkout whose build bundled reader's file, which inlines dep and dep's own copy of inner. */
  function checkout(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'corsica-notices-'));
    const meta = {
      outputs: { 'dist/chunk.js': { inputs: { 'node_modules/reader/dist/index.js': { bytesInOutput: 9 } } } },
    };
    const all: Record<string, string> = {
      'dist/.meta/cli-esm.json': JSON.stringify(meta),
      'node_modules/reader/dist/index.js': 'bundled;',
      'node_modules/reader/dist/index.js.map': JSON.stringify({
        version: 3,
        sources: [
          '../src/own.ts',
          '../../../node_modules/dep/lib/a.js',
          '../../../node_modules/dep/node_modules/inner/src/b.ts',
        ],
        mappings: '',
      }),
      ...files,
    };
    for (const [file, text] of Object.entries(all)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    return root;
  }

  it('finds each package the source map names, where Node would find it from the bundling package', () => {
    const root = checkout({
      'node_modules/dep/package.json': '{"name":"dep"}',
      'node_modules/dep/node_modules/inner/package.json': '{"name":"inner"}',
    });
    try {
      const found = bundledPackages(root) as Bundled;
      assert.deepEqual(
        [...found].map(([name, { dir, outputs }]) => [name, dir, [...outputs]]),
        [
          ['reader', 'node_modules/reader', ['dist/chunk.js']],
          ['dep', 'node_modules/dep', ['dist/chunk.js']],
          ['inner', 'node_modules/dep/node_modules/inner', ['dist/chunk.js']],
        ],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses to go on when an inlined package is not installed: its licence would be left out', () => {
    const root = checkout({ 'node_modules/dep/package.json': '{"name":"dep"}' });
    try {
      assert.throws(() => bundledPackages(root), {
        message:
          'node_modules/reader/dist/index.js inlines inner (its source map names it), which is not installed: its licence cannot be bundled',
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
