// The proxy's options: defaults, and validation in the policy's style (every problem reported at
// start-up, each with a fix). Flags, environment variables and config files all end up here.

import type { CorsOptions, ProblemCode } from '../policy/types.js';
import { DEFAULT_METHODS } from '../policy/validate.js';
import { parseSerializedOrigin } from '../spec/origin-syntax.js';
import { isToken } from '../spec/tokens.js';
import { type PrivateTargetRule, parsePrivateTarget, type Resolver } from './addresses.js';
import type { ProxyProblemCode } from './codes.js';
import type { ProxyOptions } from './proxy-options.js';
import { type HostPattern, parseHostPattern } from './target.js';

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

export interface RateLimit {
  readonly points: number;
  readonly seconds: number;
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

const UNITS: Readonly<Record<string, number>> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400 };

/** `600/1m`, `100/30s`, `5000/h`: points per window. */
export function parseRateLimit(text: string): RateLimit | null {
  const m = /^\s*(\d+)\s*\/\s*(\d*)\s*([a-z]+)\s*$/i.exec(text);
  if (m === null) return null;
  const unit = UNITS[m[3]!.toLowerCase()];
  const points = Number(m[1]);
  const seconds = (m[2] === '' ? 1 : Number(m[2])) * (unit ?? 0);
  return unit === undefined || points < 1 || seconds < 1 ? null : { points, seconds };
}

const MiB = 1024 * 1024;

function wholeNumber(
  problems: ProxyProblem[],
  path: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({
      code: 'PROXY_NUMBER_INVALID',
      path,
      message: `must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`,
      fix: `Write e.g. ${path}: ${fallback}.`,
    });
    return fallback;
  }
  return value;
}

/**
 * Each value parsed, in order; a value the parser refuses (it returns why, as a string) becomes a
 * problem at `path[i]` with that reason and the fix, instead of a value.
 */
function parseEach<T extends object>(
  problems: ProxyProblem[],
  where: { path: string; code: ProxyProblem['code']; fix: string },
  values: readonly string[] | undefined,
  parse: (text: string) => T | string,
): T[] {
  const out: T[] = [];
  for (const [i, v] of (values ?? []).entries()) {
    const parsed = parse(String(v));
    if (typeof parsed === 'string')
      problems.push({ code: where.code, path: `${where.path}[${i}]`, message: `${parsed}.`, fix: where.fix });
    else out.push(parsed);
  }
  return out;
}

function patterns(
  problems: ProxyProblem[],
  path: string,
  values: readonly string[] | undefined,
): HostPattern[] {
  const where = {
    path,
    code: 'PROXY_HOST_PATTERN_INVALID',
    fix: 'Use a host name, optionally starting with *.',
  } as const;
  return parseEach(problems, where, values, parseHostPattern);
}

/** `--deny-origin` values: origins as browsers send them, or they would never match (and never deny). */
function deniedOrigins(problems: ProxyProblem[], values: readonly string[] | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const [i, value] of (values ?? []).entries()) {
    const text = String(value);
    if (text === 'null' || parseSerializedOrigin(text) !== null) out.add(text);
    else
      problems.push({
        code: 'PROXY_ORIGIN_INVALID',
        path: `denyOrigin[${i}]`,
        message: `'${text}' is not an origin as browsers send it (scheme://host[:port], lower case, no path or trailing slash), so it would never be denied.`,
        fix: 'Write e.g. https://evil.example.',
      });
  }
  return out;
}

/** `--public-url`: an http(s) URL without query or fragment, kept with a trailing slash. */
function publicBase(problems: ProxyProblem[], text: string | undefined): string | null {
  if (text === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(String(text));
  } catch {
    url = null;
  }
  if (url === null || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    problems.push({
      code: 'PROXY_PUBLIC_URL_INVALID',
      path: 'publicUrl',
      message: `'${text}' is not an http(s) URL without query or fragment.`,
      fix: 'Write the address clients use, e.g. https://cors.example.com/.',
    });
    return null;
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function privateTargetRules(
  problems: ProxyProblem[],
  values: readonly string[] | undefined,
): PrivateTargetRule[] {
  const where = {
    path: 'allowPrivateTarget',
    code: 'PROXY_PRIVATE_TARGET_INVALID',
    fix: 'Write e.g. localhost:3000, 10.0.0.0/8 or [::1]:8080.',
  } as const;
  return parseEach(problems, where, values, parsePrivateTarget);
}

/** The per-address limit and the narrower per-Origin one (which only narrows, never opens). */
function rateLimits(
  problems: ProxyProblem[],
  options: ProxyOptions,
): { rate: string; rateLimit: RateLimit | null; rateLimitByOrigin: RateLimit | null } {
  let rateLimit: RateLimit | null = null;
  const rate = options.rateLimit ?? '600/1m';
  if (rate !== 'off') {
    rateLimit = parseRateLimit(rate);
    if (rateLimit === null)
      problems.push({
        code: 'PROXY_RATE_LIMIT_INVALID',
        path: 'rateLimit',
        message: `'${rate}' is not <requests>/<window>.`,
        fix: "Write e.g. '600/1m', '100/30s', or 'off'.",
      });
  }
  let rateLimitByOrigin: RateLimit | null = null;
  const byOrigin: unknown = options.rateLimitByOrigin;
  if (byOrigin !== undefined && byOrigin !== false) {
    rateLimitByOrigin = typeof byOrigin === 'string' ? parseRateLimit(byOrigin) : null;
    if (rateLimitByOrigin === null)
      problems.push({
        code: 'PROXY_RATE_LIMIT_BY_ORIGIN_INVALID',
        path: 'rateLimitByOrigin',
        message: `is now a rate per address and Origin, applied on top of rateLimit (not ${JSON.stringify(byOrigin)}): keyed by Origin alone, invented Origins got fresh buckets.`,
        fix: "Write e.g. '100/1m' (a narrower share for each origin of one client), or drop it.",
      });
    else if (rate === 'off')
      problems.push({
        code: 'PROXY_RATE_LIMIT_OFF',
        path: 'rateLimitByOrigin',
        message: 'narrows the per-address limit, and rateLimit is off.',
        fix: "Set rateLimit (e.g. '600/1m') or drop rateLimitByOrigin.",
      });
  }
  return { rate, rateLimit, rateLimitByOrigin };
}

function redisProblems(problems: ProxyProblem[], redis: string | undefined, rate: string): void {
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) {
    problems.push({
      code: 'PROXY_REDIS_URL_INVALID',
      path: 'redis',
      message: `'${redis}' is not a redis:// or rediss:// URL.`,
      fix: 'Write e.g. redis://127.0.0.1:6379.',
    });
  }
  if (redis !== undefined && rate === 'off') {
    problems.push({
      code: 'PROXY_RATE_LIMIT_OFF',
      path: 'redis',
      message: 'Redis is only used for rate limits, and rateLimit is off.',
      fix: "Set rateLimit (e.g. '600/1m') or drop redis.",
    });
  }
}

/** `--require-header` names, lower case; any one of them will do. */
function requiredHeaders(problems: ProxyProblem[], values: readonly string[] | undefined): string[] {
  const names = (values ?? ['origin']).map((h) => String(h).trim().toLowerCase()).filter((h) => h !== '');
  for (const [i, h] of names.entries()) {
    if (!isToken(h))
      problems.push({
        code: 'PROXY_HEADER_NAME_INVALID',
        path: `requireHeader[${i}]`,
        message: `'${h}' is not a header name.`,
        fix: 'Write e.g. origin or x-requested-with.',
      });
  }
  return names;
}

function authorityProblems(problems: ProxyProblem[], pems: readonly string[] | undefined): void {
  for (const [i, pem] of (pems ?? []).entries()) {
    if (!String(pem).includes('-----BEGIN CERTIFICATE-----')) {
      problems.push({
        code: 'PROXY_CA_INVALID',
        path: `upstreamCa[${i}]`,
        message: 'is not a PEM certificate.',
        fix: 'Give the contents of a .pem file (-----BEGIN CERTIFICATE----- ...).',
      });
    }
  }
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
}

/** Validates options; `config` is null when any problem is found. */
export function resolveProxyOptions(options: ProxyOptions): {
  config: ResolvedProxyConfig | null;
  problems: ProxyProblem[];
} {
  const problems: ProxyProblem[] = [];
  const privateTargets = privateTargetRules(problems, options.allowPrivateTarget);
  const { rate, rateLimit, rateLimitByOrigin } = rateLimits(problems, options);
  const publicUrl = publicBase(problems, options.publicUrl);
  redisProblems(problems, options.redis, rate);
  const requireHeader = requiredHeaders(problems, options.requireHeader);
  authorityProblems(problems, options.upstreamCa);
  const allowOrigin = options.allowOrigin ?? ['*'];
  const config: ResolvedProxyConfig = {
    host: options.host ?? '127.0.0.1',
    port: wholeNumber(problems, 'port', options.port, 8080, 0, 65535),
    cors: {
      origin: allowOrigin.length === 1 && allowOrigin[0] === '*' ? '*' : [...allowOrigin],
      methods: DEFAULT_METHODS,
      maxAge: wholeNumber(problems, 'corsMaxAge', options.corsMaxAge, 600, -1, 86400),
    },
    denyOrigin: deniedOrigins(problems, options.denyOrigin),
    allowTarget: patterns(problems, 'allowTarget', options.allowTarget),
    denyTarget: patterns(problems, 'denyTarget', options.denyTarget),
    privateTargets,
    requireHeader,
    rateLimit,
    rateLimitByOrigin,
    trustProxy: wholeNumber(problems, 'trustProxy', options.trustProxy, 0, 0, 16),
    ipv6Prefix: wholeNumber(problems, 'ipv6Prefix', options.ipv6Prefix, 64, 1, 128),
    redis: options.redis ?? null,
    maxRequestBytes: wholeNumber(
      problems,
      'maxRequestBytes',
      options.maxRequestBytes,
      10 * MiB,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    maxBufferedBytes: wholeNumber(
      problems,
      'maxBufferedBytes',
      options.maxBufferedBytes,
      128 * MiB,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    maxResponseBytes: wholeNumber(
      problems,
      'maxResponseBytes',
      options.maxResponseBytes,
      100 * MiB,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    timeout: wholeNumber(problems, 'timeout', options.timeout, 30_000, 100, 600_000),
    maxDuration: wholeNumber(problems, 'maxDuration', options.maxDuration, 300_000, 1000, 86_400_000),
    publicUrl,
    maxRedirects: wholeNumber(problems, 'maxRedirects', options.maxRedirects, 0, 0, 20),
    cookies: patterns(problems, 'cookies', options.cookies),
    maxConnections: wholeNumber(problems, 'maxConnections', options.maxConnections, 128, 1, 65536),
    maxClientConnections: wholeNumber(
      problems,
      'maxClientConnections',
      options.maxClientConnections,
      64,
      0,
      65536,
    ),
    upstreamCa: options.upstreamCa ?? [],
    resolver: options.resolver,
  };
  crossProblems(problems, config, options);
  return { config: problems.length === 0 ? config : null, problems };
}
