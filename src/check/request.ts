// The request a page would make, from a check's options (what `corsica check` and the playground
// take): validated here, so that a bad origin or URL is a clear error before anything is sent.

import { ENGINES } from '../browser/engines.js';
import { toPairs } from '../browser/headers.js';
import type { BodyKind, BrowserRequest, Engine } from '../browser/index.js';
import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import { CheckInputError } from './errors.js';

/** A check as the command line and the playground describe it. */
export interface CheckOptions {
  readonly origin?: string;
  readonly method?: string;
  readonly header?: readonly string[];
  readonly credentials?: boolean;
  readonly data?: string;
  readonly json?: boolean;
  readonly timeout?: string | number;
  /**
   * The browser to answer for: `chromium` (default), `firefox`, `webkit`, or `standard` (the Fetch
   * standard alone). The report also says where the others disagree.
   */
  readonly browser?: string;
  /**
   * Compare the other engines even where their path needs an unsafe request (POST, PUT...) that
   * the checked browser did not send. Off by default: against a real API that is a second order.
   */
  readonly compareUnsafe?: boolean;
}

/** The engine a check answers for, from `--browser` (Chromium by default). */
export function engineOf(options: CheckOptions): Engine {
  const name = (options.browser ?? 'chromium').toLowerCase();
  const engine = ENGINES.find((e) => e === name);
  if (engine === undefined)
    throw new CheckInputError(
      `--browser must be chromium, firefox or webkit (or standard, the Fetch standard alone), got '${options.browser}'`,
    );
  return engine;
}

/** A `--header 'Name: value'` line as a pair, or null when it has no name before a colon. */
export function headerLine(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  return colon <= 0 ? null : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

/** The URL when it is an http: or https: URL, else null. */
export function httpUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

function parseHeader(line: string): [string, string] {
  const pair = headerLine(line);
  if (pair === null) throw new CheckInputError(`--header must look like 'Name: value', got '${line}'`);
  return pair;
}

/** The request a page would make, from the command's options. */
export function requestFromOptions(url: string, options: CheckOptions): BrowserRequest {
  if (options.origin === undefined)
    throw new CheckInputError('--origin is required: the origin of the page that makes the request');
  if (options.origin !== 'null' && parseSerializedOrigin(options.origin) === null) {
    throw new CheckInputError(
      `--origin '${options.origin}' is not an origin as browsers send it: scheme://host[:port], lower case, no path or trailing slash`,
    );
  }
  if (httpUrl(url) === null) throw new CheckInputError(`'${url}' is not an http(s) URL`);
  const body: BodyKind = options.data === undefined ? 'none' : 'text';
  return {
    url,
    origin: options.origin,
    method: options.method ?? 'GET',
    headers: (options.header ?? []).map(parseHeader),
    credentials: options.credentials === true ? 'include' : 'same-origin',
    body,
    engine: engineOf(options),
  };
}

/** A value quoted for a POSIX shell. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * The `corsica check` command that sends `request` (the reverse of requestFromOptions), quoted for
 * a POSIX shell: what a tool that saw a request in a browser hands the user to reproduce it.
 */
export function checkCommand(request: BrowserRequest): string {
  const parts = ['corsica check', shellQuote(request.url), '--origin', shellQuote(request.origin)];
  const method = request.method ?? 'GET';
  if (method !== 'GET') parts.push('--method', shellQuote(method));
  for (const [name, value] of toPairs(request.headers))
    parts.push('--header', shellQuote(`${name}: ${value}`));
  if (request.credentials === 'include') parts.push('--credentials');
  if (request.engine !== undefined && request.engine !== 'chromium') parts.push('--browser', request.engine);
  return parts.join(' ');
}

/** The per-request timeout in milliseconds (default 10 s). */
export function timeoutOf(options: CheckOptions): number {
  const value = Number(options.timeout ?? 10_000);
  if (!Number.isInteger(value) || value <= 0)
    throw new CheckInputError(`--timeout must be a positive number of milliseconds, got ${options.timeout}`);
  return value;
}
