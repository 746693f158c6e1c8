// Each engine's own words for a CORS failure: the lines its console prints, in order, exactly as
// the browser prints them, in the release engines.ts names. Chromium: one line
// (cors_error_string.cc, built in errors.ts). Firefox: security.properties strings under their
// keys, several lines for a preflight (measured in real Firefox by
// test/e2e/firefox-model.test.ts). WebKit: WebCore's messages (CrossOriginAccessControl.cpp,
// CrossOriginPreflightResultCache.cpp, NetworkLoadChecker.cpp), as WebKitGTK printed them
// (test/e2e/webkit-model.test.ts), then "Fetch API cannot load <url> due to access control checks."

import { baseCode, type CorsFailureCore, type FailureContext, isPreflightFailure } from './codes.js';
import type { Engine, EngineFacts } from './engines.js';

/** One line a browser prints in its console. */
export interface ConsoleLine {
  readonly level: 'error' | 'warning';
  /**
   * The line's name in the engine: Chromium's CorsError code, Firefox's security.properties key as
   * Firefox prints it (`CORSMissingAllowOrigin2`), null for WebKit, which names none.
   */
  readonly key: string | null;
  readonly text: string;
}

/** A failure in one engine's words. */
export interface EngineReason {
  readonly engine: Engine;
  /** The first line's key: the name the engine gives the failure (null for WebKit). */
  readonly key: string | null;
  /** Every line the engine prints for the failure, in order. */
  readonly lines: readonly ConsoleLine[];
}

const FIREFOX_BLOCKED =
  'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ';

/** A Firefox error line: `<key>=Cross-Origin Request Blocked: … at %1$S. (Reason: …).[ Status code: %2$S.]` */
function firefoxLine(key: string, url: string, reason: string, status?: string): ConsoleLine {
  const suffix = status === undefined ? '' : ` Status code: ${status}.`;
  return { level: 'error', key, text: `${FIREFOX_BLOCKED}${url}. (Reason: ${reason}).${suffix}` };
}

/** CORSDidNotSucceed2: Firefox's line for a request that failed or never went out. */
export function firefoxDidNotSucceed(url: string): ConsoleLine {
  return firefoxLine('CORSDidNotSucceed2', url, 'CORS request did not succeed', '(null)');
}

/** The lines an engine prints for a redirect it could not follow: Firefox's "did not succeed", naming the URL that redirected. */
export function redirectNotFollowedLines(words: EngineFacts['words'], from: string): ConsoleLine[] {
  return words === 'firefox' ? [firefoxDidNotSucceed(from)] : [];
}

/** CORSAllowHeaderFromPreflightDeprecation: Authorization let through by `Access-Control-Allow-Headers: *`. */
export function firefoxAuthorizationWarning(url: string): ConsoleLine {
  return {
    level: 'warning',
    key: 'CORSAllowHeaderFromPreflightDeprecation',
    text: `Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at ${url} soon. (Reason: When the \`Access-Control-Allow-Headers\` is \`*\`, the \`Authorization\` header is not covered. To include the \`Authorization\` header, it must be explicitly listed in CORS header \`Access-Control-Allow-Headers\`).`,
  };
}

const ACAO = '‘Access-Control-Allow-Origin’';

/** The one line naming the failure, in Firefox's words. */
function firefoxSpecific(f: CorsFailureCore, ctx: FailureContext): ConsoleLine[] {
  const url = ctx.url;
  const status = ctx.status === undefined ? '(null)' : String(ctx.status);
  switch (baseCode(f.code)) {
    case 'MissingAllowOriginHeader':
      return [firefoxLine('CORSMissingAllowOrigin2', url, `CORS header ${ACAO} missing`, status)];
    case 'MultipleAllowOriginValues':
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
      // Two header lines are "Multiple"; one line holding several values only "does not match".
      if (f.engineKey === 'CORSMultipleAllowOriginNotAllowed')
        return [firefoxLine(f.engineKey, url, `Multiple CORS header ${ACAO} not allowed`)];
      return [
        firefoxLine(
          'CORSAllowOriginNotMatchingOrigin',
          url,
          `CORS header ${ACAO} does not match ‘${f.hint}’`,
        ),
      ];
    case 'WildcardOriginNotAllowed':
      // The only string that quotes its URL.
      return [
        {
          level: 'error',
          key: 'CORSNotSupportingCredentials',
          text: `${FIREFOX_BLOCKED}‘${url}’. (Reason: Credential is not supported if the CORS header ${ACAO} is ‘*’).`,
        },
      ];
    case 'InvalidAllowCredentials':
      return [
        firefoxLine(
          'CORSMissingAllowCredentials',
          url,
          'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’',
        ),
      ];
    case 'PreflightInvalidStatus':
      return [
        firefoxLine('CORSPreflightDidNotSucceed3', url, 'CORS preflight response did not succeed', status),
      ];
    case 'PreflightDisallowedRedirect':
      return [
        firefoxLine('CORSExternalRedirectNotAllowed', url, 'CORS request external redirect not allowed'),
        firefoxLine('CORSPreflightDidNotSucceed3', url, 'CORS preflight response did not succeed', status),
      ];
    case 'InvalidAllowMethodsPreflightResponse':
    case 'InvalidAllowHeadersPreflightResponse': {
      const [key, header] =
        f.code === 'InvalidAllowMethodsPreflightResponse'
          ? ['CORSInvalidAllowMethod', 'Methods']
          : ['CORSInvalidAllowHeader', 'Headers'];
      return [
        firefoxLine(key, url, `invalid token ‘${f.hint}’ in CORS header ‘Access-Control-Allow-${header}’`),
      ];
    }
    case 'MethodDisallowedByPreflightResponse':
      return [
        firefoxLine(
          'CORSMethodNotFound',
          url,
          'Did not find method in CORS header ‘Access-Control-Allow-Methods’',
        ),
      ];
    case 'HeaderDisallowedByPreflightResponse':
      return [
        firefoxLine(
          'CORSMissingAllowHeaderFromPreflight2',
          url,
          `header ‘${f.hint}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response`,
        ),
      ];
    case 'RedirectContainsCredentials':
      // Firefox 153 refuses the redirect without saying why: it prints only the line below.
      return [];
    default:
      // CorsDisabledScheme: a redirect to ftp:, mailto:, about: or a custom scheme.
      return [firefoxLine('CORSRequestNotHttp', ctx.redirectTo ?? url, 'CORS request not http')];
  }
}

const ENDS_PREFLIGHT: ReadonlySet<string> = new Set([
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
]);

/**
 * Firefox's lines: the reason; then CORSDidNotSucceed2 for a redirect it refused (its CORS headers,
 * its userinfo, its scheme), and once more, when a preflight failed, for the request that never
 * went out. A preflight answered with a redirect whose CORS headers fail so gets it twice.
 */
export function firefoxLines(f: CorsFailureCore, ctx: FailureContext): ConsoleLine[] {
  const lines = firefoxSpecific(f, ctx);
  const redirected =
    ctx.redirectTo !== undefined ||
    ctx.stage === 'preflight-redirect' ||
    f.code === 'RedirectContainsCredentials';
  if (redirected && f.code !== 'PreflightDisallowedRedirect') lines.push(firefoxDidNotSucceed(ctx.url));
  if (isPreflightFailure(f.code) || ENDS_PREFLIGHT.has(f.code)) lines.push(firefoxDidNotSucceed(ctx.url));
  return lines;
}

/** WebCore's message for the failure (the CONSOLE SECURITY ERROR line). */
function webkitSpecific(f: CorsFailureCore, ctx: FailureContext): string {
  const origin = ctx.tainted === true ? 'null' : ctx.origin;
  const status = ctx.status ?? 0;
  const text = (() => {
    switch (baseCode(f.code)) {
      case 'MissingAllowOriginHeader':
      case 'AllowOriginMismatch':
      case 'InvalidAllowOriginValue':
        return `Origin ${origin} is not allowed by Access-Control-Allow-Origin. Status code: ${status}`;
      case 'MultipleAllowOriginValues':
        // "More than one origin" only when the value holds a comma, as WebKit words it.
        return f.hint.includes(',')
          ? 'Access-Control-Allow-Origin cannot contain more than one origin.'
          : `Origin ${origin} is not allowed by Access-Control-Allow-Origin. Status code: ${status}`;
      case 'WildcardOriginNotAllowed':
        return 'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.';
      case 'InvalidAllowCredentials':
        return 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".';
      case 'PreflightInvalidStatus':
        return `Preflight response is not successful. Status code: ${status}`;
      case 'PreflightDisallowedRedirect':
        // A redirect is not a success either: the same line, with the redirect's status.
        return `Preflight response is not successful. Status code: ${status}`;
      case 'InvalidAllowMethodsPreflightResponse':
        return `Header Access-Control-Allow-Methods has an invalid value: ${f.hint}`;
      case 'InvalidAllowHeadersPreflightResponse':
        return `Header Access-Control-Allow-Headers has an invalid value: ${f.hint}`;
      case 'MethodDisallowedByPreflightResponse':
        return `Method ${f.hint} is not allowed by Access-Control-Allow-Methods.`;
      case 'HeaderDisallowedByPreflightResponse':
        return `Request header field ${f.hint} is not allowed by Access-Control-Allow-Headers.`;
      case 'RedirectContainsCredentials': {
        // The first URL is printed without its user name and password, the second with them.
        const location = f.location ?? f.hint;
        return `Cross-origin redirection to ${withoutUserinfo(location)} denied by Cross-Origin Resource Sharing policy: redirection URL ${location} has credentials`;
      }
      default:
        // CorsDisabledScheme. Measured in WebKitGTK (test/e2e/webkit-model.test.ts).
        if (ctx.redirectTo === undefined) return 'Cross origin requests are only supported for HTTP.';
        if (ctx.redirectTo.startsWith('ftp:')) return 'FTP URLs are disabled';
        return `Cross-origin redirection to ${ctx.redirectTo} denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme`;
    }
  })();
  // NetworkLoadChecker::checkRedirection: a redirect whose CORS headers fail says where it pointed.
  const code = baseCode(f.code);
  if (
    ctx.redirectTo !== undefined &&
    code !== 'RedirectContainsCredentials' &&
    code !== 'CorsDisabledScheme' &&
    !isPreflightFailure(f.code)
  )
    return `Cross-origin redirection to ${ctx.redirectTo} denied by Cross-Origin Resource Sharing policy: ${text}`;
  return text;
}

function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}

/** WebKit's lines: WebCore's message, then the script's error, which names the URL the page fetched. */
export function webkitLines(f: CorsFailureCore, ctx: FailureContext): ConsoleLine[] {
  const api = ctx.initiator === 'fetch' ? 'Fetch API' : 'XMLHttpRequest';
  return [
    { level: 'error', key: null, text: webkitSpecific(f, ctx) },
    { level: 'error', key: null, text: `${api} cannot load ${ctx.initialUrl} due to access control checks.` },
  ];
}

/** Firefox's key as MDN names it (its pages drop the version digit Firefox prints). */
export function unversionedKey(key: string): string {
  return key.replace(/\d+$/, '');
}
