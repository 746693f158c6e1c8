// The public surface of both packages is what the README's "API reference" lists, entry point by
// entry point: every name an entry exports (its published declarations and, at run time, what
// require() and import() give) is named in that entry's paragraph, and the paragraphs are exactly
// the entry points of package.json. Anything else is internal, and corsica's own parts import it
// from its module. Reads the build (dist/, which `npm test` builds first).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { import?: { types: string }; types?: string }>;
  };

/** Every entry point of both packages, with the declarations file it publishes. */
const ENTRIES = [ROOT, join(ROOT, 'packages/corsica-proxy')].flatMap((dir) => {
  const { name, exports } = manifest(dir);
  return Object.entries(exports)
    .filter(([path]) => path !== './package.json')
    .map(([path, target]) => ({
      entry: path === '.' ? name : `${name}/${path.slice(2)}`,
      types: join(dir, target.import?.types ?? target.types!),
    }));
});

/** The README's API reference: each entry's paragraph, by the entry it starts with. */
function referenceParagraphs(): Map<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## API reference');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const paragraphs = new Map<string, string>();
  for (const item of section.split(/\n- (?=\*\*`)/).slice(1)) {
    const entry = /^\*\*`([^`]+)`\*\*/.exec(item)?.[1];
    if (entry) paragraphs.set(entry, item);
  }
  return paragraphs;
}

/** Names an entry publishes in its declarations. */
function declaredNames(file: string): string[] {
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  return module === undefined ? [] : checker.getExportsOfModule(module).map((s) => s.getName());
}

/** Names an entry gives at run time, from CommonJS and from ES modules. */
async function runtimeNames(entry: string): Promise<string[]> {
  return [...Object.keys(require(entry) as object), ...Object.keys((await import(entry)) as object)];
}

describe("the public surface is the README's API reference", () => {
  const paragraphs = referenceParagraphs();

  it('has a paragraph for each entry point of both packages, and for no other', () => {
    assert.deepEqual([...paragraphs.keys()].sort(), ENTRIES.map((e) => e.entry).sort());
  });

  for (const { entry, types } of ENTRIES) {
    it(`${entry}: every name it exports is in its paragraph`, async () => {
      const names = new Set([...declaredNames(types), ...(await runtimeNames(entry))]);
      names.delete('default');
      const paragraph = paragraphs.get(entry) ?? '';
      const missing = [...names].filter((name) => !new RegExp(`\`${name}[\`(]`).test(paragraph));
      assert.deepEqual(missing, [], `${entry} exports what its paragraph does not name`);
    });
  }

  it("corsica/browser exports none of the model's helpers (they are internal)", async () => {
    const names = await runtimeNames('corsica/browser');
    for (const helper of ['getHeader', 'ENGINES', 'buildPreflight', 'encodeHint'])
      assert.ok(!names.includes(helper), helper);
  });
});
