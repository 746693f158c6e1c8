// Which addresses the proxy may connect to. Only public unicast addresses, unless the operator
// exempts a private one. Names are resolved once, every address is checked, and the connection is
// made to a checked address: the lookup that checks is the lookup that connects, so a name cannot
// flip to 127.0.0.1 in between (DNS rebinding).

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** An operator's exemption: `10.0.0.0/8`, `127.0.0.1`, `localhost:3000`, `[::1]:8080`. */
export type PrivateTargetRule =
  | { readonly kind: 'cidr'; readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number]; readonly text: string }
  | { readonly kind: 'host'; readonly host: string; readonly port: string | null; readonly text: string };

/** Why an address may not be contacted, or null when it is public unicast. */
export function privateRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'unparsable';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const range = v6.range();
    // Addresses that carry an IPv4 address are judged by it.
    if (range === 'ipv4Mapped') return privateRange(v6.toIPv4Address().toString());
    if (range === 'rfc6052' || range === '6to4') {
      const bytes = v6.toByteArray();
      const embedded = range === '6to4' ? bytes.slice(2, 6) : bytes.slice(12, 16);
      return privateRange(ipaddr.fromByteArray(embedded).toString());
    }
    return range === 'unicast' ? null : range;
  }
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
  ) {}

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
            for (const a of addresses) this.check(hostname, port, a.address);
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
