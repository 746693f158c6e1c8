// Header lists as the browser model handles them: ordered (name, value) pairs, read the way the
// Fetch standard "gets" a header (every line with that name, joined with ", ").

import { trimHttpWhitespace } from '../syntax/whitespace.js';

/** Header lines in the order they came: request headers a page sets, or response header lines. */
export type HeaderPairs = readonly (readonly [string, string])[];

/** What a caller may give as headers: pairs, or an object of name → value. */
export type HeadersInput = HeaderPairs | Readonly<Record<string, string>>;

export function toPairs(input: HeadersInput | undefined): HeaderPairs {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input as HeaderPairs;
  return Object.entries(input as Readonly<Record<string, string>>);
}

/** Fetch "get": the values of every line named `name` (any case), joined with ", "; null when none. */
export function getHeader(headers: HeaderPairs, name: string): string | null {
  const lower = name.toLowerCase();
  let value: string | null = null;
  for (const [n, v] of headers) {
    if (n.toLowerCase() !== lower) continue;
    value = value === null ? v : `${value}, ${v}`;
  }
  return value;
}

/** Strips leading and trailing HTTP whitespace (tab, LF, CR, space), as Headers do with values. */
export function normalizeValue(value: string): string {
  return trimHttpWhitespace(value);
}

/** Why `value` cannot be a header value at all (fetch() throws a TypeError), or null. */
export function invalidValue(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d) return 'it contains a NUL, CR or LF character';
    if (c > 0xff) return 'it contains a character outside Latin-1';
  }
  return null;
}

/**
 * One entry per name (lower-case), values of repeated names joined with ", ", in order of first
 * appearance: the header list a browser sends for the request.
 */
export function combineByName(headers: HeaderPairs): [string, string][] {
  const combined = new Map<string, string>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const before = combined.get(lower);
    combined.set(lower, before === undefined ? value : `${before}, ${value}`);
  }
  return [...combined];
}
