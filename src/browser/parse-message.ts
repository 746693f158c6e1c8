// Reading a CORS error someone pasted: Chromium's console line (current and 2019–21 formats),
// Firefox's "Cross-Origin Request Blocked" line, and Safari's terse ones. The result names the
// failure in the model's terms, so that it can be explained and reproduced with `corsica check`.

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

/** Firefox reasons (security.properties), current and older wordings, after quote normalization. */
const FIREFOX_REASONS: readonly (DetailPattern | { re: RegExp; note: string })[] = [
  {
    // CORSAllowHeaderFromPreflightDeprecation: a warning, and the request went through.
    re: /^When the [`']Access-Control-Allow-Headers[`'] is [`']\*[`'], the [`']Authorization[`'] header is not covered/,
    note: "A warning, not a refusal: Firefox let the request through, but the Fetch standard says Access-Control-Allow-Headers: * does not cover Authorization, and Firefox will stop allowing it (pref network.cors_preflight.authorization_covered_by_wildcard). Fix: list Authorization in Access-Control-Allow-Headers (allowedHeaders: ['Authorization', ...]).",
  },
  { re: /^CORS header 'Access-Control-Allow-Origin' missing/, code: 'MissingAllowOriginHeader' },
  {
    re: /^Multiple CORS header 'Access-Control-Allow-Origin' not allowed/,
    code: 'MultipleAllowOriginValues',
  },
  { re: /^CORS header 'Access-Control-Allow-Origin' does not match '(.*)'/, code: 'AllowOriginMismatch' },
  {
    re: /^Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '\*'/,
    code: 'WildcardOriginNotAllowed',
  },
  {
    re: /^expected 'true' in CORS header 'Access-Control-Allow-Credentials'/,
    code: 'InvalidAllowCredentials',
  },
  {
    re: /^Did not find method in CORS header 'Access-Control-Allow-Methods'/,
    code: 'MethodDisallowedByPreflightResponse',
  },
  { re: /^CORS preflight (response|channel) did not succeed/, code: 'PreflightInvalidStatus' },
  {
    re: /^invalid token '(.*)' in CORS header 'Access-Control-Allow-Methods'/,
    code: 'InvalidAllowMethodsPreflightResponse',
  },
  {
    re: /^invalid token '(.*)' in CORS header 'Access-Control-Allow-Headers'/,
    code: 'InvalidAllowHeadersPreflightResponse',
  },
  {
    re: /^header '(.*)' is not allowed according to header 'Access-Control-Allow-Headers'/,
    code: 'HeaderDisallowedByPreflightResponse',
  },
  {
    re: /^missing token '(.*)' in CORS header 'Access-Control-Allow-Headers'/,
    code: 'HeaderDisallowedByPreflightResponse',
  },
  { re: /^CORS request external redirect not allowed/, code: 'PreflightDisallowedRedirect' },
  { re: /^CORS request not http/, code: 'CorsDisabledScheme' },
  {
    re: /^CORS request did not succeed/,
    note: 'The request failed below CORS: DNS, a refused connection, a TLS or certificate error, mixed content, an extension, or no answer at all. No CORS header can fix it; check that the URL is reachable.',
  },
  {
    re: /^CORS disabled/,
    note: 'CORS is turned off in this Firefox (content.cors.disable); nothing on the server can help.',
  },
  {
    re: /^CORS header 'Origin' cannot be added/,
    note: 'Firefox could not add Origin (an extension content script or an expanded principal made the request).',
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
} as const;

/** Reads a pasted CORS message; null when it is not one this parser knows. */
export function parseCorsMessage(pasted: string): ParsedMessage | null {
  const text = straightQuotes(pasted.replace(/\s+/g, ' ').trim());

  // Chromium, current: Access to fetch at '<url>' (redirected from '<url0>') from origin '<o>' has been blocked by CORS policy: <detail>
  let m =
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
    if (detail !== null)
      return {
        ...empty,
        browser: 'chromium',
        ...detail,
        url: m[1]!,
        initialUrl: m[1]!,
        origin: m[3] ?? null,
      };
  }
  // Chromium, older still: XMLHttpRequest cannot load <url>. <detail> / Fetch API cannot load <url>. <detail>
  m = /(XMLHttpRequest|Fetch API) cannot load (\S+?)\. (.*)$/.exec(text);
  if (m !== null) {
    const detail = chromiumDetail(m[3]!.replace(/ Origin '[^']*' is therefore not allowed access\..*$/, ''));
    const origin = /Origin '([^']*)' is therefore not allowed access/.exec(m[3]!)?.[1] ?? null;
    if (detail !== null) {
      return {
        ...empty,
        browser: 'chromium',
        ...detail,
        url: m[2]!,
        initialUrl: m[2]!,
        origin,
        initiator: m[1] === 'Fetch API' ? 'fetch' : 'xhr',
      };
    }
  }
  // Firefox: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at <url>. (Reason: <reason>). Status code: <n>.
  m =
    /The Same Origin Policy (?:disallows|will disallow) reading the remote resource at '?(\S+?)'?\.? (?:soon\. )?\(Reason: (.*?)\)\.?(?: Status code: (\d+)\.?)?$/.exec(
      text,
    );
  if (m !== null) {
    const reason = m[2]!;
    const status = m[3] === undefined ? null : Number(m[3]);
    for (const entry of FIREFOX_REASONS) {
      const r = entry.re.exec(reason);
      if (r === null) continue;
      const base = { ...empty, browser: 'firefox' as const, url: m[1]!, initialUrl: m[1]!, status };
      if ('note' in entry) return { ...base, code: null, note: entry.note };
      return { ...base, code: entry.code, hint: r[1] ?? '' };
    }
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
