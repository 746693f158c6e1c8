// The ways a cross-origin fetch fails, each with the words Chromium prints (cors_error_string.cc,
// verbatim) and the engine's own lines (reasons.ts: Firefox's security.properties key and line,
// WebKit's message): what the browser says. Why, and what to change, is src/advice's to say.

import { baseCode, type CorsFailureCore, type FailureContext, isPreflightFailure } from './codes.js';
import { factsOf } from './engines.js';
import { type EngineReason, firefoxLines, unversionedKey, webkitLines } from './reasons.js';
import type { BrowserResponse } from './response-checks.js';

export type { CorsErrorCode, CorsFailureCore, FailureContext } from './codes.js';

/** A failure in the browser's words, with the facts it happened in. */
export interface CorsFailure extends CorsFailureCore {
  /** Chromium's text after "has been blocked by CORS policy: ". */
  readonly message: string;
  /** The whole line Chromium prints in the console. */
  readonly consoleMessage: string;
  /**
   * Firefox's reason name as MDN names it (security.properties key without the version digit
   * Firefox prints, e.g. CORSMissingAllowOrigin), or null.
   */
  readonly firefox: string | null;
  /** The failure in the words of the engine the model ran as (Chromium's by default). */
  readonly reason: EngineReason;
  /** The request and where it failed. */
  readonly context: FailureContext;
  /** The answer the browser refused, when there was one. */
  readonly response?: BrowserResponse;
}

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
const VALID_VALUE = ' Have the server send the header with a valid value.';
const XHR_CREDENTIALS =
  ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';

/** Chromium prints control and non-ASCII characters of a quoted value as \uXXXX. */
export function encodeHint(hint: string): string {
  let out = '';
  for (let i = 0; i < hint.length; i++) {
    const c = hint.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? hint[i] : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

function detail(f: CorsFailureCore, initiator: 'fetch' | 'xhr'): string {
  const hint = encodeHint(f.hint);
  const validValue = initiator === 'fetch' ? VALID_VALUE : '';
  const xhr = initiator === 'xhr' ? XHR_CREDENTIALS : '';
  switch (baseCode(f.code)) {
    case 'MissingAllowOriginHeader':
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case 'MultipleAllowOriginValues':
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${hint}', but only one is allowed.${validValue}`;
    case 'InvalidAllowOriginValue':
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${hint}'.${validValue}`;
    case 'AllowOriginMismatch':
      return `The 'Access-Control-Allow-Origin' header has a value '${hint}' that is not equal to the supplied origin.${validValue}`;
    case 'WildcardOriginNotAllowed':
      return `The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.${xhr}`;
    case 'InvalidAllowCredentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${hint}' which must be 'true' when the request's credentials mode is 'include'.${xhr}`;
    case 'PreflightInvalidStatus':
      return 'It does not have HTTP ok status.';
    case 'PreflightDisallowedRedirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${hint} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${hint} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${hint}' contains a username and password, which is disallowed for cross-origin requests.`;
    default:
      return `Cross origin requests are only supported for protocol schemes: ${hint}.`;
  }
}

/** Dresses a failure the checks found in the words the browser prints. */
export function explainFailure(
  f: CorsFailureCore,
  ctx: FailureContext,
  response?: BrowserResponse,
): CorsFailure {
  const message = (isPreflightFailure(f.code) ? PREFLIGHT_PREFIX : '') + detail(f, ctx.initiator);
  const redirected = ctx.initialUrl !== ctx.url ? `(redirected from '${ctx.initialUrl}') ` : '';
  const kind = ctx.initiator === 'fetch' ? 'fetch' : 'XMLHttpRequest';
  const consoleMessage = `Access to ${kind} at '${ctx.url}' ${redirected}from origin '${ctx.origin}' has been blocked by CORS policy: ${message}`;
  const firefox = firefoxLines(f, ctx);
  const engine = ctx.engine ?? 'chromium';
  const words = factsOf(engine).words;
  const lines =
    words === 'firefox'
      ? firefox
      : words === 'webkit'
        ? webkitLines(f, ctx)
        : [{ level: 'error' as const, key: f.code, text: consoleMessage }];
  return {
    ...f,
    message,
    consoleMessage,
    firefox: firefox[0]?.key == null ? null : unversionedKey(firefox[0].key),
    reason: { engine, key: lines[0]?.key ?? null, lines },
    context: ctx,
    ...(response === undefined ? {} : { response }),
  };
}
