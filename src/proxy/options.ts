// The proxy's options, validated in the policy's style: every problem reported at start-up, each
// with a fix. Flags, environment variables and config files all end up here. What each option is,
// its default and its parser are a row of src/proxy/option-table.ts; this file runs the rows and
// then checks the options against each other.

import type { CorsOptions, ProblemCode } from '../policy/types.js';
import { DEFAULT_METHODS } from '../policy/validate.js';
import type { PrivateTargetRule, Resolver } from './addresses.js';
import type { ProxyProblemCode } from './codes.js';
import { type RateLimit, wholeNumber } from './option-parsers.js';
import { OPTION_ROWS, PROXY_OPTIONS, type ProxyOptionKey } from './option-table.js';
import type { ProxyOptions } from './proxy-options.js';
import type { HostPattern } from './target.js';

export type { RateLimit } from './option-parsers.js';
export type { ProxyOptions } from './proxy-options.js';

export interface ProxyProblem {
  /** From a closed set: the proxy's own codes (src/proxy/codes.ts), or a policy code for allowOrigin. */
  readonly code: ProxyProblemCode | ProblemCode;
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** Configurations that cannot work, all listed. */
export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
  constructor(readonly problems: readonly ProxyProblem[]) {
    super(
      `Invalid proxy configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p.path}: ${p.message} Fix: ${p.fix}`)
        .join('\n')}`,
    );
  }
}

export interface ResolvedProxyConfig {
  readonly host: string;
  readonly port: number;
  readonly cors: CorsOptions;
  readonly denyOrigin: ReadonlySet<string>;
  readonly allowTarget: readonly HostPattern[];
  readonly denyTarget: readonly HostPattern[];
  readonly privateTargets: readonly PrivateTargetRule[];
  readonly requireHeader: readonly string[];
  readonly rateLimit: RateLimit | null;
  readonly rateLimitByOrigin: RateLimit | null;
  readonly trustProxy: number;
  readonly ipv6Prefix: number;
  readonly redis: string | null;
  readonly maxRequestBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxResponseBytes: number;
  readonly timeout: number;
  readonly maxDuration: number;
  readonly publicUrl: string | null;
  readonly maxRedirects: number;
  readonly cookies: readonly HostPattern[];
  readonly maxConnections: number;
  readonly maxClientConnections: number;
  readonly upstreamCa: readonly string[];
  readonly resolver: Resolver | undefined;
}

/** Problems between options, each fine alone. */
function crossProblems(problems: ProxyProblem[], config: ResolvedProxyConfig, options: ProxyOptions): void {
  if (config.maxBufferedBytes < config.maxRequestBytes)
    problems.push({
      code: 'PROXY_BUFFER_TOO_SMALL',
      path: 'maxBufferedBytes',
      message: `is ${config.maxBufferedBytes} bytes, less than maxRequestBytes (${config.maxRequestBytes}): the largest allowed body could never be read.`,
      fix: `Raise maxBufferedBytes to at least ${config.maxRequestBytes}, or lower maxRequestBytes.`,
    });
  if (config.cookies.length > 0 && config.cors.origin === '*')
    problems.push({
      code: 'PROXY_COOKIES_WITHOUT_ALLOW_ORIGIN',
      path: 'cookies',
      message: `passes the browser's cookies to ${options.cookies?.join(', ')}, and allowOrigin is any origin: a credentialed answer can only be read by a page whose origin is named, and any site could send your users' cookies through the proxy (cross-site request forgery).`,
      fix: "Name the pages that may send cookies: allowOrigin: ['https://app.example.com'] (--allow-origin).",
    });
  if ((options.rateLimit ?? PROXY_OPTIONS.rateLimit.default) !== 'off') return;
  if (config.rateLimitByOrigin !== null)
    problems.push({
      code: 'PROXY_RATE_LIMIT_OFF',
      path: 'rateLimitByOrigin',
      message: 'narrows the per-address limit, and rateLimit is off.',
      fix: "Set rateLimit (e.g. '600/1m') or drop rateLimitByOrigin.",
    });
  if (config.redis !== null)
    problems.push({
      code: 'PROXY_RATE_LIMIT_OFF',
      path: 'redis',
      message: 'Redis is only used for rate limits, and rateLimit is off.',
      fix: "Set rateLimit (e.g. '600/1m') or drop redis.",
    });
}

/** Each option as its row parses it: numbers within their range, text as given, the others by their parser. */
type ParsedOptions = {
  [K in ProxyOptionKey]: (typeof PROXY_OPTIONS)[K] extends { parse: (...args: never[]) => infer T }
    ? T
    : (typeof PROXY_OPTIONS)[K] extends { kind: 'number' }
      ? number
      : string;
};

/** Runs every row over the options given, in the table's order; a missing option takes its default. */
function parseAll(options: ProxyOptions, problems: ProxyProblem[]): ParsedOptions {
  const parsed: Record<string, unknown> = {};
  for (const [key, row] of OPTION_ROWS) {
    const given: unknown = options[key];
    if (row.kind === 'number')
      parsed[key] = wholeNumber(problems, key, given, row.default as number, row.range!);
    else if (row.parse === undefined) parsed[key] = given ?? row.default;
    else parsed[key] = row.parse((given ?? row.default) as never, problems, key);
  }
  return parsed as ParsedOptions;
}

/** Validates options; `config` is null when any problem is found. */
export function resolveProxyOptions(options: ProxyOptions): {
  config: ResolvedProxyConfig | null;
  problems: ProxyProblem[];
} {
  const problems: ProxyProblem[] = [];
  const { allowOrigin, corsMaxAge, allowPrivateTarget, ...same } = parseAll(options, problems);
  const config: ResolvedProxyConfig = {
    ...same,
    cors: { origin: allowOrigin, methods: DEFAULT_METHODS, maxAge: corsMaxAge },
    privateTargets: allowPrivateTarget,
    resolver: options.resolver,
  };
  crossProblems(problems, config, options);
  return { config: problems.length === 0 ? config : null, problems };
}
