// The Public Suffix List (ICANN and private sections), through tldts: hosts under which anyone can
// register a domain (`com`, `co.uk`) or publish a site (`github.io`, `vercel.app`, `pages.dev`).
// A subdomain pattern on such a base trusts strangers; jub0bs/cors refuses these the same way. So
// does one on a base with such hosts under it: `*.amazonaws.com` covers `s3.amazonaws.com`, where
// anyone's bucket is a site (`attacker.s3.amazonaws.com`).
//
// The list (with the table of names that have suffixes under them) is most of corsica's weight and
// only a subdomain pattern (or `audit`) asks about it, so it is loaded on the first question, once,
// synchronously (a configuration is validated when the middleware is created, and that stays
// synchronous): required from the file beside this one (public-suffix-list.cjs), or taken from
// globalThis where a bundle registered it.

import type { getPublicSuffix, parse } from 'tldts';

interface SuffixList {
  readonly getPublicSuffix: typeof getPublicSuffix;
  readonly parse: typeof parse;
  /** src/syntax/public-suffix-parents.ts: a name with suffixes under it, then the shortest, a line each. */
  readonly SUFFIX_PARENTS: string;
}

/** Where public-suffix-list.cjs leaves the list (it exports nothing); a global, so every copy of corsica shares it. */
const REGISTERED = Symbol.for('corsica.publicSuffixList');

let list: SuffixList | undefined;

function registered(): SuffixList | undefined {
  const found = (globalThis as Record<symbol, unknown>)[REGISTERED] as SuffixList | undefined;
  // A copy of corsica from before `parse` was registered left a list without it: load ours instead.
  return typeof found?.getPublicSuffix === 'function' && typeof found.parse === 'function'
    ? found
    : undefined;
}

function load(): SuffixList {
  const already = registered();
  if (already !== undefined) return already;
  // Node, Bun and Deno: require the file beside this module. process.getBuiltinModule rather
  // than an import of node:module, which would stop this module loading on edge runtimes.
  const nodeModule = globalThis.process?.getBuiltinModule?.('node:module');
  let cause: unknown;
  if (nodeModule !== undefined) {
    try {
      nodeModule.createRequire(import.meta.url)('./public-suffix-list.cjs');
    } catch (err) {
      cause = err;
    }
    const loaded = registered();
    if (loaded !== undefined) return loaded;
  }
  throw new Error(
    "corsica: a subdomain pattern is checked against the Public Suffix List, which this runtime cannot load on demand (an app bundled for an edge runtime or a browser has no file to load it from). Add `import 'corsica/public-suffix-list';` to the app, before the CORS options are given: the bundle then carries the list.",
    { cause },
  );
}

/** True when `host` is itself a public suffix, private section included. */
export function isPublicSuffix(host: string): boolean {
  // `localhost` has no registrable names under it: `*.localhost` is the developer's own machine.
  if (host === 'localhost') return false;
  list ??= load();
  return list.getPublicSuffix(host, { allowPrivateDomains: true }) === host;
}

/**
 * True when `host` is a name the public internet can reach: under a suffix of the list's ICANN
 * section, with a label of its own above it (`api.example.com`, not `com`, `intranet.corp` or
 * `printer.local`).
 */
export function isIcannRegistrable(host: string): boolean {
  list ??= load();
  const parsed = list.parse(host);
  return parsed.isIcann === true && parsed.domain !== null;
}

/** Name → the shortest public suffix under it (relative), read from SUFFIX_PARENTS when first asked. */
let parents: Map<string, string> | null = null;

function suffixParents(): Map<string, string> {
  if (parents === null) {
    parents = new Map();
    list ??= load();
    for (const line of list.SUFFIX_PARENTS.split('\n')) {
      const space = line.indexOf(' ');
      parents.set(line.slice(0, space), line.slice(space + 1));
    }
  }
  return parents;
}

/**
 * A public suffix at or below `host`: `host` itself when it is one, else the shortest one under it
 * (`amazonaws.com` → `s3.amazonaws.com`, a wildcard rule as `*.compute.example`), else null.
 */
export function publicSuffixAtOrBelow(host: string): string | null {
  if (isPublicSuffix(host)) return host;
  const below = suffixParents().get(host);
  return below === undefined ? null : `${below}.${host}`;
}
