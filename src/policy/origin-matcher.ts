// Deciding whether a request's Origin is allowed by a list of origin rules.
//
// Exact origins are a hash-set lookup on the raw header value: browsers send the serialized origin,
// so byte equality is the whole test. Patterns are looked up by the host's suffixes, so the cost
// grows with the number of labels in the request's host, not with the number of patterns. No test
// is a substring or suffix test on the raw string: `https://example.com.evil.net` and
// `https://evilexample.com` never match `https://example.com` or `https://*.example.com`.

import { parseSerializedOrigin } from '../spec/origin-syntax.js';
import type { OriginPattern, OriginRuleSpec } from './origin-rules.js';

export interface OriginMatcher {
  /** True when `origin` (a raw Origin header value, never `null`) is allowed. */
  matches(origin: string): boolean;
  /** The exact origins, for callers that precompute per-origin answers. */
  readonly exact: ReadonlySet<string>;
}

export function compileOriginMatcher(rules: readonly OriginRuleSpec[]): OriginMatcher {
  const exact = new Set<string>();
  // Key: `scheme://host` of the pattern (its base for subdomain patterns).
  const patterns = new Map<string, OriginPattern[]>();
  const regexps: RegExp[] = [];
  for (const rule of rules) {
    if (rule.type === 'exact') exact.add(rule.origin);
    else if (rule.type === 'regexp') regexps.push(rule.regexp);
    else {
      const key = `${rule.pattern.scheme}://${rule.pattern.host}`;
      const list = patterns.get(key);
      if (list === undefined) patterns.set(key, [rule.pattern]);
      else list.push(rule.pattern);
    }
  }
  const hasPatterns = patterns.size > 0;
  const hasRegexps = regexps.length > 0;

  function matchesPattern(origin: string): boolean {
    const parsed = parseSerializedOrigin(origin);
    if (parsed === null) return false;
    const prefix = `${parsed.scheme}://`;
    const host = parsed.host;
    // The host itself (for exact-host patterns with a port wildcard), then each parent domain.
    const same = patterns.get(prefix + host);
    if (same?.some((p) => !p.subdomains && portMatches(p.port, parsed.port))) return true;
    if (host.startsWith('[')) return false;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      if (dot === 0 || host.charCodeAt(dot - 1) === 0x2e) return false; // empty label: not a DNS name
      const parent = patterns.get(prefix + host.slice(dot + 1));
      if (parent?.some((p) => p.subdomains && portMatches(p.port, parsed.port))) return true;
    }
    return false;
  }

  function matchesRegExp(origin: string): boolean {
    for (const re of regexps) if (re.test(origin)) return true;
    return false;
  }

  return {
    exact,
    matches(origin: string): boolean {
      if (exact.has(origin)) return true;
      if (hasPatterns && matchesPattern(origin)) return true;
      return hasRegexps && matchesRegExp(origin);
    },
  };
}

function portMatches(rule: string, port: string): boolean {
  return rule === '*' || rule === port;
}
