// Writes what is made from the proxy's table of options (src/proxy/option-table.ts): the
// `ProxyOptions` type (src/proxy/proxy-options.ts) and the table of options in docs/proxy.md.
//   node --import tsx scripts/proxy-options.ts
// test/proxy/option-table.test.ts holds both to the table with the functions below.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CONFIG_FLAG,
  defaultText,
  envOf,
  flagOf,
  OPTION_ROWS,
  type OptionRow,
  repeats,
  words,
} from '../src/proxy/option-table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TYPE_FILE = 'src/proxy/proxy-options.ts';
/** The page that documents every option of the proxy. */
export const OPTIONS_PAGE = 'docs/proxy.md';

/** `text` as comment lines of at most `width` columns, each starting with `prefix`. */
function wrap(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, prefix + line];
}

const TYPES = { string: 'string', number: 'number', list: 'readonly string[]', files: 'readonly string[]' };

/** A row's whole meaning: its help line, then the rest. */
const meaning = (row: OptionRow, name: (key: string) => string) =>
  words(row.more === undefined ? row.help : `${row.help}. ${row.more}`, name, true);

/** The allowed whole numbers, in words. */
const range = ([min, max]: readonly [number, number]) =>
  max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`;

function typeDoc(row: OptionRow): string {
  const text = meaning(row, (key) => `\`${key}\``);
  const parts = [`${text[0]!.toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`];
  if (row.range !== undefined) parts.push(`A whole number, ${range(row.range)}.`);
  const shown = defaultText(row);
  if (shown !== undefined) parts.push(`Default: ${row.shown ?? `\`${shown}\``}.`);
  return parts.join(' ');
}

/** src/proxy/proxy-options.ts, as the table makes it. */
export function typeSource(): string {
  const out = [
    '// The options of `createProxy` and `corsica proxy`, as users write them (camelCase keys of a config',
    '// file, `CORSICA_*` variables and flags all end up here); src/proxy/options.ts validates them.',
    '// Written by scripts/proxy-options.ts from src/proxy/option-table.ts: change the table, not this file.',
    '',
    "import type { Resolver } from './addresses.js';",
    '',
    'export interface ProxyOptions {',
  ];
  for (const [key, row] of OPTION_ROWS) {
    const doc = wrap(typeDoc(row), '   * ');
    if (doc.length === 1 && doc[0]!.length + 3 <= 100) out.push(`  /** ${doc[0]!.slice(5)} */`);
    else out.push('  /**', ...doc, '   */');
    out.push(`  readonly ${key}?: ${TYPES[row.kind]};`);
  }
  out.push(
    '  /** For tests and special deployments: how target names are resolved. */',
    '  readonly resolver?: Resolver;',
    '}',
    '',
  );
  return out.join('\n');
}

/** A markdown table cell: pipes escaped. */
const cell = (text: string) => text.replaceAll('|', '\\|');

const KINDS = { string: 'text', number: 'number', list: 'list', files: 'list of files' };

/** The table of options of docs/proxy.md, as the table makes it. */
export function optionsTable(): string {
  const out = ['| flag | variable | config key | default | meaning |', '|---|---|---|---|---|'];
  for (const [key, row] of OPTION_ROWS) {
    const flag = `\`${flagOf(key)} ${row.arg}\`${repeats(row) ? ' (repeatable)' : ''}`;
    const kind = row.range === undefined ? KINDS[row.kind] : range(row.range);
    const shown = defaultText(row);
    const fallback = shown === undefined ? 'none' : (row.shown ?? `\`${shown}\``);
    const text = meaning(row, (other) => `\`${flagOf(other)}\``);
    out.push(
      `| ${cell(flag)} | \`${envOf(key)}\` | \`${key}\` (${kind}) | ${cell(fallback)} | ${cell(text)} |`,
    );
  }
  out.push(`| \`${CONFIG_FLAG.flag} ${CONFIG_FLAG.arg}\` | | | | ${cell(CONFIG_FLAG.help)} |`);
  return `${out.join('\n')}\n`;
}

/** The page with its table of options replaced: from the table's header to the blank line after it. */
export function withOptionsTable(page: string): string {
  const start = page.indexOf('| flag | variable | config key |');
  if (start === -1) throw new Error(`${OPTIONS_PAGE}: the table of proxy options is missing`);
  const end = page.indexOf('\n\n', start);
  return `${page.slice(0, start)}${optionsTable()}${page.slice(end + 1)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(`${ROOT}${TYPE_FILE}`, typeSource());
  const page = `${ROOT}${OPTIONS_PAGE}`;
  writeFileSync(page, withOptionsTable(readFileSync(page, 'utf8')));
}
