// Reading a CORS error someone pasted: Chromium's console line (current and 2019–21 formats),
// Firefox's "Cross-Origin Request Blocked" line (or only its key, `CORSMissingAllowOrigin2`, as the
// "Learn more" link names it), and Safari's (WebKit's) terse ones. The result names the failure in
// the model's terms, so that it can be explained and reproduced with `corsica check`.

import type { CorsErrorCode } from './codes.js';

export interface ParsedMessage {
  readonly browser: 'chromium' | 'firefox' | 'safari';
  /** The failure, or null when the message says the request failed below CORS (network, TLS...). */
  readonly code: CorsErrorCode | null;
  /** The value the message quotes (origin value, method, header name), or ''. */
  readonly hint: string;
  readonly url: string | null;
  readonly initialUrl: string | null;
  readonly origin: string | null;
  /** fetch or XMLHttpRequest, when the message says. */
  readonly initiator: 'fetch' | 'xhr' | null;
  /** Firefox's status code, when given. */
  readonly status: number | null;
  /** For messages that are not about CORS headers: what they do say. */
  readonly note: string | null;
  /** Firefox's key for the line, as Firefox prints it (`CORSMissingAllowOrigin2`), or null. */
  readonly key: string | null;
}

interface DetailPattern {
  readonly re: RegExp;
  readonly code: CorsErrorCode;
}

/** Chromium's detail texts, newest and older wordings, with the quoted value captured. */
const CHROMIUM_DETAILS: readonly DetailPattern[] = [
  {
    re: /^No 'Access-Control-Allow-Origin' header is present on the requested resource\./,
    code: 'MissingAllowOriginHeader',
  },
  {
    re: /^The 'Access-Control-Allow-Origin' header contains multiple values '(.*)', but only one is allowed\./,
    code: 'MultipleAllowOriginValues',
  },
  {
    re: /^The 'Access-Control-Allow-Origin' header contains the invalid value '(.*)'\./,
    code: 'InvalidAllowOriginValue',
  },
  {
    re: /^The 'Access-Control-Allow-Origin' header has a value '(.*)' that is not equal to the supplied origin\./,
    code: 'AllowOriginMismatch',
  },
  {
    re: /^The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '\*' when the request's credentials mode is 'include'\./,
    code: 'WildcardOriginNotAllowed',
  },
  {
    re: /^The value of the 'Access-Control-Allow-Credentials' header in the response is '(.*)' which must be 'true' when the request's credentials mode is 'include'\./,
    code: 'InvalidAllowCredentials',
  },
  { re: /^It does not have HTTP ok status\./, code: 'PreflightInvalidStatus' },
  { re: /^Redirect is not allowed for a preflight request\./, code: 'PreflightDisallowedRedirect' },
  {
    re: /^Cannot parse Access-Control-Allow-Methods response header field in preflight response\./,
    code: 'InvalidAllowMethodsPreflightResponse',
  },
  {
    re: /^Cannot parse Access-Control-Allow-Headers response header field in preflight response\./,
    code: 'InvalidAllowHeadersPreflightResponse',
  },
  {
    re: /^Method (\S+) is not allowed by Access-Control-Allow-Methods in preflight response\./,
    code: 'MethodDisallowedByPreflightResponse',
  },
  {
    re: /^Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response\./,
    code: 'HeaderDisallowedByPreflightResponse',
  },
  {
    re: /^Redirect location '(.*)' contains a username and password, which is disallowed for cross-origin requests\./,
    code: 'RedirectContainsCredentials',
  },
  {
    re: /^Cross origin requests are only supported for protocol schemes: (.*?)\.?$/,
    code: 'CorsDisabledScheme',
  },
];

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";

const PREFLIGHTABLE: Partial<Record<CorsErrorCode, CorsErrorCode>> = {
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
};

function chromiumDetail(detail: string): { code: CorsErrorCode; hint: string } | null {
  let text = detail.trim();
  const preflight = text.startsWith(PREFLIGHT_PREFIX);
  if (preflight) text = text.slice(PREFLIGHT_PREFIX.length);
  for (const { re, code } of CHROMIUM_DETAILS) {
    const m = re.exec(text);
    if (m === null) continue;
    return { code: (preflight ? PREFLIGHTABLE[code] : undefined) ?? code, hint: m[1] ?? '' };
  }
  return null;
}

const DID_NOT_SUCCEED =
  "The request failed below CORS, or Firefox refused to follow a redirect: DNS, a refused connection, a TLS or certificate error, mixed content, an extension, no answer at all, or a redirect to a URL with user:password@ or to a scheme Firefox cannot fetch. If another 'Cross-Origin Request Blocked' line came just before this one for the same URL, that line is the reason: a failed preflight (or a refused redirect) is followed by this one for the request that never went out. Otherwise no CORS header can fix it; check that the URL is reachable, or run corsica check.";

type FirefoxReason = { readonly re: RegExp; readonly key: string } & (
  | { readonly code: CorsErrorCode }
  | { readonly note: string }
);

/**
 * Firefox reasons (security.properties), current and older wordings, after quote normalization,
 * with the key Firefox prints each under.
 */
const FIREFOX_REASONS: readonly FirefoxReason[] = [
  {
    // CORSAllowHeaderFromPreflightDeprecation: a warning, and the request went through.
    re: /^When the [`']Access-Control-Allow-Headers[`'] is [`']\*[`'], the [`']Authorization[`'] header is not covered/,
    key: 'CORSAllowHeaderFromPreflightDeprecation',
    note: "A warning, not a refusal: Firefox let the request through, but the Fetch standard says Access-Control-Allow-Headers: * does not cover Authorization, and Firefox will stop allowing it (pref network.cors_preflight.authorization_covered_by_wildcard). Fix: list Authorization in Access-Control-Allow-Headers (allowedHeaders: ['Authorization', ...]).",
  },
  {
    re: /^CORS header 'Access-Control-Allow-Origin' missing/,
    key: 'CORSMissingAllowOrigin2',
    code: 'MissingAllowOriginHeader',
  },
  {
    re: /^Multiple CORS header 'Access-Control-Allow-Origin' not allowed/,
    key: 'CORSMultipleAllowOriginNotAllowed',
    code: 'MultipleAllowOriginValues',
  },
  {
    re: /^CORS header 'Access-Control-Allow-Origin' does not match '(.*)'/,
    key: 'CORSAllowOriginNotMatchingOrigin',
    code: 'AllowOriginMismatch',
  },
  {
    re: /^Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '\*'/,
    key: 'CORSNotSupportingCredentials',
    code: 'WildcardOriginNotAllowed',
  },
  {
    re: /^expected 'true' in CORS header 'Access-Control-Allow-Credentials'/,
    key: 'CORSMissingAllowCredentials',
    code: 'InvalidAllowCredentials',
  },
  {
    re: /^Did not find method in CORS header 'Access-Control-Allow-Methods'/,
    key: 'CORSMethodNotFound',
    code: 'MethodDisallowedByPreflightResponse',
  },
  {
    re: /^CORS preflight (response|channel) did not succeed/,
    key: 'CORSPreflightDidNotSucceed3',
    code: 'PreflightInvalidStatus',
  },
  {
    re: /^invalid token '(.*)' in CORS header 'Access-Control-Allow-Methods'/,
    key: 'CORSInvalidAllowMethod',
    code: 'InvalidAllowMethodsPreflightResponse',
  },
  {
    re: /^invalid token '(.*)' in CORS header 'Access-Control-Allow-Headers'/,
    key: 'CORSInvalidAllowHeader',
    code: 'InvalidAllowHeadersPreflightResponse',
  },
  {
    re: /^header '(.*)' is not allowed according to header 'Access-Control-Allow-Headers'/,
    key: 'CORSMissingAllowHeaderFromPreflight2',
    code: 'HeaderDisallowedByPreflightResponse',
  },
  {
    re: /^missing token '(.*)' in CORS header 'Access-Control-Allow-Headers'/,
    key: 'CORSMissingAllowHeaderFromPreflight',
    code: 'HeaderDisallowedByPreflightResponse',
  },
  {
    re: /^CORS request external redirect not allowed/,
    key: 'CORSExternalRedirectNotAllowed',
    code: 'PreflightDisallowedRedirect',
  },
  { re: /^CORS request not http/, key: 'CORSRequestNotHttp', code: 'CorsDisabledScheme' },
  { re: /^CORS request did not succeed/, key: 'CORSDidNotSucceed2', note: DID_NOT_SUCCEED },
  {
    re: /^CORS disabled/,
    key: 'CORSDisabled',
    note: 'CORS is turned off in this Firefox (content.cors.disable); nothing on the server can help.',
  },
  {
    re: /^CORS header 'Origin' cannot be added/,
    key: 'CORSOriginHeaderNotAdded',
    note: 'Firefox could not add Origin (an extension content script or an expanded principal made the request).',
  },
];

/** Firefox's key without its version digit (MDN's page names), for pasted keys. */
const FIREFOX_KEYS: ReadonlyMap<string, FirefoxReason> = new Map(
  FIREFOX_REASONS.map((r) => [r.key.replace(/\d+$/, '').toLowerCase(), r]),
);

/** What a quoted allow-origin value is: several values, an origin (or null) that differs, or no origin at all. */
function allowOriginCode(value: string): CorsErrorCode {
  if (/[ ,]/.test(value)) return 'MultipleAllowOriginValues';
  if (value === 'null') return 'AllowOriginMismatch';
  try {
    new URL(value);
    return 'AllowOriginMismatch';
  } catch {
    return 'InvalidAllowOriginValue';
  }
}

/** A Firefox reason matched in a line: its code, refined by what the line quotes and its status. */
function firefoxCode(
  entry: FirefoxReason & { code: CorsErrorCode },
  hint: string,
  status: number | null,
): CorsErrorCode {
  if (entry.key === 'CORSAllowOriginNotMatchingOrigin') return allowOriginCode(hint);
  // Firefox prints "preflight response did not succeed" after a redirected preflight too: its
  // status says which.
  if (entry.code === 'PreflightInvalidStatus' && status !== null && status >= 300 && status < 400)
    return 'PreflightDisallowedRedirect';
  return entry.code;
}

/** WebKit's (Safari's) lines: WebCore's messages (reasons.ts writes the same ones). */
const WEBKIT_DETAILS: readonly (DetailPattern & { readonly note?: string })[] = [
  {
    re: /^Access-Control-Allow-Origin cannot contain more than one origin\./,
    code: 'MultipleAllowOriginValues',
  },
  {
    re: /^Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\./,
    code: 'WildcardOriginNotAllowed',
  },
  {
    re: /^Credentials flag is true, but Access-Control-Allow-Credentials is not "true"\./,
    code: 'InvalidAllowCredentials',
  },
  { re: /^Preflight response is not successful\.? Status code: (\d+)/, code: 'PreflightInvalidStatus' },
  {
    re: /^Preflight response is not successful\.?$/,
    code: 'PreflightInvalidStatus',
    note: 'WebKit says this for a preflight answered with a redirect as well as for one with a status outside 200–299.',
  },
  {
    re: /^Header Access-Control-Allow-Methods has an invalid value: (.*)$/,
    code: 'InvalidAllowMethodsPreflightResponse',
  },
  {
    re: /^Header Access-Control-Allow-Headers has an invalid value: (.*)$/,
    code: 'InvalidAllowHeadersPreflightResponse',
  },
  {
    re: /^Method (\S+) is not allowed by Access-Control-Allow-Methods\.$/,
    code: 'MethodDisallowedByPreflightResponse',
  },
  {
    re: /^Request header field (\S+) is not allowed by Access-Control-Allow-Headers\.$/,
    code: 'HeaderDisallowedByPreflightResponse',
  },
];

/** Curly quotes (Firefox's source strings) read as ASCII ones. */
function straightQuotes(text: string): string {
  return text.replace(/[\u2018\u2019]/g, "'");
}

const empty = {
  hint: '',
  url: null,
  initialUrl: null,
  origin: null,
  initiator: null,
  status: null,
  note: null,
  key: null,
} as const;

/** Chromium's lines, current and older formats. */
function parseChromium(text: string): ParsedMessage | null {
  // Chromium, current: Access to fetch at '<url>' (redirected from '<url0>') from origin '<o>' has been blocked by CORS policy: <detail>
  let m: RegExpExecArray | null =
    /Access to (\S+(?: \S+)?) at '([^']*)' (?:\(redirected from '([^']*)'\) )?from origin '([^']*)' has been blocked by CORS policy: (.*)$/.exec(
      text,
    );
  if (m !== null) {
    const detail = chromiumDetail(m[5]!);
    if (detail === null) return null;
    const kind = m[1]!.toLowerCase();
    return {
      ...empty,
      browser: 'chromium',
      ...detail,
      url: m[2]!,
      initialUrl: m[3] ?? m[2]!,
      origin: m[4]!,
      initiator: kind === 'fetch' ? 'fetch' : kind === 'xmlhttprequest' ? 'xhr' : null,
    };
  }
  // Chromium, 2019–21: Failed to load <url>: <detail> Origin '<o>' is therefore not allowed access.
  m = /Failed to load (\S+?): (.*?)(?: Origin '([^']*)' is therefore not allowed access\..*)?$/.exec(text);
  if (m !== null) {
    const detail = chromiumDetail(m[2]!);
    if (detail !== null) return olderChromium(detail, m[1]!, m[3] ?? null, null);
  }
  // Chromium, older still: XMLHttpRequest cannot load <url>. <detail> / Fetch API cannot load <url>. <detail>
  m = /(XMLHttpRequest|Fetch API) cannot load (\S+?)\. (.*)$/.exec(text);
  if (m !== null) {
    const detail = chromiumDetail(m[3]!.replace(/ Origin '[^']*' is therefore not allowed access\..*$/, ''));
    const origin = /Origin '([^']*)' is therefore not allowed access/.exec(m[3]!)?.[1] ?? null;
    if (detail !== null) return olderChromium(detail, m[2]!, origin, m[1] === 'Fetch API' ? 'fetch' : 'xhr');
  }
  return null;
}

/** A message of Chromium's older formats, which name one URL (no redirect chain). */
function olderChromium(
  detail: NonNullable<ReturnType<typeof chromiumDetail>>,
  url: string,
  origin: string | null,
  initiator: ParsedMessage['initiator'],
): ParsedMessage {
  return { ...empty, browser: 'chromium', ...detail, url, initialUrl: url, origin, initiator };
}

/** Firefox's lines ("Cross-Origin Request Blocked/Warning"), or only its key. */
function parseFirefox(text: string): ParsedMessage | null {
  // Firefox: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at <url>. (Reason: <reason>). Status code: <n>.
  let m: RegExpExecArray | null =
    /The Same Origin Policy (?:disallows|will disallow) reading the remote resource at '?(\S+?)'?\.? (?:soon\. )?\(Reason: (.*?)\)\.?(?: Status code: (\d+)\.?)?$/.exec(
      text,
    );
  if (m !== null) {
    const reason = m[2]!;
    const status = m[3] === undefined ? null : Number(m[3]);
    for (const entry of FIREFOX_REASONS) {
      const r = entry.re.exec(reason);
      if (r === null) continue;
      const base = {
        ...empty,
        browser: 'firefox' as const,
        url: m[1]!,
        initialUrl: m[1]!,
        status,
        key: entry.key,
      };
      if ('note' in entry) return { ...base, code: null, note: entry.note };
      const hint = r[1] ?? '';
      return { ...base, code: firefoxCode(entry, hint, status), hint };
    }
    return null;
  }
  // Firefox's key alone (its console links it; MDN names it without the version digit).
  m = /^(CORS[A-Za-z]+?)\d*$/i.exec(text);
  const keyed = m === null ? undefined : FIREFOX_KEYS.get(m[1]!.toLowerCase());
  if (keyed !== undefined) {
    const base = { ...empty, browser: 'firefox' as const, key: keyed.key };
    return 'note' in keyed ? { ...base, code: null, note: keyed.note } : { ...base, code: keyed.code };
  }
  return null;
}

/** WebKit's (Safari's) lines: WebCore's messages, and the script error after them. */
function parseWebKit(text: string): ParsedMessage | null {
  // WebKit (Safari), the specific line: the console prints it without the URL.
  const webkitText = text.replace(/^CONSOLE SECURITY ERROR /, '');
  for (const { re, code, note } of WEBKIT_DETAILS) {
    const w = re.exec(webkitText);
    if (w === null) continue;
    const status = code === 'PreflightInvalidStatus' && w[1] !== undefined ? Number(w[1]) : null;
    const hint = code === 'PreflightInvalidStatus' ? '' : (w[1] ?? '');
    // WebKit says "not successful" for a redirected preflight too: its status tells which.
    const redirected = status !== null && status >= 300 && status < 400;
    return {
      ...empty,
      browser: 'safari',
      code: redirected ? 'PreflightDisallowedRedirect' : code,
      hint,
      status,
      // A redirect's own cause and fix say why; the line adds nothing to them.
      note: redirected ? null : (note ?? null),
    };
  }
  let m: RegExpExecArray | null =
    /^Cross-origin redirection to (\S+) denied by Cross-Origin Resource Sharing policy: (.*)$/.exec(
      webkitText,
    );
  if (m !== null) {
    const why = m[2]!;
    const base = { ...empty, browser: 'safari' as const, url: m[1]!, initialUrl: m[1]! };
    if (/non CORS scheme/.test(why)) return { ...base, code: 'CorsDisabledScheme', hint: m[1]! };
    if (/has credentials$/.test(why)) return { ...base, code: 'RedirectContainsCredentials', hint: m[1]! };
    const inner = parseCorsMessage(why);
    if (inner !== null && inner.browser === 'safari')
      return {
        ...inner,
        url: m[1]!,
        initialUrl: m[1]!,
        note: `The refused answer was a redirect (to this URL): CORS is checked on the redirect itself.${inner.note ? ` ${inner.note}` : ''}`,
      };
    return null;
  }
  // Safari (recognized from pasted logs).
  m = /Origin (\S+) is not allowed by Access-Control-Allow-Origin\.(?: Status code: (\d+))?/.exec(text);
  if (m !== null) {
    return {
      ...empty,
      browser: 'safari',
      code: 'MissingAllowOriginHeader',
      origin: m[1]!,
      status: m[2] === undefined ? null : Number(m[2]),
      note: 'Safari says only that the origin was not allowed: no Access-Control-Allow-Origin, or one that does not match.',
    };
  }
  m = /Fetch API cannot load (\S+) due to access control checks\./.exec(text);
  if (m !== null) {
    return {
      ...empty,
      browser: 'safari',
      code: null,
      url: m[1]!,
      initialUrl: m[1]!,
      note: 'Safari does not say which check failed. Its console usually prints a more specific line just before this one; paste that, or run corsica check.',
    };
  }
  return null;
}

/** Reads a pasted CORS message; null when it is not one this parser knows. */
export function parseCorsMessage(pasted: string): ParsedMessage | null {
  const text = straightQuotes(pasted.replace(/\s+/g, ' ').trim());
  return parseChromium(text) ?? parseFirefox(text) ?? parseWebKit(text);
}
