// What an audit keeps of each answer. It holds ~95 answers until it reports, and a hostile server
// can send 256 KiB of header lines with each (the most the transport accepts): 12,000 `Vary` lines
// made `audit --json` peak near 800 MiB. The rules read the CORS headers, Vary, Allow and Location,
// and of the others only their names; so each answer keeps those, within fixed bounds, and says
// how many lines it dropped.

import { splitCommaList } from '../syntax/whitespace.js';

/** Lines kept per name (several `Access-Control-Allow-Origin` lines are a finding of their own). */
const LINES_PER_NAME = 8;
/** Characters kept of one value; a longer one ends with a marker, so it never equals an origin. */
const VALUE_CHARS = 4096;
/** Vary names kept, once each (Vary is a set: repeating a name changes nothing). */
const VARY_NAMES = 64;
/** Other headers, by name only (which headers the answer has, for the expose rule). */
const OTHER_NAMES = 64;
const OTHER_VALUE_CHARS = 256;

const READ = /^(access-control-|allow$|location$|cache-control$)/;

const cut = (value: string, max: number) =>
  value.length <= max ? value : `${value.slice(0, max)}… (${value.length - max} more characters)`;

/**
 * The Vary names of every line, once each: `*` and `origin` first (the rules ask for them), then
 * the others in order, up to VARY_NAMES and VALUE_CHARS.
 */
function varyLine(values: readonly string[]): string {
  const names = new Set<string>();
  let wildcard = false;
  let origin = false;
  for (const value of values)
    for (const item of splitCommaList(value)) {
      const name = item.toLowerCase();
      if (name === '*') wildcard = true;
      else if (name === 'origin') origin = true;
      else if (name !== '' && names.size < VARY_NAMES) names.add(name);
    }
  const first = [...(wildcard ? ['*'] : []), ...(origin ? ['origin'] : [])];
  return cut([...first, ...names].join(', '), VALUE_CHARS);
}

/**
 * The header lines an audit keeps of an answer (names in lower case), and how many it dropped.
 * `lines` is read once; nothing of it is retained.
 */
export function keptHeaders(lines: readonly (readonly [string, string])[]): {
  headers: [string, string][];
  dropped: number;
} {
  const headers: [string, string][] = [];
  const perName = new Map<string, number>();
  const vary: string[] = [];
  let others = 0;
  let dropped = 0;
  for (const [rawName, value] of lines) {
    const name = rawName.toLowerCase();
    if (name === 'vary') {
      vary.push(value);
      continue;
    }
    const seen = perName.get(name) ?? 0;
    const read = READ.test(name);
    if ((read && seen >= LINES_PER_NAME) || (!read && (seen > 0 || others >= OTHER_NAMES))) {
      dropped++;
      continue;
    }
    if (!read) others++;
    perName.set(name, seen + 1);
    headers.push([name, cut(value, read ? VALUE_CHARS : OTHER_VALUE_CHARS)]);
  }
  if (vary.length > 0) {
    headers.push(['vary', varyLine(vary)]);
    dropped += vary.length - 1;
  }
  return { headers, dropped };
}
