// The configuration a fix gives the server: what its answers showed (granted.ts) plus what the
// request needs. Pasted alone in place of the server's configuration, it keeps the origins,
// credentials, methods, headers, exposed headers and max-age the answers showed, and allows the
// request. Data only: options-text.ts writes it for each tool.

import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import type { AdviceContext } from './granted.js';
import type { NameList, OptionsSpec } from './options-text.js';

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
 * server's list (or its absence); otherwise the needed names stand with a comment, `rest`, for the
 * others. Undefined: not written (the answers showed none, and the request needs none).
 */
function list(
  shown: readonly string[],
  needed: readonly string[],
  known: boolean,
  caseSensitive: boolean,
  rest: string,
): NameList | undefined {
  if (known || shown.length > 0) {
    const names = union([shown, needed], caseSensitive);
    return names.length === 0 ? undefined : { names };
  }
  return needed.length === 0 ? undefined : { names: needed, rest };
}

const METHODS_REST = 'the methods you allow now';
const HEADERS_REST = 'the headers you allow now';

/** The origins an Access-Control-Allow-Origin value names that a browser could match ('*' and 'null' aside). */
function namedOrigins(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '*' && v !== 'null' && parseSerializedOrigin(v) !== null);
}

/** The complete configuration for a failure in context, with `needs` added. */
export function fixConfig(ctx: AdviceContext, needs: FixNeeds = {}): OptionsSpec {
  const g = ctx.granted;
  const credentials = ctx.credentialed || g?.credentials === true;
  // `*` is literal with credentials, so it is kept only without them.
  const wildcard = (on: boolean | undefined) => (on === true && !credentials ? ['*'] : []);
  const values = (g?.origins ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  const origin: OptionsSpec['origin'] =
    !credentials && values.includes('*')
      ? '*'
      : { names: union([namedOrigins(values), [ctx.origin]], true), rest: 'any other origins you allow' };
  const known = g?.preflightAnswered === true;
  const neededMethods = union(
    [SAFELISTED_METHODS.has(ctx.method) ? [] : [ctx.method], needs.methods ?? []],
    true,
  );
  const methods =
    needs.unreadable === 'methods'
      ? list([], neededMethods, false, true, METHODS_REST)
      : list(
          [...(ctx.allowedMethods ?? []), ...wildcard(g?.methodsWildcard)],
          neededMethods,
          known,
          true,
          METHODS_REST,
        );
  const neededHeaders = union([ctx.requestHeaders ?? [], needs.headers ?? []]);
  // A server that echoes the requested headers allows whatever is asked: nothing to write, unless
  // it refused one anyway.
  const allowedHeaders =
    needs.unreadable === 'headers'
      ? list([], neededHeaders, false, false, HEADERS_REST)
      : g?.reflectsHeaders === true && (needs.headers ?? []).length === 0
        ? undefined
        : list(
            [...(ctx.allowedHeaders ?? []), ...wildcard(g?.headersWildcard)],
            neededHeaders,
            known,
            false,
            HEADERS_REST,
          );
  const exposed = [...(g?.exposed ?? []), ...wildcard(g?.exposedWildcard)];
  return {
    origin,
    ...(credentials ? { credentials } : {}),
    ...(methods === undefined ? {} : { methods }),
    ...(allowedHeaders === undefined ? {} : { allowedHeaders }),
    ...(exposed.length === 0 ? {} : { exposedHeaders: { names: exposed } }),
    ...(g?.maxAge == null ? {} : { maxAge: g.maxAge }),
  };
}
