// Which request headers a page may send cross-origin without a preflight
// (https://fetch.spec.whatwg.org/#cors-safelisted-request-header), with the additions an engine
// makes (engines.ts: Chromium's client hints), and why any other one needs it.

import { isHttpWhitespace, trimHttpWhitespace } from '../syntax/whitespace.js';
import { type Engine, factsOf } from './engines.js';

/** Why a header (name, value) is not CORS-safelisted, or null when it is. */
export type UnsafeHeaderReason =
  | 'name-not-safelisted'
  | 'value-too-long'
  | 'unsafe-byte'
  | 'language-characters'
  | 'content-type-unparsable'
  | 'content-type-not-simple'
  | 'range-not-simple'
  | 'client-hint-value'
  | 'safelisted-values-too-long';

/** Longest value a safelisted header may have (bytes). */
export const MAX_SAFELISTED_VALUE = 128;
/** Longest sum of safelisted values before all of them count as unsafe (bytes). */
export const MAX_SAFELISTED_TOTAL = 1024;

/** The Content-Type essences a page may send without a preflight. */
export const SIMPLE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
export function isCorsUnsafeByte(c: number): boolean {
  return (
    (c < 0x20 && c !== 0x09) ||
    c === 0x22 ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x3a ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x3f ||
    c === 0x40 ||
    c === 0x5b ||
    c === 0x5c ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === 0x7f
  );
}

function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isCorsUnsafeByte(value.charCodeAt(i))) return true;
  return false;
}

/** Accept-Language and Content-Language: 0-9 A-Z a-z SP * , - . ; = only. */
function isLanguageValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x20 ||
      c === 0x2a ||
      c === 0x2c ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x3b ||
      c === 0x3d;
    if (!ok) return false;
  }
  return true;
}

const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The essence (`type/subtype`, lower-case) of a MIME type, or null when "parse a MIME type"
 * (WHATWG MIME Sniffing) fails. Parameters never make it fail, so only type and subtype are read.
 */
export function mimeEssence(value: string): string | null {
  const input = trimHttpWhitespace(value);
  const slash = input.indexOf('/');
  if (slash === -1) return null;
  const type = input.slice(0, slash);
  const semicolon = input.indexOf(';', slash + 1);
  // The subtype loses its trailing whitespace only: `text/ plain` stays unparsable.
  let end = semicolon === -1 ? input.length : semicolon;
  while (end > slash + 1 && isHttpWhitespace(input.charCodeAt(end - 1))) end--;
  const subtype = input.slice(slash + 1, end);
  if (!TOKEN_CHARS.test(type) || !TOKEN_CHARS.test(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}

/**
 * Fetch "simple range header value": `bytes=<start>-[<end>]`, one range, a start, no white space
 * ("parse a single range header value" with allowWhitespace false; Chromium also lower-cases).
 */
export function isSimpleRange(value: string): boolean {
  const match = /^bytes=(\d+)-(\d*)$/i.exec(value);
  if (match === null) return false;
  return match[2] === '' || BigInt(match[1]!) <= BigInt(match[2]!);
}

/**
 * Why the header needs a preflight, or null when it is safelisted. `lowerName` is lower-case;
 * `value` is the normalized value. The 1024-byte total is decided over the whole list, elsewhere.
 */
export function unsafeReason(lowerName: string, value: string, engine: Engine): UnsafeHeaderReason | null {
  const hint = factsOf(engine).extraSafelistedHeaders.get(lowerName);
  const known =
    lowerName === 'accept' ||
    lowerName === 'accept-language' ||
    lowerName === 'content-language' ||
    lowerName === 'content-type' ||
    lowerName === 'range' ||
    hint !== undefined;
  if (!known) return 'name-not-safelisted';
  if (value.length > MAX_SAFELISTED_VALUE) return 'value-too-long';
  switch (lowerName) {
    case 'accept':
      return hasUnsafeByte(value) ? 'unsafe-byte' : null;
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value) ? null : 'language-characters';
    case 'content-type': {
      if (hasUnsafeByte(value)) return 'unsafe-byte';
      const essence = mimeEssence(value);
      if (essence === null) return 'content-type-unparsable';
      return SIMPLE_CONTENT_TYPES.has(essence) ? null : 'content-type-not-simple';
    }
    case 'range':
      return isSimpleRange(value) ? null : 'range-not-simple';
    default:
      return hint!(value) ? null : 'client-hint-value';
  }
}
