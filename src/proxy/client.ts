// What the proxy knows of its client: its address (for rate limits) and the base URL it used to
// reach the proxy (for redirects handed back). Headers set by proxies in front count only when the
// operator says how many there are (`trustProxy`); otherwise anyone could write them.

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import ipaddr from 'ipaddr.js';

/** The client's address: the socket's, or the one `trustProxy` proxies in front report. */
export function clientAddress(req: IncomingMessage, trustProxy: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy === 0) return socket;
  // Each proxy appends who connected to it: the front-most trusted one wrote the client's address.
  return trusted(req.headers['x-forwarded-for'], trustProxy) ?? socket;
}

/**
 * The bucket a client address counts in, for rate limits and connection caps. IPv4 addresses are
 * their own; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports for
 * an IPv4 client) is its IPv4 address; any other IPv6 address counts by its first `prefix` bits
 * (`2001:db8:1:2::/64`): one subscriber holds a whole /64 (RFC 6177), so a bucket per address would
 * give one client 2^64 of them. Text that is no IPv6 address is its own bucket, as before.
 */
export function addressBucket(address: string, prefix: number): string {
  // IPv4 (nearly every client) costs one scan for a colon.
  if (!address.includes(':')) return address;
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.IPv6.isValid(bare)) return address;
  const v6 = ipaddr.IPv6.parse(bare);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const groups = v6.parts;
  let key = '';
  for (let i = 0; i < 8; i++) {
    const bits = Math.min(16, Math.max(0, prefix - i * 16));
    const kept = bits === 0 ? 0 : groups[i]! & ((0xffff << (16 - bits)) & 0xffff);
    key += i === 0 ? kept.toString(16) : `:${kept.toString(16)}`;
  }
  return `${key}/${prefix}`;
}

/** host, host:port, [v6] or [v6]:port: what a Host header may hold. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

/** The comma-separated entries of a header, over every line of it. */
function entries(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value.join(',') : (value ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The entry the proxies we trust wrote: the last `trustProxy` entries were added by them, and the
 * one the front-most of them wrote is the client's view. Entries before it are the client's own.
 */
function trusted(value: string | string[] | undefined, trustProxy: number): string | undefined {
  const list = entries(value);
  return list[list.length - trustProxy];
}

/**
 * The proxy's base URL as the client reached it (`https://cors.example.com/`), from Host, or from
 * X-Forwarded-Proto and -Host behind trusted proxies; null when the request gives no usable host.
 */
export function publicBaseOf(req: IncomingMessage, trustProxy: number): string | null {
  let scheme = (req.socket as TLSSocket).encrypted === true ? 'https' : 'http';
  let host = req.headers.host;
  if (trustProxy > 0) {
    const proto = trusted(req.headers['x-forwarded-proto'], trustProxy)?.toLowerCase();
    if (proto === 'http' || proto === 'https') scheme = proto;
    host = trusted(req.headers['x-forwarded-host'], trustProxy) ?? host;
  }
  return host !== undefined && HOST.test(host) ? `${scheme}://${host.toLowerCase()}/` : null;
}
