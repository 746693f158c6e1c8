// HTTP whitespace, read in one pass. A regular expression anchored at the end of a value
// (`/[\t\n\r ]+$/`, `/\s*,\s*/`) retries from every position of a run of spaces that is not at
// the end, which makes it quadratic: one padded header of 200,000 spaces held `corsica check`
// for minutes (the class of hono's advisory for `/\s*,\s*/`). These scans touch each byte once,
// and both halves of the protocol use them: the server side and the browser model.

/** HTTP whitespace (Fetch, https://fetch.spec.whatwg.org/#http-whitespace): tab, LF, CR, space. */
export function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** `value[start, end)` without leading and trailing HTTP whitespace. */
export function trimHttpWhitespace(value: string, start = 0, end = value.length): string {
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * The items of a comma-separated value, each without the HTTP whitespace around it, empty items
 * kept (Fetch "get, decode, and split" for values without quotes, as browsers split CORS lists).
 */
export function splitCommaList(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const end = comma === -1 ? value.length : comma;
    items.push(trimHttpWhitespace(value, start, end));
    if (comma === -1) return items;
    start = comma + 1;
  }
}
