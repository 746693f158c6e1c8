// The Public Suffix List (ICANN and private sections), through tldts: hosts under which anyone can
// register a domain (`com`, `co.uk`) or publish a site (`github.io`, `vercel.app`, `pages.dev`).
// A subdomain pattern on such a base trusts strangers; jub0bs/cors refuses these the same way.
//
// The list is most of corsica's weight and only a subdomain pattern (or `audit`) asks about it, so
// it is loaded on the first question, once, synchronously (a configuration is validated when the
// middleware is created, and that stays synchronous): required from the file beside this one
// (public-suffix-list.cjs), or taken from globalThis where a bundle registered it.

import type { getPublicSuffix } from 'tldts';

type Lookup = typeof getPublicSuffix;

/** Where public-suffix-list.cjs leaves the list; a global, so every copy of corsica shares it. */
const REGISTERED = Symbol.for('corsica.publicSuffixList');

let lookup: Lookup | undefined;

function registered(): Lookup | undefined {
  const found = (globalThis as Record<symbol, unknown>)[REGISTERED];
  return typeof found === 'function' ? (found as Lookup) : undefined;
}

function load(): Lookup {
  const already = registered();
  if (already !== undefined) return already;
  // Node, Bun and Deno: require the file beside this module. process.getBuiltinModule rather
  // than an import of node:module, which would stop this module loading on edge runtimes.
  const nodeModule = globalThis.process?.getBuiltinModule?.('node:module');
  let cause: unknown;
  if (nodeModule !== undefined) {
    try {
      return (
        nodeModule.createRequire(import.meta.url)('./public-suffix-list.cjs') as { getPublicSuffix: Lookup }
      ).getPublicSuffix;
    } catch (err) {
      cause = err;
    }
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
  lookup ??= load();
  return lookup(host, { allowPrivateDomains: true }) === host;
}
