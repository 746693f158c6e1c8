// The README and docs/ are read by following their links: every relative link names a file of
// the repository, every `#anchor` a heading of the page it points to (as GitHub and npm make
// anchors from headings), and the README's contents list every one of its sections. The packed
// package's own link check (test/package/tarball.test.ts) sees only files, never anchors.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

/** The text outside fenced code blocks: a link or a heading inside one is code. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every link target of a page's prose, images included. */
const linksOf = (text: string) => [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

describe('the links of the README and docs/', () => {
  it('the anchor rule gives the anchors GitHub gives', () => {
    const anchors = anchorsOf(
      '# x\n## Debug a CORS error: `corsica check` and `corsica explain`\n### node:http\n## A\n## A\n```\n## not a heading\n```\n',
    );
    assert.deepEqual(
      [...anchors],
      ['x', 'debug-a-cors-error-corsica-check-and-corsica-explain', 'nodehttp', 'a', 'a-1'],
    );
  });

  it('every relative link names a file of the repository, and every anchor a heading of its page', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const target of linksOf(read(page))) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path === '' ? page : relative(ROOT, normalize(join(ROOT, dirname(page), path)));
        // A folder is no page: npm shows the package's files, never a listing.
        if (!existsSync(join(ROOT, file)) || !statSync(join(ROOT, file)).isFile()) {
          broken.push(`${page}: ${target} (no file ${file})`);
          continue;
        }
        if (anchor !== undefined && !anchorsOf(read(file)).has(anchor))
          broken.push(`${page}: ${target} (no heading for #${anchor} in ${file})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it("the README's contents link every section of the README", () => {
    const readme = read('README.md');
    const contents = readme.slice(
      readme.indexOf('## Contents'),
      readme.indexOf('\n## ', readme.indexOf('## Contents') + 1),
    );
    const linked = new Set(
      linksOf(contents)
        .filter((t) => t.startsWith('#'))
        .map((t) => t.slice(1)),
    );
    const sections = [...prose(readme).matchAll(/^## (.+)$/gm)]
      .map((m) => [...anchorsOf(`## ${m[1]}`)][0]!)
      .filter((a) => a !== 'contents');
    assert.ok(sections.length >= 10, `${sections.length} sections`);
    assert.deepEqual(
      sections.filter((s) => !linked.has(s)),
      [],
      'sections the contents do not list',
    );
  });

  it('every page of docs/ is linked from the README', () => {
    const linked = new Set(linksOf(read('README.md')).map((t) => t.split('#')[0]));
    assert.deepEqual(
      PAGES.filter((p) => p !== 'README.md' && !linked.has(p)),
      [],
    );
  });
});
