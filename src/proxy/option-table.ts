// The proxy's options, one row each: the one place that says what an option is called, what it
// takes, its default, what it means and how its value is checked. Everything else is made from
// this table: the `ProxyOptions` type (src/proxy/proxy-options.ts, written by
// scripts/proxy-options.ts), the defaults and validation (src/proxy/options.ts), the command's
// flags, `CORSICA_*` variables and config-file keys (src/cli/proxy.ts, proxy-command.ts), the help
// page at `/` (src/proxy/help.ts) and the table of options in docs/proxy.md (held to this table by
// test/proxy/option-table.test.ts).
//
// Texts name other options as {camelCase}: each place writes them its own way (`--allow-origin`
// on the command line and in docs/proxy.md, `allowOrigin` in the type), and may use `code` quotes.

import {
  allowedOrigins,
  authorities,
  deniedOrigins,
  hostPatterns,
  type OptionParser,
  privateTargetRules,
  publicBase,
  rateLimit,
  rateLimitByOrigin,
  redisUrl,
  requiredHeaders,
} from './option-parsers.js';
import type { ResolvedProxyConfig } from './options.js';

/**
 * How a value is written: `list` and `files` are repeatable flags, comma-separated in a variable
 * and arrays in a config file; `files` are paths on the command line and in a config file, and
 * the files' contents (PEM text) in `ProxyOptions`.
 */
export type OptionKind = 'string' | 'number' | 'list' | 'files';

export interface OptionRow {
  readonly kind: OptionKind;
  /** The flag's argument, as `--help` shows it: `<origin>`. */
  readonly arg: string;
  /** What applies when the option is not given (none: the option is off). */
  readonly default?: string | number | readonly string[];
  /** The default in words, where its value alone does not say it (`any`, `from Host`). */
  readonly shown?: string;
  /** One line: what the option does (`--help`, then docs/proxy.md and the type go on with `more`). */
  readonly help: string;
  /** The rest of its meaning, in sentences, for docs/proxy.md and the type. */
  readonly more?: string;
  /** Numbers: the whole numbers allowed, both ends included. */
  readonly range?: readonly [number, number];
  /** A list given as this one word is empty: it turns a default list off. */
  readonly emptyWord?: string;
  /**
   * Checks the value given (or the default) and turns it into what the proxy uses; numbers are
   * checked against `range`, and text without a parser is taken as given.
   */
  readonly parse?: OptionParser<unknown>;
  /** Its line on the help page at `/`, which anyone can read: never an internal address. */
  readonly page?: (config: ResolvedProxyConfig) => string;
}

const MiB = 1024 * 1024;
const LARGEST = Number.MAX_SAFE_INTEGER;

export const PROXY_OPTIONS = {
  host: { kind: 'string', arg: '<host>', default: '127.0.0.1', help: 'address to listen on' },
  port: {
    kind: 'number',
    arg: '<port>',
    default: 8080,
    range: [0, 65535],
    help: 'port to listen on; 0 picks a free one',
  },
  allowOrigin: {
    kind: 'list',
    arg: '<origin>',
    default: ['*'],
    shown: 'any',
    help: 'origins whose pages may use the proxy, exact or patterns (`https://*.example.com`)',
    parse: allowedOrigins,
    page: (c) =>
      `Pages from: ${c.cors.origin === '*' ? 'any origin' : (c.cors.origin as string[]).join(', ')}`,
  },
  denyOrigin: {
    kind: 'list',
    arg: '<origin>',
    help: 'origins refused even when {allowOrigin} would let them in',
    parse: deniedOrigins,
  },
  allowTarget: {
    kind: 'list',
    arg: '<host>',
    shown: 'any public host',
    help: 'target host patterns served: `api.example.com`, `*.example.com`',
    parse: hostPatterns,
  },
  denyTarget: { kind: 'list', arg: '<host>', help: 'target host patterns never served', parse: hostPatterns },
  allowPrivateTarget: {
    kind: 'list',
    arg: '<target>',
    help: 'a private address the proxy may reach after all: host[:port], [ipv6][:port] or CIDR',
    more: 'For local development.',
    parse: privateTargetRules,
    page: (c) =>
      `Private, loopback and cloud-metadata addresses are never contacted${c.privateTargets.length > 0 ? ' (except a few the operator named, which are not listed here)' : ''}.`,
  },
  requireHeader: {
    kind: 'list',
    arg: '<name>',
    default: ['origin'],
    emptyWord: 'none',
    help: "headers of which a request must carry at least one, or 'none'",
    more: "As cors-anywhere's `requireHeader`: by default pages may use the proxy, not scripts.",
    parse: requiredHeaders,
    page: (c) =>
      `Required request headers: ${c.requireHeader.length === 0 ? 'none' : `one of ${c.requireHeader.join(', ')}`}`,
  },
  rateLimit: {
    kind: 'string',
    arg: '<rate>',
    default: '600/1m',
    help: "requests per client address and window, e.g. `600/1m`, `100/30s`, or 'off'",
    parse: rateLimit,
    page: (c) =>
      `Rate limit: ${c.rateLimit === null ? 'no rate limit' : `${c.rateLimit.points} requests per ${c.rateLimit.seconds} s per client`}`,
  },
  rateLimitByOrigin: {
    kind: 'string',
    arg: '<rate>',
    shown: 'off',
    help: 'a narrower limit per client address and Origin, on top of {rateLimit}, e.g. `100/1m`',
    more: "An Origin can only narrow a client's share, never open a new one.",
    parse: rateLimitByOrigin,
  },
  trustProxy: {
    kind: 'number',
    arg: '<hops>',
    default: 0,
    range: [0, 16],
    help: 'trust X-Forwarded-For from this many proxies in front',
    more: "The client address then comes from X-Forwarded-For, and the address the proxy was reached at from X-Forwarded-Host and -Proto; 0 uses the socket's address.",
  },
  ipv6Prefix: {
    kind: 'number',
    arg: '<bits>',
    default: 64,
    range: [1, 128],
    help: 'IPv6 clients count by this many leading bits in rate limits and connection caps',
    more: 'One subscriber holds a /64; 128 counts each address alone.',
  },
  redis: {
    kind: 'string',
    arg: '<url>',
    help: 'share rate limits between instances through Redis (`redis://host:6379`)',
    parse: redisUrl,
  },
  maxRequestBytes: {
    kind: 'number',
    arg: '<n>',
    default: 10 * MiB,
    shown: '10485760 = 10 MiB',
    range: [0, LARGEST],
    help: 'largest request body forwarded',
    more: 'A body is read whole before an upstream connection is taken, so that a slow uploader never holds one.',
    page: (c) => `Largest request body: ${c.maxRequestBytes} bytes`,
  },
  maxBufferedBytes: {
    kind: 'number',
    arg: '<n>',
    default: 128 * MiB,
    shown: '134217728 = 128 MiB',
    range: [0, LARGEST],
    help: 'memory for request bodies being read, all requests together',
    more: 'A body is held from its first byte to the end of its answer; an upload past the budget is answered 503 `request-buffers-full`. At least {maxRequestBytes}.',
  },
  maxResponseBytes: {
    kind: 'number',
    arg: '<n>',
    default: 100 * MiB,
    shown: '104857600 = 100 MiB',
    range: [0, LARGEST],
    help: 'largest response body forwarded',
    more: 'Longer ones are cut.',
    page: (c) => `Largest response body: ${c.maxResponseBytes} bytes`,
  },
  timeout: {
    kind: 'number',
    arg: '<ms>',
    default: 30_000,
    range: [100, 600_000],
    help: 'the longest any wait may last, in milliseconds',
    more: "It bounds a client's request headers, connecting, a free upstream connection, the response headers, a pause in the upload (then 408) or in the upstream's body, a client that reads nothing (then cut), an idle upstream socket.",
  },
  maxDuration: {
    kind: 'number',
    arg: '<ms>',
    default: 300_000,
    range: [1000, 86_400_000],
    help: 'the longest whole exchange, redirects included, in milliseconds',
    more: 'Then 504, or a cut once the answer has started; also the longest a client may take to send its request.',
  },
  publicUrl: {
    kind: 'string',
    arg: '<url>',
    shown: 'from Host',
    help: "the proxy's address as clients use it, for redirects handed back",
    more: 'Without it: `Host`, and `X-Forwarded-Proto`/`-Host` with {trustProxy}.',
    parse: publicBase,
  },
  maxRedirects: {
    kind: 'number',
    arg: '<n>',
    default: 0,
    range: [0, 20],
    help: 'redirects followed on the server; 0 hands them back, rewritten through the proxy',
  },
  cookies: {
    kind: 'list',
    arg: '<host>',
    help: 'target host patterns for which Cookie and Set-Cookie pass, readable by the {allowOrigin} pages',
    more: 'Their answers carry `Access-Control-Allow-Credentials: true` for those origins, so {allowOrigin} is required with it; a request with cookies to any other target is refused.',
    parse: hostPatterns,
    page: (c) =>
      `Cookies are ${c.cookies.length === 0 ? 'never forwarded in either direction' : 'forwarded only for the configured targets'}.`,
  },
  maxConnections: {
    kind: 'number',
    arg: '<n>',
    default: 128,
    range: [1, 65536],
    help: 'upstream connections per target origin',
    more: 'A request waits for one at most {timeout}, then gets 503 `upstream-busy`.',
  },
  maxClientConnections: {
    kind: 'number',
    arg: '<n>',
    default: 64,
    range: [0, 65536],
    help: 'open connections to the proxy per client address; 0: no cap',
    more: 'Counted per {ipv6Prefix} for IPv6. A connection past it gets one 503 `too-many-connections` with `Retry-After: 1` and the CORS headers, then closes; one past twice it closes at once. Not applied with {trustProxy}, where the proxies in front hold the connections.',
  },
  corsMaxAge: {
    kind: 'number',
    arg: '<seconds>',
    default: 600,
    range: [-1, 86400],
    help: "how long browsers may cache the proxy's preflight answers, in seconds",
  },
  upstreamCa: {
    kind: 'files',
    arg: '<file>',
    shown: 'system authorities',
    help: 'a PEM certificate authority trusted for HTTPS targets, besides the system ones',
    more: "A file on the command line and in a config file; its PEM text in `createProxy`'s options.",
    parse: authorities,
  },
} as const satisfies Record<string, OptionRow>;

export type ProxyOptionKey = keyof typeof PROXY_OPTIONS;

/** The rows, in the table's order (the order of `--help`, docs/proxy.md and the type). */
export const OPTION_ROWS = Object.entries(PROXY_OPTIONS) as [ProxyOptionKey, OptionRow][];

/** Lists repeat: a flag given again adds to them (as do commas), and a config file gives an array. */
export const repeats = (row: OptionRow): boolean => row.kind === 'list' || row.kind === 'files';

/** `allowOrigin` → `--allow-origin`. */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `allowOrigin` → `CORSICA_ALLOW_ORIGIN`. */
export const envOf = (key: string): string =>
  `CORSICA_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The default in words: `shown`, else the value itself; undefined when there is none. */
export function defaultText(row: OptionRow): string | undefined {
  if (row.shown !== undefined) return row.shown;
  if (row.default === undefined) return undefined;
  return Array.isArray(row.default) ? row.default.join(', ') : String(row.default);
}

/** An option's line in --help: what it does, then whether it repeats and its default. */
export function helpLine(row: OptionRow): string {
  const shown = defaultText(row);
  const notes = [
    ...(repeats(row) ? ['repeatable'] : []),
    ...(shown === undefined ? [] : [`default ${shown}`]),
  ];
  const text = words(row.help, flagOf, false);
  return notes.length === 0 ? text : `${text} (${notes.join('; ')})`;
}

/** The flag that is not an option: the config file the others may come from. */
export const CONFIG_FLAG = {
  flag: '--config',
  arg: '<file>',
  help: 'a JSON file of options (camelCase keys); environment variables override it, and flags override both',
} as const;

/**
 * A row's text for one place: each {option} as that place names it, and `code` quotes kept, or
 * dropped for a terminal, which would print them as they are.
 */
export function words(text: string, name: (key: string) => string, quotes: boolean): string {
  const named = text.replace(/\{(\w+)\}/g, (_, key: string) => name(key));
  return quotes ? named : named.replaceAll('`', '');
}
