// The README's table of console errors, each with its cause and fix, held to the code that writes
// them: each row's console words are Chromium's as the browser model prints them (src/browser), and
// its cause and fix are what `corsica explain` says for that line (src/advice), so that the table
// cannot drift from the tools.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { explainFailure } from '../../src/browser/errors.js';
import { parseCorsMessage } from '../../src/browser/parse-message.js';
import { explainMessage } from '../../src/explain/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const HEADING = '## A CORS error in the console: cause and fix';
const URL_ = 'https://api.example.com/items';
const ORIGIN = 'https://app.example.com';
const PREFIX = `Access to fetch at '${URL_}' from origin '${ORIGIN}' has been blocked by CORS policy: `;

interface Row {
  readonly says: string;
  readonly cause: string;
  readonly fix: string;
}

/** A cell as a reader sees it: Markdown's escapes and the code span's backticks dropped. */
const plain = (cell: string) =>
  cell
    .trim()
    .replace(/^`(.*)`$/, '$1')
    .replace(/\\([*|])/g, '$1');

function rows(): Row[] {
  const start = README.indexOf(HEADING);
  assert.ok(start !== -1, `the README has "${HEADING}"`);
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.slice(1, -1).split(/(?<!\\)\|/);
      assert.equal(cells.length, 3, line);
      const [says, cause, fix] = cells.map(plain) as [string, string, string];
      return { says, cause, fix };
    });
}

describe("the README's console errors, causes and fixes", () => {
  const table = rows();

  it('holds the common failures, one row each', () => {
    assert.ok(table.length >= 10, `${table.length} rows`);
    const codes = table.map((r) => parseCorsMessage(PREFIX + r.says)?.code);
    assert.equal(new Set(codes).size, codes.length, `a code twice: ${codes.join(', ')}`);
    for (const code of [
      'MissingAllowOriginHeader',
      'PreflightMissingAllowOriginHeader',
      'PreflightInvalidStatus',
      'HeaderDisallowedByPreflightResponse',
      'MethodDisallowedByPreflightResponse',
      'WildcardOriginNotAllowed',
    ])
      assert.ok(codes.includes(code as never), code);
  });

  for (const row of table) {
    it(`${row.says.slice(0, 70)}...: Chromium's words, explain's cause and fix`, () => {
      const parsed = parseCorsMessage(PREFIX + row.says);
      assert.ok(parsed?.code, `not read as a CORS failure: ${row.says}`);
      const words = explainFailure(
        { code: parsed.code, hint: parsed.hint },
        {
          url: URL_,
          initialUrl: URL_,
          origin: ORIGIN,
          method: 'GET',
          credentialed: false,
          initiator: 'fetch',
        },
      ).message;
      assert.equal(row.says, words, "the console's words are the model's");
      const explained = explainMessage(PREFIX + row.says);
      assert.ok(explained?.fix);
      // A cell may start inside one of explain's sentences, with a capital letter.
      const cause = row.cause[0]!.toLowerCase() + row.cause.slice(1);
      assert.ok(
        explained.cause.includes(row.cause) || explained.cause.includes(cause),
        `cause not in explain's:\n${explained.cause}`,
      );
      assert.equal(row.fix, explained.fix.summary);
    });
  }
});
