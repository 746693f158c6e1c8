// The closed vocabulary of problem codes (src/policy/codes.ts): the docs list exactly its codes
// with their severity, pitfall and meaning, and the README's warnings table is its warning rows.
// That every code is really reported is every-code.test.ts's job: one configuration per code.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PROBLEM_CODES, type ProblemCode, WARNING_CODES } from '../../src/policy/codes.js';
import { lintOptions } from '../../src/policy/index.js';
import { PROXY_PROBLEM_CODES } from '../../src/proxy/codes.js';
import { createProxy, ProxyConfigError } from '../../src/proxy/index.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const codes = Object.keys(PROBLEM_CODES) as ProblemCode[];

/** `| \`CODE\` | ... |` rows of a markdown section: code and the remaining cells. */
function rows(markdown: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of markdown.matchAll(/^\| `([A-Z_]+)` \|(.*)\|$/gm))
    out.set(
      m[1]!,
      m[2]!.split(' | ').map((cell) => cell.trim()),
    );
  return out;
}

describe('problem codes: one closed table', () => {
  it('docs/problem-codes.md lists every code, in its severity section, with its pitfall and meaning', () => {
    const doc = read('docs/problem-codes.md');
    for (const [heading, severity] of [
      ['## Errors', 'error'],
      ['## Warnings', 'warning'],
      ['## Hints', 'hint'],
    ] as const) {
      const start = doc.indexOf(heading);
      const end = doc.indexOf('\n## ', start + 1);
      const section = rows(doc.slice(start, end === -1 ? undefined : end));
      const expected = codes.filter((c) => PROBLEM_CODES[c].severity === severity);
      assert.deepEqual([...section.keys()].sort(), [...expected].sort(), heading);
      for (const code of expected) {
        const info = PROBLEM_CODES[code] as { pitfall?: number; when: string };
        assert.deepEqual(section.get(code), [String(info.pitfall ?? ''), info.when], code);
      }
    }
  });

  it("the README's warnings table is the table's warning rows, word for word", () => {
    const readme = read('README.md');
    const start = readme.indexOf('| code | when |');
    const table = rows(readme.slice(start, readme.indexOf('\n\n', start)));
    assert.deepEqual([...table.keys()].sort(), [...WARNING_CODES].sort());
    for (const [code, [when]] of table)
      assert.equal(when, (PROBLEM_CODES as Record<string, { when: string }>)[code]!.when);
  });

  it('what lintOptions reports carries codes from the table, with the severity and pitfall of their row', () => {
    const problems = lintOptions({
      origin: [
        '*',
        'example.com',
        'https://a.com:443',
        'https://*.github.io',
        /example\.com$/,
        'https://a.com/',
      ],
      credentials: true,
      methods: ['*', 'TRACE'],
      exposedHeaders: ['Set-Cookie', 'Content-Type'],
      maxAge: 90000,
      orign: 1,
    });
    assert.ok(problems.length >= 8);
    for (const p of problems) {
      const row = PROBLEM_CODES[p.code] as { severity: string; pitfall?: number };
      assert.ok(row, p.code);
      assert.equal(p.severity, row.severity, p.code);
      assert.equal(p.pitfall, row.pitfall, p.code);
    }
  });

  it("the proxy's codes: the doc's Proxy section is its table, and start-up problems carry them", () => {
    const doc = read('docs/problem-codes.md');
    const section = rows(doc.slice(doc.indexOf('## Proxy')));
    assert.deepEqual([...section.keys()], Object.keys(PROXY_PROBLEM_CODES));
    for (const [code, [when]] of section)
      assert.equal(when, PROXY_PROBLEM_CODES[code as keyof typeof PROXY_PROBLEM_CODES]);
    const text = ['options.ts', 'option-parsers.ts']
      .map((file) => readFileSync(new URL(`../../src/proxy/${file}`, import.meta.url), 'utf8'))
      .join('\n');
    for (const code of Object.keys(PROXY_PROBLEM_CODES)) assert.ok(text.includes(`'${code}'`), code);
    let thrown: unknown;
    try {
      createProxy({
        port: -1,
        rateLimit: 'lots',
        allowPrivateTarget: ['not a host'],
        allowOrigin: ['example.com'],
      });
    } catch (err) {
      thrown = err;
    }
    assert.ok(thrown instanceof ProxyConfigError);
    assert.deepEqual(thrown.problems.map((p) => p.code).sort(), [
      'ORIGIN_MISSING_SCHEME',
      'PROXY_NUMBER_INVALID',
      'PROXY_PRIVATE_TARGET_INVALID',
      'PROXY_RATE_LIMIT_INVALID',
    ]);
  });
});
