// Merging field names into a Vary value: appended to what is there, never duplicated, and left
// alone when it is already `*`. Only the response's own Vary is ever read; the request's Vary is
// never copied (hono GHSA-q7jf-gf43-6x6p).

import { splitCommaList } from '../syntax/whitespace.js';

/**
 * Returns the merged Vary value, or null when `existing` already covers every name in `add`. A value
 * holding `*` among other names comes back as `*` alone.
 */
export function mergeVary(
  existing: string | readonly string[] | number | undefined | null,
  add: string,
): string | null {
  if (existing === undefined || existing === null || existing === '') return add;
  const current = Array.isArray(existing) ? existing.join(', ') : String(existing);
  const present = new Set<string>();
  for (const part of splitCommaList(current)) {
    const name = part.toLowerCase();
    // `*` already varies on everything; `* , foo` says the same in more words (RFC 9110 §12.5.5).
    if (name === '*') return current.trim() === '*' ? null : '*';
    if (name !== '') present.add(name);
  }
  let merged = current;
  for (const part of add.split(', ')) {
    if (present.has(part.toLowerCase())) continue;
    present.add(part.toLowerCase());
    merged = merged.trim() === '' ? part : `${merged}, ${part}`;
  }
  return merged === current ? null : merged;
}
