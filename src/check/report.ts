// The report of one check: the verdict, the exchanges (preflight included), the readable headers
// and, when blocked, the browser's error with its cause and fix. `corsica check --json` prints it;
// the playground and the differential tests read it.

import { adviceFor, type Fix } from '../advice/index.js';
import type {
  BrowserRequest,
  ConsoleLine,
  Engine,
  EngineReason,
  Exchange,
  FetchOutcome,
  PreflightReason,
} from '../browser/index.js';
import { disagreement, type EngineVerdict } from './engines.js';
import type { CheckWarning } from './warnings.js';

/** One request and its answer, as JSON. */
export interface JsonExchange {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
  };
  readonly response: { readonly status: number; readonly headers: [string, string][] } | null;
}

/** What `--json` prints. */
export interface CheckReport {
  /** `network-error`: no answer at all (refused, unreachable, timed out): not a CORS block. */
  readonly verdict: 'allowed' | 'blocked' | 'network-error';
  /** The engine the check answered for. */
  readonly browser: Engine;
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
    readonly fix: Fix;
    /** For a refused request header: every refused name (Chromium's message names one of them). */
    readonly refused?: readonly string[];
    /** The failure in the words of the engine checked: its key and every console line. */
    readonly reason: EngineReason;
  } | null;
  /** Every CORS line the engine prints for this fetch, errors and warnings. */
  readonly console: readonly ConsoleLine[];
  /** Each engine's verdict for the same request (Chromium, Firefox, WebKit), when compared. */
  readonly engines: readonly EngineVerdict[];
  /** Where the engines disagree, in a sentence, or null when they agree (or were not compared). */
  readonly disagreement: string | null;
  readonly exposedHeaders: readonly string[];
  /** What an allowed answer still gets wrong (reflected origins, a missing Vary, `null` allowed). */
  readonly warnings: readonly CheckWarning[];
  /** For `network-error` (and requests fetch() refuses to send): what went wrong, in words. */
  readonly typeError: string | null;
}

/** Why a request needs a preflight, in words. */
export function reasonText(r: PreflightReason): string {
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

/** The report of a fetch the model simulated. */
export function report(
  outcome: FetchOutcome,
  request: BrowserRequest,
  warnings: readonly CheckWarning[] = [],
  engines: readonly EngineVerdict[] = [],
): CheckReport {
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
    verdict: outcome.verdict === 'blocked' && outcome.failure === null ? 'network-error' : outcome.verdict,
    browser: outcome.engine,
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
            ...adviceFor(f, outcome.exchanges),
            ...(f.refused === undefined ? {} : { refused: f.refused }),
            reason: f.reason,
          },
    console: outcome.console,
    engines,
    disagreement: disagreement(engines),
    exposedHeaders: outcome.exposedHeaders,
    warnings,
    typeError: outcome.typeError,
  };
}
