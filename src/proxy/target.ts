// Where a proxied request goes: `/<absolute-url>` (cors-anywhere's form, the scheme optional) or
// `/?url=<encoded url>`, and whether the operator lets it go there (host patterns). Addresses are
// compared in one spelling: `[::ffff:7f00:1]` is 127.0.0.1, whatever the rule or the URL wrote.

import { isIP } from 'node:net';
import { addressForms, addressIn, bareHost } from './addresses.js';

/** Why a request names no usable target: the refusal's rule and message. */
export interface TargetProblem {
  readonly rule: 'bad-target' | 'target-denied' | 'target-not-allowed';
  readonly message: string;
  readonly fix: string;
}

/** `*.example.com` (any subdomain), `example.com` (that host), `*` (any host). */
export type HostPattern = { readonly suffix: string } | { readonly host: string } | { readonly any: true };

export function parseHostPattern(text: string): HostPattern | string {
  const value = text.trim().toLowerCase().replace(/\.$/, '');
  if (value === '*') return { any: true };
  const subdomains = value.startsWith('*.');
  const host = subdomains ? value.slice(2) : value;
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(\.[a-z0-9_-]+)*)$/.test(host) || host.includes('*')) {
    return `'${text}' is not a host pattern (write api.example.com, *.example.com or *)`;
  }
  return subdomains ? { suffix: `.${host}` } : { host: literalAddress(host) ?? host };
}

/** An address written as a host (`127.1`, `[::ffff:7f00:1]`) in its one canonical spelling, else null. */
function literalAddress(host: string): string | null {
  let parsed: string;
  try {
    // The URL parser reads every IPv4 spelling a target URL may use (`127.1`, `0x7f.0.0.1`).
    parsed = bareHost(new URL(`http://${host}/`).hostname);
  } catch {
    return null;
  }
  return isIP(parsed) === 0 ? null : (addressForms(parsed)[0] ?? null);
}

function matches(pattern: HostPattern, host: string): boolean {
  if ('any' in pattern) return true;
  if ('host' in pattern) return pattern.host === host;
  return host.endsWith(pattern.suffix) && host.length > pattern.suffix.length;
}

const ABSOLUTE = /^(https?):\/\/?/i;

/**
 * The target URL of a request path (`req.url`), or a problem. Without a scheme, cors-anywhere's
 * rule: https for port 443, http otherwise.
 */
export function targetOf(path: string): URL | TargetProblem {
  let raw: string;
  if (path.startsWith('/?url=') || (path.startsWith('/?') && /[?&]url=/.test(path))) {
    const param = new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('url');
    if (param === null || param === '') return notATarget(path);
    raw = param;
  } else {
    raw = path.slice(1);
  }
  let candidate: string;
  // Nearly every request writes the scheme in full and in lower case: the URL is used as written.
  if (raw.startsWith('https://') || raw.startsWith('http://')) candidate = raw;
  else {
    // Front proxies may collapse `//` into `/` (cors-anywhere #238): `https:/host` still means https://host.
    const scheme = ABSOLUTE.exec(raw);
    if (scheme !== null) candidate = `${scheme[1]!.toLowerCase()}://${raw.slice(scheme[0].length)}`;
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
      return {
        rule: 'bad-target',
        message: `only http and https targets can be proxied, not ${raw.slice(0, raw.indexOf(':'))}:`,
        fix: 'Put an http:// or https:// URL after the proxy address.',
      };
    } else {
      const port = /^[^/?#]*:(\d+)/.exec(raw)?.[1];
      candidate = `${port === '443' ? 'https' : 'http'}://${raw}`;
    }
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return notATarget(path);
  }
  if (url.username !== '' || url.password !== '') {
    return {
      rule: 'bad-target',
      message: 'target URLs may not carry a user name or password',
      fix: 'Remove user:password@ from the target URL; send credentials in a header the API accepts.',
    };
  }
  // `name..` is `name.` to a resolver but not to the deny list: a host with an empty label is no host.
  const hostname = url.hostname;
  if (hostname === '' || hostname.includes('..') || hostname.startsWith('.')) return notATarget(path);
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (!host.includes('.') && !host.includes(':') && host !== 'localhost') return notATarget(path);
  return url;
}

/** A path that names no target URL. */
export function notATarget(path: string): TargetProblem {
  const shown = path.length > 80 ? `${path.slice(0, 80)}…` : path;
  return {
    rule: 'bad-target',
    message: `'${shown}' does not name a target URL`,
    fix: 'Request /<absolute-url>, e.g. /https://api.example.com/items, or /?url=<encoded url>.',
  };
}

/**
 * Checks the operator's target rules: deny patterns win, then allow patterns (if any) must match.
 * An address is denied by any spelling of it, or by the IPv4 address it carries (NAT64, 6to4).
 */
export function targetRuleProblem(
  url: URL,
  allow: readonly HostPattern[],
  deny: readonly HostPattern[],
): TargetProblem | null {
  // No rules (the default): nothing to compare, and no address to canonicalise.
  if (allow.length === 0 && deny.length === 0) return null;
  const name = url.hostname.replace(/\.$/, '').toLowerCase();
  const address = addressIn(name);
  const forms = address === null ? null : addressForms(address);
  const host = forms?.[0] ?? name;
  if (
    forms === null ? deny.some((p) => matches(p, host)) : deny.some((p) => forms.some((f) => matches(p, f)))
  ) {
    return {
      rule: 'target-denied',
      message: `${host} is on the proxy's deny list`,
      fix: 'Ask the operator, or use another target.',
    };
  }
  if (allow.length > 0 && !allow.some((p) => matches(p, host))) {
    return {
      rule: 'target-not-allowed',
      message: `${host} is not among the targets this proxy serves`,
      fix: `Start the proxy with --allow-target ${host} to serve it.`,
    };
  }
  return null;
}
