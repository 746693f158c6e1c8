// How each proxy option's value is checked and turned into what the proxy uses, in the policy's
// style: a value that cannot work becomes a problem with its fix (all of them reported at
// start-up), never an exception. src/proxy/option-table.ts says which option each parser serves.

import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import { isToken } from '../syntax/tokens.js';
import { type PrivateTargetRule, parsePrivateTarget } from './addresses.js';
import type { ProxyProblem } from './options.js';
import { type HostPattern, parseHostPattern } from './target.js';

export interface RateLimit {
  readonly points: number;
  readonly seconds: number;
}

/** A parser: the value given (or the option's default), the list of problems, the option's path. */
export type OptionParser<T> = (value: never, problems: ProxyProblem[], path: string) => T;

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

export function wholeNumber(
  problems: ProxyProblem[],
  path: string,
  value: unknown,
  fallback: number,
  [min, max]: readonly [number, number],
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

/** `allowOrigin`: the policy's `origin`, '*' alone meaning any (the policy validates the origins). */
export const allowedOrigins = (values: readonly string[]): '*' | string[] =>
  values.length === 1 && values[0] === '*' ? '*' : [...values];

export function hostPatterns(
  values: readonly string[] | undefined,
  problems: ProxyProblem[],
  path: string,
): HostPattern[] {
  const where = {
    path,
    code: 'PROXY_HOST_PATTERN_INVALID',
    fix: 'Use a host name, optionally starting with *.',
  } as const;
  return parseEach(problems, where, values, parseHostPattern);
}

/** `--deny-origin` values: origins as browsers send them, or they would never match (and never deny). */
export function deniedOrigins(
  values: readonly string[] | undefined,
  problems: ProxyProblem[],
  path: string,
): ReadonlySet<string> {
  const where = { path, code: 'PROXY_ORIGIN_INVALID', fix: 'Write e.g. https://evil.example.' } as const;
  const parsed = parseEach(problems, where, values, (text) =>
    text === 'null' || parseSerializedOrigin(text) !== null
      ? { origin: text }
      : `'${text}' is not an origin as browsers send it (scheme://host[:port], lower case, no path or trailing slash), so it would never be denied`,
  );
  return new Set(parsed.map(({ origin }) => origin));
}

/** `--public-url`: an http(s) URL without query or fragment, kept with a trailing slash. */
export function publicBase(text: string | undefined, problems: ProxyProblem[], path: string): string | null {
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
      path,
      message: `'${text}' is not an http(s) URL without query or fragment.`,
      fix: 'Write the address clients use, e.g. https://cors.example.com/.',
    });
    return null;
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

export function privateTargetRules(
  values: readonly string[] | undefined,
  problems: ProxyProblem[],
  path: string,
): PrivateTargetRule[] {
  const where = {
    path,
    code: 'PROXY_PRIVATE_TARGET_INVALID',
    fix: 'Write e.g. localhost:3000, 10.0.0.0/8 or [::1]:8080.',
  } as const;
  return parseEach(problems, where, values, parsePrivateTarget);
}

/** `--rate-limit`: points per window and client address, or 'off' (null). */
export function rateLimit(rate: string, problems: ProxyProblem[], path: string): RateLimit | null {
  if (rate === 'off') return null;
  const limit = parseRateLimit(rate);
  if (limit === null)
    problems.push({
      code: 'PROXY_RATE_LIMIT_INVALID',
      path,
      message: `'${rate}' is not <requests>/<window>.`,
      fix: "Write e.g. '600/1m', '100/30s', or 'off'.",
    });
  return limit;
}

/**
 * `--rate-limit-by-origin`: the narrower per-Origin limit (which only narrows, never opens); a
 * boolean, its meaning in an earlier version, is refused with the reason it changed.
 */
export function rateLimitByOrigin(
  byOrigin: unknown,
  problems: ProxyProblem[],
  path: string,
): RateLimit | null {
  if (byOrigin === undefined || byOrigin === false) return null;
  const limit = typeof byOrigin === 'string' ? parseRateLimit(byOrigin) : null;
  if (limit === null)
    problems.push({
      code: 'PROXY_RATE_LIMIT_BY_ORIGIN_INVALID',
      path,
      message: `is now a rate per address and Origin, applied on top of rateLimit (not ${JSON.stringify(byOrigin)}): keyed by Origin alone, invented Origins got fresh buckets.`,
      fix: "Write e.g. '100/1m' (a narrower share for each origin of one client), or drop it.",
    });
  return limit;
}

export function redisUrl(redis: string | undefined, problems: ProxyProblem[], path: string): string | null {
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) {
    problems.push({
      code: 'PROXY_REDIS_URL_INVALID',
      path,
      message: `'${redis}' is not a redis:// or rediss:// URL.`,
      fix: 'Write e.g. redis://127.0.0.1:6379.',
    });
  }
  return redis ?? null;
}

/** `--require-header` names, lower case; any one of them will do. */
export function requiredHeaders(values: readonly string[], problems: ProxyProblem[], path: string): string[] {
  const names = values.map((h) => String(h).trim().toLowerCase()).filter((h) => h !== '');
  for (const [i, h] of names.entries()) {
    if (!isToken(h))
      problems.push({
        code: 'PROXY_HEADER_NAME_INVALID',
        path: `${path}[${i}]`,
        message: `'${h}' is not a header name.`,
        fix: 'Write e.g. origin or x-requested-with.',
      });
  }
  return names;
}

export function authorities(
  pems: readonly string[] | undefined,
  problems: ProxyProblem[],
  path: string,
): readonly string[] {
  for (const [i, pem] of (pems ?? []).entries()) {
    if (!String(pem).includes('-----BEGIN CERTIFICATE-----')) {
      problems.push({
        code: 'PROXY_CA_INVALID',
        path: `${path}[${i}]`,
        message: 'is not a PEM certificate.',
        fix: 'Give the contents of a .pem file (-----BEGIN CERTIFICATE----- ...).',
      });
    }
  }
  return pems ?? [];
}
