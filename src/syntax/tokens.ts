// HTTP token grammar (RFC 9110 §5.6.2), used by the Fetch standard for methods and header names.
// A lookup table keeps the check to one array read per byte.

/** Per ASCII code: 0 not a tchar, 1 a tchar, UPPER_TCHAR an upper-case letter (also a tchar). */
export const TCHAR = new Uint8Array(128);
export const UPPER_TCHAR = 2;
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1; // DIGIT
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = UPPER_TCHAR; // upper ALPHA
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1; // lower ALPHA

/** True when `s` is a non-empty HTTP token. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** ASCII lower-casing that leaves every other code unit alone (header names are byte strings). */
export function asciiLower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.toLowerCase();
  }
  return s;
}
