// Deciding whether a request's Origin is allowed by a list of origin rules.
//
// Exact origins are a hash-set lookup on the raw header value: browsers send the serialized origin,
// so byte equality is the whole test. Patterns live in a trie of their hosts read backwards, one
// node per character: the request's host is walked from its last character until the trie has no
// way on, so the cost is bounded by the longest pattern host, whatever the number of labels or
// patterns (a lookup per dot, each building a string, made a 500-label Origin 300 times slower).
// No test is a substring or suffix test on the raw string: `https://example.com.evil.net` and
// `https://evilexample.com` never match `https://example.com` or `https://*.example.com`.

import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import type { OriginPattern, OriginRuleSpec } from './origin-rules.js';

export interface OriginMatcher {
  /** True when `origin` (a raw Origin header value, never `null`) is allowed. */
  matches(origin: string): boolean;
  /** The exact origins, for callers that precompute per-origin answers. */
  readonly exact: ReadonlySet<string>;
}

/** One character of a pattern host, read from its end: the patterns whose host ends here. */
interface SuffixNode {
  readonly next: Map<number, SuffixNode>;
  /** Patterns whose whole host is the characters walked (`http://localhost:*`). */
  readonly whole: OriginPattern[];
  /** Subdomain patterns whose base is the characters walked (`https://*.example.com`). */
  readonly subdomains: OriginPattern[];
}

const suffixNode = (): SuffixNode => ({ next: new Map(), whole: [], subdomains: [] });

/** The child of `node` for `c`, made when there is none yet. */
function childOf(node: SuffixNode, c: number): SuffixNode {
  let child = node.next.get(c);
  if (child === undefined) {
    child = suffixNode();
    node.next.set(c, child);
  }
  return child;
}

function addPattern(roots: Map<string, SuffixNode>, pattern: OriginPattern): void {
  let node = roots.get(pattern.scheme);
  if (node === undefined) {
    node = suffixNode();
    roots.set(pattern.scheme, node);
  }
  for (let i = pattern.host.length - 1; i >= 0; i--) node = childOf(node, pattern.host.charCodeAt(i));
  (pattern.subdomains ? node.subdomains : node.whole).push(pattern);
}

export function compileOriginMatcher(rules: readonly OriginRuleSpec[]): OriginMatcher {
  const exact = new Set<string>();
  // Per scheme, the pattern hosts read backwards.
  const roots = new Map<string, SuffixNode>();
  const regexps: RegExp[] = [];
  for (const rule of rules) {
    if (rule.type === 'exact') exact.add(rule.origin);
    else if (rule.type === 'regexp') regexps.push(rule.regexp);
    else addPattern(roots, rule.pattern);
  }
  const hasPatterns = roots.size > 0;
  const hasRegexps = regexps.length > 0;

  function matchesPattern(origin: string): boolean {
    // One pass over the origin (which refuses empty labels and leading dots), then the walk.
    const parsed = parseSerializedOrigin(origin);
    if (parsed === null) return false;
    const { host, port } = parsed;
    let node = roots.get(parsed.scheme);
    for (let i = host.length - 1; node !== undefined && i >= 0; i--) {
      node = node.next.get(host.charCodeAt(i));
      if (node === undefined) return false;
      if (i === 0) return anyPort(node.whole, port);
      // A subdomain: the walked base is preceded by a dot, and that by a label of its own.
      if (host.charCodeAt(i - 1) === 0x2e && anyPort(node.subdomains, port)) return true;
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

function anyPort(patterns: readonly OriginPattern[], port: string): boolean {
  for (const p of patterns) if (portMatches(p.port, port)) return true;
  return false;
}

function portMatches(rule: string, port: string): boolean {
  return rule === '*' || rule === port;
}
