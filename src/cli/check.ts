// `corsica check <url>`: sends the requests Chromium would send for a fetch() from `--origin`
// (preflight included), applies Chromium's checks to the real answers, and says whether the page
// would get the response, and if not, Chromium's message, the cause and the fix.

import pc from 'picocolors';
import {
  type BodyKind,
  type BrowserRequest,
  type CorsFailure,
  type Exchange,
  type FetchOutcome,
  type PreflightReason,
  simulateFetch,
} from '../browser/index.js';
import { parseSerializedOrigin } from '../spec/origin-syntax.js';
import { httpTransport } from './http-transport.js';
import { UsageError } from './lint.js';

export interface CheckOptions {
  readonly origin?: string;
  readonly method?: string;
  readonly header?: readonly string[];
  readonly credentials?: boolean;
  readonly data?: string;
  readonly json?: boolean;
  readonly timeout?: string | number;
}

interface JsonExchange {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
  };
  readonly response: { readonly status: number; readonly headers: [string, string][] } | null;
}

/** What `--json` prints. */
export interface CheckReport {
  readonly verdict: 'allowed' | 'blocked';
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly preflightNeeded: boolean;
  readonly preflightReasons: readonly string[];
  readonly preflight: JsonExchange | null;
  readonly actual: JsonExchange | null;
  readonly exchanges: readonly JsonExchange[];
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly consoleMessage: string;
    readonly firefox: string | null;
    readonly cause: string;
    readonly fix: CorsFailure['fix'];
    /** For a refused request header: every refused name (Chromium's message names one of them). */
    readonly refused?: readonly string[];
  } | null;
  readonly exposedHeaders: readonly string[];
}

function parseHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header must look like 'Name: value', got '${line}'`);
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

/** The request a page would make, from the command's options. */
export function requestFromOptions(url: string, options: CheckOptions): BrowserRequest {
  if (options.origin === undefined)
    throw new UsageError('--origin is required: the origin of the page that makes the request');
  if (options.origin !== 'null' && parseSerializedOrigin(options.origin) === null) {
    throw new UsageError(
      `--origin '${options.origin}' is not an origin as browsers send it: scheme://host[:port], lower case, no path or trailing slash`,
    );
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new UsageError(`'${url}' is not an http(s) URL`);
  }
  const body: BodyKind = options.data === undefined ? 'none' : 'text';
  return {
    url,
    origin: options.origin,
    method: options.method ?? 'GET',
    headers: (options.header ?? []).map(parseHeader),
    credentials: options.credentials === true ? 'include' : 'same-origin',
    body,
  };
}

function timeoutOf(options: CheckOptions): number {
  const value = Number(options.timeout ?? 10_000);
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(`--timeout must be a positive number of milliseconds, got ${options.timeout}`);
  return value;
}

function reasonText(r: PreflightReason): string {
  switch (r.kind) {
    case 'method':
      return `method ${r.method} is not CORS-safelisted (only GET, HEAD and POST are)`;
    case 'stream-body':
      return 'the body is a stream';
    default: {
      const why: Record<string, string> = {
        'name-not-safelisted': 'is not a CORS-safelisted header',
        'value-too-long': 'has a value longer than 128 bytes',
        'unsafe-byte': 'has a CORS-unsafe byte in its value',
        'language-characters': 'has characters a language tag may not have',
        'content-type-unparsable': 'is not a parsable MIME type',
        'content-type-not-simple':
          'is not text/plain, multipart/form-data or application/x-www-form-urlencoded',
        'range-not-simple': 'is not a single bytes=start-[end] range',
        'client-hint-value': 'has a value Chromium does not safelist',
        'safelisted-values-too-long':
          'counts as unsafe: the safelisted values add up to more than 1024 bytes',
      };
      return `header ${r.name} ${why[r.why] ?? r.why}`;
    }
  }
}

function jsonExchange(e: Exchange): JsonExchange {
  return {
    request: { method: e.request.method, url: e.request.url, headers: Object.fromEntries(e.request.headers) },
    response:
      e.response === null
        ? null
        : { status: e.response.status, headers: e.response.headers.map(([n, v]) => [n, v]) },
  };
}

export function report(outcome: FetchOutcome, request: BrowserRequest): CheckReport {
  const preflight = outcome.exchanges.find(
    (e) =>
      e.request.method === 'OPTIONS' &&
      e.request.headers.some(([n]) => n === 'Access-Control-Request-Method'),
  );
  const actual = [...outcome.exchanges]
    .reverse()
    .find((e) => e !== preflight && !e.request.headers.some(([n]) => n === 'Access-Control-Request-Method'));
  const f = outcome.failure;
  return {
    verdict: outcome.verdict,
    url: outcome.classification?.url ?? request.url,
    origin: request.origin,
    method: outcome.classification?.method ?? request.method ?? 'GET',
    preflightNeeded: outcome.preflightNeeded,
    preflightReasons: (outcome.classification?.reasons ?? []).map(reasonText),
    preflight: preflight === undefined ? null : jsonExchange(preflight),
    actual: actual === undefined ? null : jsonExchange(actual),
    exchanges: outcome.exchanges.map(jsonExchange),
    error:
      f === null
        ? null
        : {
            code: f.code,
            message: f.message,
            consoleMessage: f.consoleMessage,
            firefox: f.firefox,
            cause: f.cause,
            fix: f.fix,
            ...(f.refused === undefined ? {} : { refused: f.refused }),
          },
    exposedHeaders: outcome.exposedHeaders,
  };
}

const RELEVANT = /^(access-control-|vary$|location$|origin$)/i;

function printExchange(e: Exchange, out: string[]): void {
  out.push(`  ${pc.cyan('→')} ${e.request.method} ${e.request.url}`);
  for (const [n, v] of e.request.headers) if (RELEVANT.test(n)) out.push(pc.dim(`      ${n}: ${v}`));
  if (e.response === null) {
    out.push(`  ${pc.red('←')} no answer`);
    return;
  }
  out.push(`  ${pc.cyan('←')} ${e.response.status}`);
  const relevant = e.response.headers.filter(([n]) => RELEVANT.test(n));
  if (relevant.length === 0) out.push(pc.dim('      (no CORS headers)'));
  for (const [n, v] of relevant) out.push(pc.dim(`      ${n}: ${v}`));
}

export function humanReport(outcome: FetchOutcome, r: CheckReport): string {
  const out: string[] = [`${pc.bold('corsica check')}: ${r.method} ${r.url} from origin ${r.origin}`];
  if (outcome.classification !== null) {
    if (!outcome.classification.crossOrigin) out.push('  same-origin request: CORS does not apply');
    else if (r.preflightNeeded) {
      out.push(
        `  preflight needed: ${r.preflightReasons.join('; ')}${outcome.preflightCached ? ' (answered from the preflight cache)' : ''}`,
      );
    } else out.push('  no preflight: a simple request (safelisted method and headers)');
  }
  for (const e of outcome.exchanges) printExchange(e, out);
  if (r.verdict === 'allowed') {
    out.push(`${pc.green('✔ allowed')}: the page can read the response.`);
    out.push(`  readable headers: ${r.exposedHeaders.length === 0 ? '(none)' : r.exposedHeaders.join(', ')}`);
    return out.join('\n');
  }
  const f = outcome.failure;
  if (f === null) {
    out.push(`${pc.red('✖ failed')}: ${outcome.typeError ?? 'unknown error'}`);
    return out.join('\n');
  }
  out.push(`${pc.red('✖ blocked by CORS policy')}`);
  out.push(`  ${pc.bold('Chromium')}: ${f.consoleMessage}`);
  out.push(`  ${pc.bold('Firefox')}:  ${f.firefox ?? '(no specific reason)'}`);
  out.push(`  ${pc.bold('Cause')}:    ${f.cause}`);
  out.push(`  ${pc.bold('Fix')}:      ${f.fix.summary}`);
  out.push(`    corsica: ${f.fix.corsica}`);
  out.push(`    cors:    ${f.fix.cors}`);
  out.push(`    fastify: ${f.fix.fastify}`);
  out.push(`    nginx:   ${f.fix.nginx}`);
  return out.join('\n');
}

/** Runs the check; returns the exit code (0 allowed, 1 blocked, 2 usage or network error). */
export async function check(url: string, options: CheckOptions): Promise<number> {
  const request = requestFromOptions(url, options);
  const timeout = timeoutOf(options);
  const outcome = await simulateFetch(
    request,
    httpTransport({ timeout, ...(options.data === undefined ? {} : { body: options.data }) }),
  );
  const r = report(outcome, request);
  if (options.json === true)
    process.stdout.write(
      `${JSON.stringify(outcome.typeError === null ? r : { ...r, typeError: outcome.typeError }, null, 2)}\n`,
    );
  else process.stdout.write(`${humanReport(outcome, r)}\n`);
  if (outcome.verdict === 'allowed') return 0;
  return outcome.failure !== null ? 1 : 2;
}
