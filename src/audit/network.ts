// Where an origin or the audited API lives on the network: loopback, a private range, or the
// public internet. Two rules depend on it: a development origin on the user's own machine trusted
// by a public site, and an API on a private address, for which the network is the credential.

import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { isIcannRegistrable } from '../syntax/public-suffix.js';

/** The non-public address spaces, in the words of RFC 1918, RFC 3927 and RFC 4193. */
export type AddressSpace = 'loopback' | 'private (RFC 1918)' | 'link-local' | 'unique local (IPv6)';

// node:net's BlockList holds the ranges: corsica bundles no address parser of its own for this.
const RANGES: readonly (readonly [AddressSpace, string, number])[] = [
  ['loopback', '127.0.0.0', 8],
  ['loopback', '::1', 128],
  ['private (RFC 1918)', '10.0.0.0', 8],
  ['private (RFC 1918)', '172.16.0.0', 12],
  ['private (RFC 1918)', '192.168.0.0', 16],
  ['link-local', '169.254.0.0', 16],
  ['link-local', 'fe80::', 10],
  ['unique local (IPv6)', 'fc00::', 7],
];
const SPACES = new Map<AddressSpace, BlockList>();
for (const [space, network, prefix] of RANGES) {
  if (!SPACES.has(space)) SPACES.set(space, new BlockList());
  SPACES.get(space)!.addSubnet(network, prefix, isIP(network) === 4 ? 'ipv4' : 'ipv6');
}

/** `::ffff:a.b.c.d` or `::ffff:7f00:1` (how URLs write it) as its IPv4 address; else the address. */
function unmapped(address: string): string {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (m === null) return address;
  if (m[1] !== undefined) return m[1];
  const high = Number.parseInt(m[2]!, 16);
  const low = Number.parseInt(m[3]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** A literal IP address (brackets removed), or null for a name. */
function literalAddress(host: string): string | null {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  return isIP(bare) === 0 ? null : bare;
}

/** The non-public space of an IP address (`[::1]` and IPv4-mapped IPv6 included), or null. */
export function addressSpace(host: string): AddressSpace | null {
  const literal = literalAddress(host);
  if (literal === null) return null;
  const address = unmapped(literal);
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  for (const [space, list] of SPACES) if (list.check(address, family)) return space;
  return null;
}

/** A host on the user's own machine: localhost, *.localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || addressSpace(host) === 'loopback';
}

/**
 * A host the public internet can name: a public IP address, or a name under an ICANN suffix.
 * `localhost`, `printer.local`, `intranet.corp`, single labels and private addresses are not.
 */
export function isPublicHost(host: string): boolean {
  if (literalAddress(host) !== null) return addressSpace(host) === null;
  return isIcannRegistrable(host) && !isLoopbackHost(host);
}

/** Where the API answers: its address and the non-public space it is in. */
export interface Target {
  readonly address: string;
  readonly space: AddressSpace;
}

/**
 * The non-public space the URL's host is in: its literal address, or every address its name
 * resolves to; null when any of them is public or the name does not resolve.
 */
export async function privateTarget(url: URL): Promise<Target | null> {
  const host = url.hostname;
  const literal = addressSpace(host);
  if (literal !== null) return { address: host, space: literal };
  if (literalAddress(host) !== null) return null;
  try {
    const addresses = await lookup(host, { all: true });
    const spaces = addresses.map((a) => addressSpace(a.address));
    if (spaces.length === 0 || spaces.some((s) => s === null)) return null;
    return { address: addresses[0]!.address, space: spaces[0]! };
  } catch {
    return null;
  }
}

/** Where the API lives as the rules read it, and a note when that needs saying. */
export interface NetworkVerdict {
  /** Why the API counts as reachable only inside a network, or null. */
  readonly intranet: string | null;
  readonly note: string | null;
}

/**
 * An API counts as an intranet API when the user says so (--intranet), or when it answers on a
 * non-public address for a site that is not public either. A public site's API on a private
 * address is a local copy of a public API (a CI job on 127.0.0.1): rated as public, with a note.
 */
export async function networkOf(
  target: URL,
  site: { readonly host: string; readonly origin: string },
  declared: boolean,
): Promise<NetworkVerdict> {
  if (declared) return { intranet: '--intranet says it is reachable only inside a network', note: null };
  const where = await privateTarget(target);
  if (where === null) return { intranet: null, note: null };
  const space = `a ${where.space} address`;
  const at =
    addressSpace(target.hostname) !== null
      ? `${where.address} is ${space}`
      : `${target.hostname} resolves to ${where.address}, ${space}`;
  if (!isPublicHost(site.host)) return { intranet: at, note: null };
  return {
    intranet: null,
    note: `${at}, but the site ${site.origin} is public: the API is rated as a public one (a local copy of it); if it is reachable only inside a network, pass --intranet.`,
  };
}
