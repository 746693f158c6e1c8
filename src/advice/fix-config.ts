// The configuration a fix gives the server: what its answers showed (granted.ts) plus what the
// request needs. Pasted alone in place of the server's configuration, it keeps the origins,
// credentials, methods, headers, exposed headers and max-age the answers showed, and allows the
// request. Data only: src/advice/fixes.ts, the one writer of fix text, writes it for each tool.

import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import type { AdviceContext } from './granted.js';

/** A list to write, and whether the server may allow more than the answers showed (then a comment says so). */
export interface FixList {
  readonly names: readonly string[];
  readonly partial: boolean;
}

export interface FixConfig {
  /** `'*'`, or the origins to allow: those the answers named, then the page's. */
  readonly origin: '*' | FixList;
  readonly credentials: boolean;
  /** null: not written (the answers showed none, and the request needs none). */
  readonly methods: FixList | null;
  readonly allowedHeaders: FixList | null;
  readonly exposedHeaders: readonly string[] | null;
  readonly maxAge: string | null;
}

/** What the request needs beyond the context's own method and headers (a name a message quoted). */
export interface FixNeeds {
  readonly methods?: readonly string[];
  readonly headers?: readonly string[];
  /** The answers' list of that name could not be parsed: it is not the server's to keep. */
  readonly unreadable?: 'methods' | 'headers';
}

/** Methods a browser never preflights for (https://fetch.spec.whatwg.org/#cors-safelisted-method): always allowed. */
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** The names of both lists, each once, first spelling kept; header names compare case-insensitively. */
function union(lists: readonly (readonly string[])[], caseSensitive = false): string[] {
  const seen = new Map<string, string>();
  for (const list of lists)
    for (const name of list) {
      const key = caseSensitive ? name : name.toLowerCase();
      if (!seen.has(key)) seen.set(key, name);
    }
  return [...seen.values()];
}

/**
 * A list option: what the answers showed plus what is needed. `known`: the answers showed the
 * server's list (or its absence); otherwise the needed names stand with a comment for the others.
 */
function list(
  shown: readonly string[],
  needed: readonly string[],
  known: boolean,
  caseSensitive: boolean,
): FixList | null {
  if (known || shown.length > 0) {
    const names = union([shown, needed], caseSensitive);
    return names.length === 0 ? null : { names, partial: false };
  }
  return needed.length === 0 ? null : { names: needed, partial: true };
}

/** The origins an Access-Control-Allow-Origin value names that a browser could match ('*' and 'null' aside). */
function namedOrigins(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '*' && v !== 'null' && parseSerializedOrigin(v) !== null);
}

/** The complete configuration for a failure in context, with `needs` added. */
export function fixConfig(ctx: AdviceContext, needs: FixNeeds = {}): FixConfig {
  const g = ctx.granted;
  const credentials = ctx.credentialed || g?.credentials === true;
  // `*` is literal with credentials, so it is kept only without them.
  const wildcard = (on: boolean | undefined) => (on === true && !credentials ? ['*'] : []);
  const values = (g?.origins ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  const origin: FixConfig['origin'] =
    !credentials && values.includes('*')
      ? '*'
      : { names: union([namedOrigins(values), [ctx.origin]], true), partial: true };
  const known = g?.preflightAnswered === true;
  const neededMethods = union(
    [SAFELISTED_METHODS.has(ctx.method) ? [] : [ctx.method], needs.methods ?? []],
    true,
  );
  const methods =
    needs.unreadable === 'methods'
      ? list([], neededMethods, false, true)
      : list([...(ctx.allowedMethods ?? []), ...wildcard(g?.methodsWildcard)], neededMethods, known, true);
  const neededHeaders = union([ctx.requestHeaders ?? [], needs.headers ?? []]);
  // A server that echoes the requested headers allows whatever is asked: nothing to write, unless
  // it refused one anyway.
  const allowedHeaders =
    needs.unreadable === 'headers'
      ? list([], neededHeaders, false, false)
      : g?.reflectsHeaders === true && (needs.headers ?? []).length === 0
        ? null
        : list([...(ctx.allowedHeaders ?? []), ...wildcard(g?.headersWildcard)], neededHeaders, known, false);
  const exposed = [...(g?.exposed ?? []), ...wildcard(g?.exposedWildcard)];
  return {
    origin,
    credentials,
    methods,
    allowedHeaders,
    exposedHeaders: exposed.length === 0 ? null : exposed,
    maxAge: g?.maxAge ?? null,
  };
}
