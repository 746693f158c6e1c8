// The proxy's side towards targets: one undici Agent whose connections go only to checked
// addresses (the address guard is the lookup that connects), and the checks every hop gets before
// a connection is even tried: the operator's target rules, then literal addresses.

import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { remember } from '../policy/bounded.js';
import { DEFAULT_PORTS } from '../syntax/origin-syntax.js';
import { AddressGuard, addressIn, PrivateAddressError } from './addresses.js';
import type { ResolvedProxyConfig } from './options.js';
import { nonHttpRedirect, type Refusal, upstreamRefusal } from './refusals.js';
import { targetRuleProblem } from './target.js';

/** Literal addresses never change: their verdicts are kept, up to this many. */
const LITERAL_VERDICTS = 1000;

export interface Upstream {
  readonly agent: Agent;
  /** Why `url` may not be requested (target rules, literal private addresses), or null. */
  targetRefusal(url: URL): Refusal | null;
  /** The same for a redirect's target, which may also name a scheme the proxy never speaks. */
  redirectRefusal(url: URL): Refusal | null;
}

/** `'443'` for `https:` without a port: the port a URL (or a connection) will really use. */
function effectivePort(protocol: string, port: string): string {
  return port || (DEFAULT_PORTS[protocol.slice(0, -1)] ?? '80');
}

export function createUpstream(config: ResolvedProxyConfig): Upstream {
  // Address rules of --deny-target also apply to what a name resolves to (`localhost`, or any name
  // pointed at the address), as the private-address check does.
  const deniedAddresses = new Set<string>();
  for (const p of config.denyTarget) if ('host' in p && isIP(p.host) !== 0) deniedAddresses.add(p.host);
  const guard = new AddressGuard(config.privateTargets, config.resolver, deniedAddresses);
  // One connector per port: the guard's lookup needs the port to apply host:port exemptions.
  const connectors = new Map<string, buildConnector.connector>();
  const ca = config.upstreamCa.length === 0 ? {} : { ca: [...rootCertificates, ...config.upstreamCa] };
  const agent = new Agent({
    connections: config.maxConnections,
    headersTimeout: config.timeout,
    bodyTimeout: config.timeout,
    // An upstream's `Keep-Alive: timeout=600` must not keep idle sockets (and file descriptors)
    // open for ten minutes per invented host name: idle upstream sockets close within --timeout.
    keepAliveTimeout: Math.min(4000, config.timeout),
    keepAliveMaxTimeout: Math.min(10_000, config.timeout),
    connect: (opts, callback) => {
      const port = effectivePort(opts.protocol, opts.port);
      let connector = connectors.get(port);
      if (connector === undefined) {
        // The system's authorities plus the operator's: undici's default is the system's alone.
        connector = buildConnector({
          timeout: config.timeout,
          lookup: guard.lookupFor(port) as never,
          ...ca,
        });
        connectors.set(port, connector);
      }
      connector(opts, callback);
    },
  });

  // Keyed by everything a verdict depends on: `url.host` drops default ports, so https://h/ and
  // http://h/ once shared the verdict an exemption for h:443 gave, which opened h:80.
  const literalVerdicts = new Map<string, boolean>();
  function literalAllowed(host: string, port: string, scheme: string): boolean {
    const key = `${scheme}//${host}:${port}`;
    let allowed = literalVerdicts.get(key);
    if (allowed === undefined) {
      try {
        guard.check(host, port, host);
        allowed = true;
      } catch (err) {
        if (!(err instanceof PrivateAddressError)) throw err;
        allowed = false;
      }
      remember(literalVerdicts, key, allowed, LITERAL_VERDICTS);
    }
    return allowed;
  }

  function targetRefusal(url: URL): Refusal | null {
    const rule = targetRuleProblem(url, config.allowTarget, config.denyTarget);
    if (rule !== null) return { status: 403, ...rule };
    // Names are checked when connecting, by the lookup that connects.
    const host = addressIn(url.hostname);
    if (host === null) return null;
    return literalAllowed(host, effectivePort(url.protocol, url.port), url.protocol)
      ? null
      : upstreamRefusal(new PrivateAddressError(host), url.host);
  }

  return {
    agent,
    targetRefusal,
    redirectRefusal: (url) =>
      url.protocol === 'http:' || url.protocol === 'https:' ? targetRefusal(url) : nonHttpRedirect(),
  };
}
