// `explain`'s engine: reads a CORS error as Chromium, Firefox or Safari print it and says what the
// server sent that caused it, why the browser refused, how to fix it, and the `corsica check`
// command that reproduces it. The command line and the playground print what it returns.

import { adviceFor, type Fix } from '../advice/index.js';
import { baseCode, type CorsErrorCode } from '../browser/codes.js';
import { explainFailure } from '../browser/errors.js';
import { type ParsedMessage, parseCorsMessage } from '../browser/parse-message.js';
import { unversionedKey } from '../browser/reasons.js';
import { shellQuote } from '../check/request.js';

/** What the server's answer held, for each failure, in one phrase. */
function serverSent(code: CorsErrorCode, hint: string, browser: ParsedMessage['browser']): string {
  const where = code.startsWith('Preflight') ? 'the preflight (OPTIONS) answer' : 'the answer';
  switch (baseCode(code)) {
    case 'MissingAllowOriginHeader':
      return `${where} had no Access-Control-Allow-Origin header`;
    case 'MultipleAllowOriginValues':
      return `${where} had Access-Control-Allow-Origin: ${hint} (several values, or the header twice)`;
    case 'InvalidAllowOriginValue':
    case 'AllowOriginMismatch':
      return `${where} had Access-Control-Allow-Origin: ${hint}`;
    case 'WildcardOriginNotAllowed':
      return `${where} had Access-Control-Allow-Origin: * for a request with credentials`;
    case 'InvalidAllowCredentials':
      // Firefox says only "expected 'true'": the header was missing or not exactly `true` (`True` too).
      if (browser === 'firefox')
        return `${where} had no Access-Control-Allow-Credentials, or one that is not exactly 'true' (Firefox does not say which; 'True' counts as wrong), for a request with credentials`;
      return `${where} had ${hint === '' ? 'no Access-Control-Allow-Credentials header' : `Access-Control-Allow-Credentials: ${hint}`} for a request with credentials`;
    case 'PreflightInvalidStatus':
      return 'the preflight (OPTIONS) got a status outside 200–299';
    case 'PreflightDisallowedRedirect':
      return 'the preflight (OPTIONS) got a redirect';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'the preflight answer had an Access-Control-Allow-Methods that is not a comma-separated list of methods';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'the preflight answer had an Access-Control-Allow-Headers that is not a comma-separated list of names';
    case 'MethodDisallowedByPreflightResponse':
      return `the preflight answer's Access-Control-Allow-Methods did not include ${hint || 'the method'}`;
    case 'HeaderDisallowedByPreflightResponse':
      return `the preflight answer's Access-Control-Allow-Headers did not include ${hint}`;
    case 'RedirectContainsCredentials':
      return `a redirect pointed to ${hint}, a URL with a user name and password`;
    default:
      return 'the request went to a URL that is not http(s), or came from a file: page';
  }
}

/** Failures only a preflight can show: the command must make one. */
const PREFLIGHT_ONLY = new Set([
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
]);

/**
 * The `corsica check` command that sends the same request, and what the user must fill in. A
 * preflight failure needs a request that is preflighted: the method or header the message names,
 * or placeholders (`<METHOD>`) when it names none, said plainly, never a plain GET that would show
 * another error.
 */
function reproduce(p: ParsedMessage): { command: string; note: string | null } | null {
  if (p.url === null) return null;
  const parts = [
    'corsica check',
    shellQuote(p.initialUrl ?? p.url),
    '--origin',
    shellQuote(p.origin ?? '<your page origin>'),
  ];
  const base = p.code === null ? '' : baseCode(p.code);
  const preflight = p.code !== null && (p.code.startsWith('Preflight') || PREFLIGHT_ONLY.has(base));
  let note: string | null =
    p.origin === null ? 'Replace <your page origin> with the origin of your page.' : null;
  if (base === 'MethodDisallowedByPreflightResponse' && p.hint !== '') parts.push('--method', p.hint);
  else if (base === 'HeaderDisallowedByPreflightResponse') parts.push('--header', shellQuote(`${p.hint}: 1`));
  else if (preflight) {
    parts.push('--method', "'<METHOD>'", '--header', "'<Name: value>'");
    note = `${note === null ? '' : `${note} `}The message is about a preflight but does not say what triggered it: replace <METHOD> with your request's method (PUT, DELETE...) and <Name: value> with the header your page sends (Content-Type: application/json, Authorization: ...), or drop --header if the method alone needs a preflight.`;
  }
  if (base === 'WildcardOriginNotAllowed' || base === 'InvalidAllowCredentials') parts.push('--credentials');
  // The same browser's model: Firefox and WebKit check in their own order, so a reproduction
  // must run the engine the message came from.
  if (p.browser === 'firefox') parts.push('--browser', 'firefox');
  if (p.browser === 'safari') parts.push('--browser', 'webkit');
  return { command: parts.join(' '), note };
}

function reproduceFields(p: ParsedMessage): { reproduce: string | null; reproduceNote: string | null } {
  const r = reproduce(p);
  return { reproduce: r?.command ?? null, reproduceNote: r?.note ?? null };
}

export interface Explanation {
  readonly browser: ParsedMessage['browser'];
  readonly code: CorsErrorCode | null;
  /** Firefox's name for the failure, as MDN names it (no version digit), or null. */
  readonly firefox: string | null;
  /** For a Firefox line: its key as Firefox prints it (`CORSMissingAllowOrigin2`), or null. */
  readonly key: string | null;
  readonly serverSent: string | null;
  readonly cause: string;
  readonly fix: Fix | null;
  readonly reproduce: string | null;
  /** What to fill in before running `reproduce` (placeholders), or null when it runs as it is. */
  readonly reproduceNote: string | null;
}

/** The explanation of a pasted console message, or null when it is not a CORS message. */
export function explainMessage(pasted: string): Explanation | null {
  const p = parseCorsMessage(pasted);
  if (p === null) return null;
  if (p.code === null) {
    return {
      browser: p.browser,
      code: null,
      firefox: p.key === null ? null : unversionedKey(p.key),
      key: p.key,
      serverSent: null,
      cause: p.note ?? '',
      fix: null,
      ...reproduceFields(p),
    };
  }
  const base = baseCode(p.code);
  const f = explainFailure(
    { code: p.code, hint: p.hint },
    {
      url: p.url ?? 'the URL',
      initialUrl: p.initialUrl ?? p.url ?? 'the URL',
      origin: p.origin ?? '<your page origin>',
      method: base === 'MethodDisallowedByPreflightResponse' && p.hint !== '' ? p.hint : 'GET',
      credentialed: base === 'WildcardOriginNotAllowed' || base === 'InvalidAllowCredentials',
      initiator: p.initiator ?? 'fetch',
      ...(p.status === null ? {} : { status: p.status }),
      requestHeaders: base === 'HeaderDisallowedByPreflightResponse' ? [p.hint] : [],
    },
  );
  const advice = adviceFor(f);
  const cause = p.note === null ? advice.cause : `${p.note} ${advice.cause}`;
  return {
    browser: p.browser,
    code: p.code,
    firefox: p.key === null ? f.firefox : unversionedKey(p.key),
    key: p.key,
    serverSent: serverSent(p.code, p.hint, p.browser),
    cause,
    fix: advice.fix,
    ...reproduceFields(p),
  };
}
