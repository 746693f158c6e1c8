// The serialized origin a browser sends in `Origin` (HTML "serialization of an origin",
// https://fetch.spec.whatwg.org/#origin-header): lower-case scheme and host, the port only when it is not the scheme's
// default, no path, no trailing slash; or the opaque `null`. Anything else did not come from a
// browser's own serialization, so matchers treat it as a stranger.

export interface ParsedOrigin {
  readonly scheme: string;
  /** Lower-case host: a DNS name, a dotted IPv4 address, or a bracketed IPv6 address. */
  readonly host: string;
  /** Decimal port without leading zeros, or '' when the origin uses the scheme's default port. */
  readonly port: string;
}

/** Longest `Origin` value looked at; longer values are refused before they are read. */
export const MAX_ORIGIN_LENGTH = 1024;

export const DEFAULT_PORTS: Readonly<Record<string, string>> = Object.freeze({
  http: '80',
  https: '443',
  ws: '80',
  wss: '443',
  ftp: '21',
});

function isLowerAlpha(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
/** Characters a serialized host may hold outside brackets: lower-case letters, digits, `-._~`. */
function isHostChar(c: number): boolean {
  return isLowerAlpha(c) || isDigit(c) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}
function isIpv6Char(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || c === 0x3a || c === 0x2e;
}

/**
 * A host as the URL standard writes it: a name whose last label is a number (`0`, `127.1`,
 * `0x7f.1`) is an IPv4 address, which the standard writes as four decimal parts (`0.0.0.0`); a
 * browser never sends the other spellings, nor a name with an empty label (but one trailing dot).
 */
function canonicalHost(host: string): boolean {
  if (host.charCodeAt(0) === 0x5b) return true;
  // `a.com.` is a real origin (the page at https://a.com./ sends it); one trailing dot, no more.
  const end = host.charCodeAt(host.length - 1) === 0x2e ? host.length - 1 : host.length;
  // One scan for empty labels, without splitting: an Origin of 500 labels costs no 500 strings.
  let lastLabel = 0;
  for (let i = 0; i < end; i++) {
    if (host.charCodeAt(i) !== 0x2e) continue;
    if (i === lastLabel) return false;
    lastLabel = i + 1;
  }
  if (lastLabel === end) return false;
  const last = host.slice(lastLabel, end);
  if (!/^(\d+|0x[0-9a-f]*)$/.test(last)) return true;
  const labels = host.slice(0, end).split('.');
  return labels.length === 4 && labels.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) <= 255);
}

/**
 * Parses a serialized tuple origin. Returns null for `null`, for anything a browser would not
 * serialize that way (upper case, default or zero-padded port, path, userinfo...), and for values
 * longer than MAX_ORIGIN_LENGTH. Runs in one pass over at most MAX_ORIGIN_LENGTH code units.
 */
export function parseSerializedOrigin(origin: string): ParsedOrigin | null {
  const n = origin.length;
  if (n === 0 || n > MAX_ORIGIN_LENGTH) return null;
  let i = 0;
  if (!isLowerAlpha(origin.charCodeAt(0))) return null;
  while (i < n) {
    const c = origin.charCodeAt(i);
    if (isLowerAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) i++;
    else break;
  }
  if (
    origin.charCodeAt(i) !== 0x3a ||
    origin.charCodeAt(i + 1) !== 0x2f ||
    origin.charCodeAt(i + 2) !== 0x2f
  ) {
    return null;
  }
  const scheme = origin.slice(0, i);
  i += 3;
  const hostStart = i;
  if (origin.charCodeAt(i) === 0x5b) {
    i++;
    while (i < n && isIpv6Char(origin.charCodeAt(i))) i++;
    if (origin.charCodeAt(i) !== 0x5d || i === hostStart + 1) return null;
    i++;
  } else {
    while (i < n && isHostChar(origin.charCodeAt(i))) i++;
    if (i === hostStart) return null;
  }
  const host = origin.slice(hostStart, i);
  if (!canonicalHost(host)) return null;
  let port = '';
  if (i < n) {
    if (origin.charCodeAt(i) !== 0x3a) return null;
    const portStart = ++i;
    while (i < n && isDigit(origin.charCodeAt(i))) i++;
    const digits = i - portStart;
    if (i !== n || digits === 0 || digits > 5) return null;
    port = origin.slice(portStart);
    if (port.charCodeAt(0) === 0x30 || Number(port) > 65535 || DEFAULT_PORTS[scheme] === port) return null;
  }
  return { scheme, host, port };
}
