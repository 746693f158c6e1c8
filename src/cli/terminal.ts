// Text a server controls reaches the terminal only as visible escapes. llhttp takes bytes
// 0x80-0xFF in header values and Node reads them as Latin-1, so a hostile server can send C1
// controls: U+009B (CSI) and U+009D (OSC) move the cursor, erase the screen and set the window
// title in xterm.js (VS Code's terminal), VTE, screen and mosh, enough to print a clean verdict
// over a real finding. C0 controls but tab and line feed, DEL, C1, and the bidirectional
// overrides that reorder a line (CVE-2021-42574) are written as `\x9b` / `\u202e` instead.

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** `text` with every control a terminal acts on written as a visible escape. */
export function visible(text: string): string {
  return text.replace(CONTROLS, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** A copy of `value` (plain objects and arrays, any depth) with every string made `visible`. */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) return value.map(visibleDeep) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = visibleDeep(v);
    return copy as T;
  }
  return value;
}

/**
 * `value` as indented JSON for a terminal: JSON.stringify escapes C0 controls already; DEL, C1 and
 * the bidirectional overrides become `\u` escapes too, so that the text parses to the same value.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(CONTROLS, (c) => `\\u${hex(c, 4)}`);
}
