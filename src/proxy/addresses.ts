// Which addresses the proxy may connect to. Only public unicast addresses, unless the operator
// exempts a private one. Names are resolved once, every address is checked, and the connection is
// made to a checked address: the lookup that checks is the lookup that connects, so a name cannot
// flip to 127.0.0.1 in between (DNS rebinding).

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** An operator's exemption: `10.0.0.0/8`, `127.0.0.1`, `localhost:3000`, `[::1]:8080`. */
export type PrivateTargetRule =
  | { readonly kind: 'cidr'; readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number]; readonly text: string }
  | { readonly kind: 'host'; readonly host: string; readonly port: string | null; readonly text: string };

/**
 * IPv6 ranges that carry an IPv4 address: judged by the address they carry (IANA IPv6
 * special-purpose registry; RFC 4291 §2.5.5.2, RFC 6052, RFC 3056). `at` is the byte offset.
 */
const V6_CARRYING_V4: readonly (readonly [string, number])[] = [
  ['::ffff:0:0/96', 12],
  ['64:ff9b::/96', 12],
  ['2002::/16', 2],
];

/**
 * IPv6 ranges never contacted, from the IANA IPv6 special-purpose registry and RFC 4291. Only
 * 2000::/3 is allocated for global unicast, so everything outside it is refused too; this table
 * names the ranges inside it that are not public, and the well-known ones outside it.
 */
const V6_REFUSED: readonly (readonly [string, string])[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'ipv4Compatible'],
  ['::ffff:0:0:0/96', 'ipv4Translated'],
  ['64:ff9b:1::/48', 'nat64LocalUse'],
  ['100::/64', 'discardOnly'],
  ['2001::/23', 'ietfProtocolAssignments'],
  ['2001::/32', 'teredo'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segmentRouting'],
  ['fc00::/7', 'uniqueLocal'],
  ['fe80::/10', 'linkLocal'],
  ['fec0::/10', 'siteLocal'],
  ['ff00::/8', 'multicast'],
];

type V6Range = [ipaddr.IPv6, number];
const cidr6 = (text: string) => ipaddr.IPv6.parseCIDR(text) as V6Range;
const CARRYING = V6_CARRYING_V4.map(([range, at]) => [cidr6(range), at] as const);
// Most specific first, so that a refusal names the narrowest range (Teredo before 2001::/23).
const REFUSED = V6_REFUSED.map(([range, name]) => [cidr6(range), name] as const).sort(
  (a, b) => b[0][1] - a[0][1],
);
const GLOBAL_UNICAST = cidr6('2000::/3');

function privateV6(v6: ipaddr.IPv6): string | null {
  for (const [range, at] of CARRYING) {
    if (v6.match(range)) {
      const carried = ipaddr.fromByteArray(v6.toByteArray().slice(at, at + 4));
      return privateRange(carried.toString());
    }
  }
  for (const [range, name] of REFUSED) if (v6.match(range)) return name;
  return v6.match(GLOBAL_UNICAST) ? null : 'unallocated';
}

/**
 * An IPv6 address as the URL parser writes it. ipaddr.js reads the dotted tail of `::8.8.8.8` as
 * IPv4-mapped (`::ffff:808:808`), where RFC 4291 makes it IPv4-compatible (`::808:808`).
 */
function canonicalV6(address: string): string {
  if (!address.includes('.')) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * The spellings an operator's address rule may name this address by: its canonical form (an
 * IPv4-mapped IPv6 address is its IPv4 address), then the IPv4 address an IPv6 one carries
 * (NAT64, 6to4), which is where a connection to it ends up. Empty when `address` is no address.
 */
export function addressForms(address: string): string[] {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.includes(':') ? canonicalV6(address) : address);
  } catch {
    return [];
  }
  if (parsed.kind() === 'ipv4') return [parsed.toString()];
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return [v6.toIPv4Address().toString()];
  const forms = [v6.toRFC5952String()];
  for (const [range, at] of CARRYING)
    if (v6.match(range)) forms.push(ipaddr.fromByteArray(v6.toByteArray().slice(at, at + 4)).toString());
  return forms;
}

/** Why an address may not be contacted, or null when it is public unicast. */
export function privateRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.includes(':') ? canonicalV6(address) : address);
  } catch {
    return 'unparsable';
  }
  if (parsed.kind() === 'ipv6') return privateV6(parsed as ipaddr.IPv6);
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** Parses `--allow-private-target` values; returns the rule, or why it is not one. */
export function parsePrivateTarget(text: string): PrivateTargetRule | string {
  const value = text.trim();
  if (value.includes('/')) {
    try {
      return { kind: 'cidr', range: ipaddr.parseCIDR(value), text: value };
    } catch {
      return `'${text}' is not a CIDR range (write e.g. 10.0.0.0/8 or fd00::/8)`;
    }
  }
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  const plain = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  const match = bracketed ?? plain;
  if (match === null) return `'${text}' is not host[:port], [ipv6][:port] or a CIDR range`;
  const port = match[2] ?? null;
  if (port !== null && (Number(port) < 1 || Number(port) > 65535))
    return `'${text}' has a port outside 1-65535`;
  let host = match[1]!.toLowerCase().replace(/\.$/, '');
  if (ipaddr.isValid(host)) host = ipaddr.parse(host).toString();
  else if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host))
    return `'${text}' is not host[:port], [ipv6][:port] or a CIDR range`;
  return { kind: 'host', host, port, text: value };
}

/** True when an exemption covers this address, reached by `hostname:port`. */
function exempt(
  rules: readonly PrivateTargetRule[],
  hostname: string,
  port: string,
  address: string,
): boolean {
  const parsed = ipaddr.process(address);
  for (const rule of rules) {
    if (rule.kind === 'cidr') {
      const [base] = rule.range;
      if (base.kind() === parsed.kind() && parsed.match(rule.range as [never, number])) return true;
    } else if (
      (rule.host === hostname || rule.host === parsed.toString()) &&
      (rule.port === null || rule.port === port)
    ) {
      return true;
    }
  }
  return false;
}

/** A name that resolves to an address on the deny list (the message never names the address). */
export class DeniedAddressError extends Error {
  override readonly name = 'DeniedAddressError';
  readonly code = 'TARGET_DENIED';
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to an address on the deny list`);
  }
}

/** A refusal of a target address (the message never names the address: no error oracle). */
export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
  readonly code = 'PRIVATE_TARGET';
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to a private, loopback, link-local or reserved address`);
  }
}

export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The system resolver: every address of the name, as the OS resolves it. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });

/**
 * The address a URL's hostname spells (brackets dropped), or null for a name. The URL parser writes
 * IPv4 addresses in dotted decimal and IPv6 ones in brackets, so a name (nearly every target) ends
 * neither in a digit nor starts with `[`, and costs two character reads.
 */
export function addressIn(hostname: string): string | null {
  if (hostname.charCodeAt(0) === 0x5b) return bareHost(hostname);
  const last = hostname.charCodeAt(hostname.length - 1);
  return last >= 0x30 && last <= 0x39 && isIP(hostname) !== 0 ? hostname : null;
}

/** Normalizes a URL hostname for comparisons: lower case, no brackets, no trailing dot. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

export class AddressGuard {
  constructor(
    private readonly rules: readonly PrivateTargetRule[],
    private readonly resolver: Resolver = systemResolver,
    /** Addresses of --deny-target, in addressForms' canonical spelling. */
    private readonly denied: ReadonlySet<string> = new Set(),
  ) {}

  /** Throws DeniedAddressError when a name resolved to an address on the deny list. */
  private checkDenied(hostname: string, address: string): void {
    for (const form of addressForms(address))
      if (this.denied.has(form)) throw new DeniedAddressError(bareHost(hostname));
  }

  /** Checks an address for `hostname:port`; throws PrivateAddressError when it may not be contacted. */
  check(hostname: string, port: string, address: string): void {
    if (privateRange(address) !== null && !exempt(this.rules, bareHost(hostname), port, address)) {
      throw new PrivateAddressError(bareHost(hostname));
    }
  }

  /**
   * A `lookup` for net.connect/tls.connect that resolves once, checks every address, and hands the
   * connection only checked addresses. `port` is the port the connection is for.
   */
  lookupFor(port: string) {
    return (
      hostname: string,
      options: { all?: boolean; family?: number },
      callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      // `name.` and `name` are the same DNS name; some resolvers only know the second spelling.
      this.resolver(hostname.replace(/\.$/, '')).then(
        (addresses) => {
          try {
            if (addresses.length === 0)
              throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
            for (const a of addresses) {
              // Deny rules first: an exemption for a private address never reopens a denied one.
              if (this.denied.size > 0) this.checkDenied(hostname, a.address);
              this.check(hostname, port, a.address);
            }
          } catch (err) {
            callback(err as Error, '', 0);
            return;
          }
          if (options.all === true) callback(null, [...addresses]);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (err: Error) => callback(err, '', 0),
      );
    };
  }
}
