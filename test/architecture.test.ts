// The import rules of docs/architecture.md, enforced on the real import graph of
// src/: each folder imports only the folders below it, the server side (policy) and the client
// side (browser) never import each other, adapters never import one another, and nothing but the
// command line imports cli/. And no function or file is so long that a reader loses its thread.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** The folders of src/ and what each may import (besides itself). */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  syntax: [],
  policy: ['syntax'],
  browser: ['syntax'],
  advice: ['browser', 'syntax'],
  'adapters/core': ['policy', 'syntax'],
  'adapters/node': ['adapters/core', 'policy', 'syntax'],
  'adapters/fastify': ['adapters/core', 'policy', 'syntax'],
  'adapters/koa': ['adapters/core', 'policy', 'syntax'],
  'adapters/hono': ['adapters/core', 'policy', 'syntax'],
  'adapters/fetch': ['adapters/core', 'policy', 'syntax'],
  proxy: ['policy', 'syntax'],
  check: ['advice', 'browser', 'syntax'],
  explain: ['advice', 'check', 'browser', 'syntax'],
  audit: ['advice', 'check', 'browser', 'syntax'],
  playground: ['audit', 'check', 'advice', 'browser', 'adapters/node', 'policy', 'syntax'],
  demo: ['adapters/node', 'policy'],
  extension: ['check', 'advice', 'browser', 'syntax'],
  cli: ['audit', 'explain', 'check', 'advice', 'browser', 'playground', 'proxy', 'policy', 'syntax'],
  entries: ['advice', 'browser'],
  '.': ['policy'],
};

/** The files under `dir` whose name `keep` accepts (the TypeScript sources by default). */
function sourceFiles(dir: string, keep = (name: string) => name.endsWith('.ts')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, keep);
    return keep(name) ? [path] : [];
  });
}

/** The folder (a key of MAY_IMPORT) a file of src/ belongs to. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts.length === 1) return '.';
  return parts[0] === 'adapters' ? `adapters/${parts[1]}` : parts[0]!;
}

/** Every relative import of a file, resolved to the file it names. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'(\.{1,2}\/[^']+)'/g))
    found.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  for (const m of text.matchAll(/import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g))
    found.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  return found;
}

describe('architecture: the import rules of docs/architecture.md hold on src/', () => {
  const files = sourceFiles(SRC);

  it('every folder of src/ has rules', () => {
    for (const file of files) assert.ok(folderOf(file) in MAY_IMPORT, `no rule for ${relative(SRC, file)}`);
  });

  it('each file imports only its own folder and the folders its folder may use', () => {
    const broken: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to !== from && !MAY_IMPORT[from]!.includes(to))
          broken.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${from} may not use ${to})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('the rules themselves keep the two halves apart and cli/ on top', () => {
    assert.ok(!MAY_IMPORT.policy!.includes('browser') && !MAY_IMPORT.browser!.includes('policy'));
    for (const [folder, allowed] of Object.entries(MAY_IMPORT))
      if (folder !== 'cli') assert.ok(!allowed.includes('cli'), `${folder} may not import cli/`);
  });

  it('docs/architecture.md describes every folder', () => {
    const section = readFileSync(new URL('../docs/architecture.md', import.meta.url), 'utf8');
    for (const folder of Object.keys(MAY_IMPORT))
      if (folder !== '.' && !folder.startsWith('adapters/'))
        assert.match(section, new RegExp(`\`src/${folder}/\``), folder);
    assert.match(section, /`src\/adapters\/`/);
  });
});

/** Lines of every function in src/ over `limit`, as "file:line name (n lines)". */
function longFunctions(files: readonly string[], limit: number): string[] {
  const long: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
        const last = source.getLineAndCharacterOfPosition(node.end).line;
        const name = node.name?.getText(source) ?? '(anonymous)';
        if (last - first + 1 > limit)
          long.push(`${relative(SRC, file)}:${first + 1} ${name} (${last - first + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return long;
}

describe('architecture: readable functions', () => {
  it('no function in src/ is longer than 100 lines (tables are objects, not functions)', () => {
    assert.deepEqual(longFunctions(sourceFiles(SRC), 100), []);
  });

  it('the measure sees a long function (it is not vacuous)', () => {
    const file = fileURLToPath(new URL('./architecture.test.ts', import.meta.url));
    assert.match(longFunctions([file], 5).join('\n'), /longFunctions \(\d+ lines\)/);
  });
});

/** Every file of `files` over `limit` lines, as "file (n lines)". */
function longFiles(files: readonly string[], limit: number): string[] {
  return files.flatMap((file) => {
    const lines = readFileSync(file, 'utf8').split('\n').length - 1;
    return lines > limit ? [`${relative(SRC, file)} (${lines} lines)`] : [];
  });
}

describe('architecture: files a reader can hold', () => {
  it('no file in src/ is over 500 lines (split along a seam: tables apart from logic)', () => {
    assert.deepEqual(
      longFiles(
        sourceFiles(SRC, () => true),
        500,
      ),
      [],
    );
  });

  it('the measure sees a long file (it is not vacuous)', () => {
    const file = fileURLToPath(new URL('./architecture.test.ts', import.meta.url));
    assert.match(longFiles([file], 50).join('\n'), /architecture\.test\.ts \(\d+ lines\)/);
  });
});
