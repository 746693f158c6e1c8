// The closed vocabulary of audit findings (src/audit/codes.ts): docs/audit.md holds exactly the
// table's text, every class has a server in the gallery that proves it (gallery.test.ts runs the
// audit on each and finds the class: no class is dead), and advice writes a fix for each, and for
// no other (test/advice/audit-fixes-*.test.ts runs each fix in its tool).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AUDIT_FIXES } from '../../src/advice/audit-fixes.js';
import {
  FINDING_CLASSES,
  type FindingClass,
  fixFor,
  siteOf,
  vocabularyMarkdown,
} from '../../src/audit/index.js';
import { FLAWED } from './gallery.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const classes = Object.keys(FINDING_CLASSES) as FindingClass[];

describe('audit findings: one closed table', () => {
  it('docs/audit.md holds the vocabulary exactly as the table writes it', () => {
    const doc = read('docs/audit.md');
    const start = doc.indexOf('<!-- vocabulary:start -->');
    const end = doc.indexOf('<!-- vocabulary:end -->');
    assert.ok(start >= 0 && end > start, 'docs/audit.md has the vocabulary markers');
    const section = doc.slice(start + '<!-- vocabulary:start -->'.length, end).trim();
    assert.equal(
      section,
      vocabularyMarkdown().trim(),
      'regenerate: node --import tsx -e "import(\'./src/audit/index.ts\').then(m => process.stdout.write(m.vocabularyMarkdown()))"',
    );
  });

  it('every class has a server in the gallery, and the gallery names no other class', () => {
    const tested = new Set(FLAWED.map((s) => s.expected));
    assert.deepEqual([...tested].sort(), [...classes].sort());
    for (const s of FLAWED)
      assert.equal(s.severity, FINDING_CLASSES[s.expected as FindingClass].severity, s.name);
  });

  it('every class has its impact and a fix for corsica, cors, @fastify/cors, hono/cors and nginx', () => {
    const site = siteOf('https://www.example.com');
    for (const c of classes) {
      assert.ok(FINDING_CLASSES[c].impact.length > 20, c);
      const fix = fixFor(c, site);
      for (const tool of ['summary', 'corsica', 'cors', 'fastify', 'hono', 'nginx'] as const)
        assert.ok(fix[tool].length > 5, `${c} ${tool}`);
    }
  });

  it('advice writes a fix for every class and for no class the table lacks', () => {
    assert.deepEqual(Object.keys(AUDIT_FIXES).sort(), [...classes].sort());
  });
});
