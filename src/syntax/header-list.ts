// Parsing of comma-separated token lists such as Access-Control-Request-Headers (Fetch standard
// "extract header list values" over the ABNF `#field-name` / `#method`).
//
// One linear pass, no regular expressions (hono's CVE-2026-69207 was a ReDoS in `/\s*,\s*/`), and
// caps that make hostile input cheap: the length is checked before any byte is read, and the scan
// stops at the first item that breaks the whitespace or empty-item budget, as jub0bs/cors does.
// Browsers send `a,b,c` with no white space at all; the budgets leave room for intermediaries that
// split the header over several lines, which Node joins with ", " (rs/cors#184).

import { TCHAR, UPPER_TCHAR } from './tokens.js';

export interface ListLimits {
  /** Longest value accepted, in UTF-16 code units; longer values fail before being scanned. */
  readonly maxLength: number;
  /** Optional white space (SP, HTAB) tolerated around one item, before and after it together. */
  readonly maxWhitespacePerItem: number;
  /** Empty items (`a,,b`, a leading or trailing comma) tolerated in the whole value. */
  readonly maxEmptyItems: number;
  /** Non-empty items accepted; one more fails the value. */
  readonly maxItems: number;
}

/** Limits for request headers a server parses (Access-Control-Request-Headers). */
export const REQUEST_LIST_LIMITS: ListLimits = Object.freeze({
  maxLength: 8192,
  maxWhitespacePerItem: 2,
  maxEmptyItems: 16,
  // A browser names each non-safelisted header once; real requests carry a handful, tracing-heavy
  // ones a few dozen. The cap keeps a hostile list of thousands of one-letter names from costing
  // hundreds of microseconds per preflight.
  maxItems: 128,
});

export type ListError =
  | 'too-long'
  | 'too-much-whitespace'
  | 'too-many-empty-items'
  | 'too-many-items'
  | 'invalid-token';

export type ListParseResult =
  | { readonly ok: true; readonly items: string[] }
  | { readonly ok: false; readonly error: ListError; readonly position: number };

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;

/**
 * Splits `value` into its tokens. With `lowerCase`, ASCII upper-case letters are lowered (header
 * names compare case-insensitively; methods do not, so they keep their case).
 */
export function parseTokenList(value: string, limits: ListLimits, lowerCase: boolean): ListParseResult {
  const n = value.length;
  if (n > limits.maxLength) return { ok: false, error: 'too-long', position: limits.maxLength };
  const items: string[] = [];
  let empty = 0;
  let upper = false;
  let i = 0;
  for (;;) {
    let whitespace = 0;
    let c = i < n ? value.charCodeAt(i) : -1;
    while (c === SP || c === HTAB) {
      if (++whitespace > limits.maxWhitespacePerItem)
        return { ok: false, error: 'too-much-whitespace', position: i };
      c = ++i < n ? value.charCodeAt(i) : -1;
    }
    const start = i;
    // The token itself: one table read per byte.
    while (i < n) {
      c = value.charCodeAt(i);
      const kind = c < 128 ? TCHAR[c]! : 0;
      if (kind === 0) break;
      if (kind === UPPER_TCHAR) upper = true;
      i++;
    }
    const end = i;
    c = i < n ? value.charCodeAt(i) : -1;
    while (c === SP || c === HTAB) {
      if (++whitespace > limits.maxWhitespacePerItem)
        return { ok: false, error: 'too-much-whitespace', position: i };
      c = ++i < n ? value.charCodeAt(i) : -1;
    }
    if (c !== -1 && c !== COMMA) return { ok: false, error: 'invalid-token', position: i };
    if (start === end) {
      if (++empty > limits.maxEmptyItems) return { ok: false, error: 'too-many-empty-items', position: i };
    } else {
      if (items.length === limits.maxItems) return { ok: false, error: 'too-many-items', position: start };
      items.push(value.slice(start, end));
    }
    if (c === -1) {
      // Browsers send lower-case names, so lowering is the rare case; tokens are ASCII, so
      // toLowerCase lowers exactly the ASCII letters.
      if (lowerCase && upper) for (let k = 0; k < items.length; k++) items[k] = items[k]!.toLowerCase();
      return { ok: true, items };
    }
    i++; // the comma
  }
}

/** Human words for a list parse failure, used in decision reports and lint output. */
export function describeListError(error: ListError, limits: ListLimits): string {
  switch (error) {
    case 'too-long':
      return `it is longer than ${limits.maxLength} characters`;
    case 'too-much-whitespace':
      return `an item has more than ${limits.maxWhitespacePerItem} bytes of white space around it`;
    case 'too-many-empty-items':
      return `it has more than ${limits.maxEmptyItems} empty items`;
    case 'too-many-items':
      return `it names more than ${limits.maxItems} headers`;
    case 'invalid-token':
      return 'an item is not a valid HTTP token';
  }
}
