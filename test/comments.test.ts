// What a comment may point at. A reader of the published package cannot open this project's
// issues, so a comment says the reason instead of "issue N". And a citation of the Fetch standard is
// a link a reader can follow (https://fetch.spec.whatwg.org/#cors-check, step 3), not a bare
// `#cors-check` or a section number that moves, and it names an anchor the standard defines
// (test/fixtures/fetch-anchors.txt, taken from the standard's source, so no network is needed).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FOLDERS = ['src', 'test', 'bench', 'scripts'];
const TEXT = /\.(?:ts|mts|cts|js|mjs|cjs|md)$/;
const FETCH = 'https://fetch.spec.whatwg.org/';

const ANCHORS = new Set(
  readFileSync(join(ROOT, 'test/fixtures/fetch-anchors.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'fixtures') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return TEXT.test(name) ? [path] : [];
  });
}

const SOURCES = FOLDERS.flatMap((folder) => files(join(ROOT, folder))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** The comment text of a line: all of it for `//`, `/*` and ` * ` lines, else what follows ` // `. */
export function commentOf(line: string): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*')) return trimmed;
  const at = line.search(/\s\/\/\s/);
  return at === -1 ? '' : line.slice(at + 1);
}

/** Every comment line of the sources (this file's examples aside), with where it is. */
function commentLines(): { where: string; comment: string }[] {
  return SOURCES.flatMap(({ path, text }) =>
    path.endsWith('.md') || path === 'test/comments.test.ts'
      ? []
      : text.split('\n').flatMap((line, i) => {
          const comment = commentOf(line);
          return comment === '' ? [] : [{ where: `${path}:${i + 1}`, comment }];
        }),
  );
}

// Built from parts, so that this file does not name what it looks for.
const ISSUE = new RegExp(['iss', 'ue ?#?[0-9]+'].join(''), 'i');

/** The problems of one comment's citations of the Fetch standard. */
export function citationProblems(comment: string): string[] {
  const problems: string[] = [];
  if (/\bFetch(?: standard)?,? ?(?:#|§)|fetch\.bs/i.test(comment))
    problems.push('cites the Fetch standard by a bare anchor, a section number or fetch.bs');
  for (const m of comment.matchAll(/(?<![\w/.'"`#-])#([a-z][a-z0-9-]*[a-z0-9])/g)) {
    if (ANCHORS.has(m[1] as string)) problems.push(`#${m[1]} without ${FETCH}`);
  }
  for (const m of comment.matchAll(/https?:\/\/fetch\.spec\.whatwg\.org\/(#[\w-]*)?/g)) {
    const anchor = m[1]?.slice(1);
    if (!m[0].startsWith(FETCH)) problems.push(`${m[0]}: not ${FETCH}`);
    else if (anchor !== undefined && !ANCHORS.has(anchor))
      problems.push(`${m[0]}: no such anchor in test/fixtures/fetch-anchors.txt`);
  }
  return problems;
}

describe('comments point at what a reader can open', () => {
  it('no source, test, bench or script file names one of our issues by number', () => {
    const found = SOURCES.flatMap(({ path, text }) =>
      text.split('\n').flatMap((line, i) => (ISSUE.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(found, []);
  });

  it('every citation of the Fetch standard in a comment is a full link to an anchor the standard defines', () => {
    const found = commentLines().flatMap(({ where, comment }) =>
      citationProblems(comment).map((problem) => `${where}: ${problem}`),
    );
    assert.deepEqual(found, []);
  });

  it('the checks catch what they are for: a bare anchor, a section number, an unknown anchor', () => {
    assert.deepEqual(citationProblems('// the CORS check (#cors-check)'), [`#cors-check without ${FETCH}`]);
    assert.deepEqual(citationProblems('// Fetch §4.4, HTTP-redirect fetch'), [
      'cites the Fetch standard by a bare anchor, a section number or fetch.bs',
    ]);
    assert.deepEqual(citationProblems(`// ${FETCH}#cors-chekc, step 3`), [
      `${FETCH}#cors-chekc: no such anchor in test/fixtures/fetch-anchors.txt`,
    ]);
    assert.deepEqual(citationProblems(`// ${FETCH}#cors-check, step 3`), []);
    // A CSS colour, an element id and HTTP's list syntax are not citations.
    assert.deepEqual(citationProblems("// '#fff' and #output and ABNF `#field-name`"), []);
    assert.equal(ISSUE.test(['// fixed in iss', 'ue 15.3'].join('')), true);
    assert.equal(commentOf("  const u = 'http://x'; // see #cors-check"), '// see #cors-check');
  });
});
