// Every way the browser engines part from one another, as data: one row per engine, each fact
// with the source it comes from and the release it was measured on. The model reads this table and
// branches on nothing else, so a new browser release is an edit here (the release, and any fact
// it changed) and a run of the differential tests against the real browsers
// (test/e2e/browser-model.test.ts, firefox-model.test.ts, webkit-model.test.ts), which check the
// installed browser is the release named here. The "Where browsers differ" section of
// docs/browsers.md names every fact on which the engines differ, with the releases of this table
// (test/browser/engines-table.test.ts checks both).

/**
 * The browser the model answers for: `chromium` (the default), `firefox`, `webkit` (WebCore, as in
 * Safari and WebKitGTK), or `standard` (the Fetch standard alone, with Chromium's words for its
 * failures). Each follows its real browser where they differ (docs/browsers.md, "Where browsers differ").
 */
export type Engine = 'chromium' | 'firefox' | 'webkit' | 'standard';

/** Every engine, in the order reports list them. */
export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit', 'standard'];

/** The checks of a preflight answer (https://fetch.spec.whatwg.org/#cors-preflight-fetch, step 7), in the order an engine runs them. */
export type PreflightCheckStep =
  /** The CORS check of the answer (allow-origin, allow-credentials). */
  | 'cors-check'
  /** An ok status (200 to 299). */
  | 'status'
  /** Access-Control-Allow-Methods parsed. */
  | 'allow-methods'
  /** Access-Control-Allow-Headers parsed. */
  | 'allow-headers'
  /** The request's method allowed. */
  | 'method'
  /** The request's headers allowed. */
  | 'headers';

/** A value rule for a request header an engine safelists beyond the standard. */
export type ValueRule = (value: string) => boolean;

/** How an engine reads Access-Control-Max-Age (seconds a preflight answer may be cached). */
export interface MaxAgeRule {
  /** Seconds when the header is absent or blank. */
  readonly default: number;
  /** The longest the engine keeps an answer. */
  readonly cap: number;
  /** What a value must look like to be read as a number. */
  readonly syntax: RegExp;
  /** What a value of another shape gets: the default, or 0 (not cached). A negative number gets 0. */
  readonly malformed: 'default' | 'not-cached';
}

/** One engine's facts. */
export interface EngineFacts {
  /** The engine, as people name it. */
  readonly name: string;
  /**
   * The browser and release the facts were measured on, as the README and docs/ write them (`Firefox` and
   * `153 ESR`); null for the standard. The differential tests check the installed browser is this
   * release.
   */
  readonly measuredOn: { readonly browser: string; readonly release: string } | null;
  /**
   * Whose console words tell a failure (reasons.ts): the standard's failures are told in
   * Chromium's, the one engine whose messages name a cause per failure.
   */
  readonly words: 'chromium' | 'firefox' | 'webkit';

  // The request.
  /** Request headers the engine safelists beyond the standard, with the values it accepts. */
  readonly extraSafelistedHeaders: ReadonlyMap<string, ValueRule>;
  /** Request headers the engine drops when it follows a redirect. */
  readonly droppedOnRedirect: readonly string[];

  // The CORS check (https://fetch.spec.whatwg.org/#cors-check). Every engine runs it in the same order in effect (`*`,
  // then presence, then equality, then credentials); they differ in how they name a failure.
  /**
   * Several Access-Control-Allow-Origin lines: null when the engine reads them as one value joined
   * with ", " (as the standard's "get" does); else the name it refuses them under, before anything else.
   */
  readonly severalAllowOriginLines: string | null;
  /** Which characters make an allow-origin value that is not the origin "several origins". */
  readonly severalOriginsMarkedBy: 'comma-or-space' | 'comma';

  // The preflight (https://fetch.spec.whatwg.org/#cors-preflight-fetch).
  /** The checks of a preflight answer, in the engine's order; the first failure is the one named. */
  readonly preflightChecks: readonly PreflightCheckStep[];
  /**
   * How Access-Control-Allow-Methods and -Headers are parsed: `fetch-list` as the standard's
   * list grammar (any bad item refuses the list, nothing quoted); `tokens` split on commas, empty
   * items skipped, the failure quoting the first bad item (`item`) or the whole value (`value`).
   */
  readonly allowLists:
    | { readonly syntax: 'fetch-list' }
    | { readonly syntax: 'tokens'; readonly quote: 'item' | 'value' };
  /**
   * The header names a preflight answer must allow: the request's unsafe ones, or those its
   * Access-Control-Request-Headers asked for (they differ after a redirect).
   */
  readonly headersChecked: 'request' | 'asked';
  /** Which refused header a failure names: the first in sorted order, or in the request's own order. */
  readonly refusedHeaderNamed: 'first-sorted' | 'first-in-request';
  /** Whether `Access-Control-Allow-Headers: *` covers Authorization (the standard says no). */
  readonly wildcardCoversAuthorization: boolean;
  /** Whether the engine warns when `*` is what lets Authorization through. */
  readonly warnsWildcardAuthorization: boolean;
  readonly maxAge: MaxAgeRule;
  /** The statuses of a preflight answer refused as a redirect (with a Location). */
  readonly preflightRedirectStatuses: 'any-3xx' | readonly number[];
  /** Whether a redirected preflight answer gets the CORS check first, and is named for that failure. */
  readonly preflightRedirectCorsCheckFirst: boolean;

  // Redirects (https://fetch.spec.whatwg.org/#http-redirect-fetch).
  /** The Origin a preflight carries after a redirect tainted the request: `null`, or the page's. */
  readonly taintedPreflightOrigin: 'null' | 'page';
  /**
   * Which later hops of a preflighted request preflight again: those that need it as they now
   * stand (the standard); every one, asking for the first list; or every one, asking for the
   * first list less Content-Type after a method rewrite and less Authorization after a change of
   * origin.
   */
  readonly preflightAfterRedirect: 'when-needed' | 'every-hop' | 'every-hop-less-dropped';
  /**
   * A redirect to a scheme other than http(s): the schemes that are network errors (with their
   * message), and what every other scheme gets.
   */
  readonly redirectToOtherScheme: {
    readonly networkErrors: ReadonlyMap<string, string>;
    readonly otherwise: 'cors-failure' | { readonly networkError: string };
  };
  /** A Location that is no URL: a network error, or the failure of a scheme the engine cannot fetch. */
  readonly unparsableLocation: 'network-error' | 'cors-failure';
  /** The URL the failure of a redirect to another scheme names: where it pointed, or the redirect's own. */
  readonly otherSchemeFailureAt: 'target' | 'redirect';
  /** What a refusal of a redirect with a user name and password quotes as its location. */
  readonly userinfoRedirectQuotes: 'empty' | 'location';
}

const decimal: ValueRule = (v) => /^\d+(\.\d+)?$/.test(v);
const integer: ValueRule = (v) => /^\d+$/.test(v);

/**
 * Chromium's legacy client hints that script may still set, with the value rules it applies
 * (cors_util.cc IsCorsSafelistedHeader). `Intervention` is there too, with any value, though no
 * document lists it.
 */
const CHROMIUM_CLIENT_HINTS: ReadonlyMap<string, ValueRule> = new Map([
  ['device-memory', decimal],
  ['dpr', decimal],
  ['downlink', decimal],
  ['width', integer],
  ['viewport-width', integer],
  ['rtt', integer],
  ['ect', (v: string) => ['unknown', 'offline', 'slow-2g', '2g', '3g', '4g'].includes(v)],
  ['save-data', (v: string) => v.toLowerCase() === 'on'],
  ['intervention', () => true],
]);

/**
 * The schemes Chromium's CorsDisabledScheme message lists (a redirect to ftp:, mailto:, ...); every
 * engine's failure carries them, as Chromium's message is the one every outcome has.
 */
export const CHROMIUM_CORS_SCHEMES =
  'chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app';

const FOLLOWED_REDIRECTS = [301, 302, 303, 307, 308];
const schemes = (list: readonly string[], error: string): ReadonlyMap<string, string> =>
  new Map(list.map((scheme) => [scheme, error]));

const CHROMIUM: EngineFacts = {
  name: 'Chromium',
  measuredOn: { browser: 'Chromium', release: '156' },
  words: 'chromium',
  extraSafelistedHeaders: CHROMIUM_CLIENT_HINTS,
  // Seen in the release above: the hints but Save-Data and Intervention do not follow a redirect.
  droppedOnRedirect: ['device-memory', 'dpr', 'width', 'viewport-width', 'rtt', 'downlink', 'ect'],
  // cors.cc CheckAccess: one joined value; a space or a comma in it is "multiple values".
  severalAllowOriginLines: null,
  severalOriginsMarkedBy: 'comma-or-space',
  // preflight_controller.cc, preflight_result.cc: both lists parsed before either is compared.
  preflightChecks: ['cors-check', 'status', 'allow-methods', 'allow-headers', 'method', 'headers'],
  allowLists: { syntax: 'fetch-list' },
  headersChecked: 'request',
  // Chromium names one of several refused headers by its internal header table's order, which a
  // model cannot know: the first in sorted order, with all of them in `refused`.
  refusedHeaderNamed: 'first-sorted',
  wildcardCoversAuthorization: true,
  warnsWildcardAuthorization: false,
  // preflight_result.cc: absent or not an integer → 5 s; negative → 0 (not cached); capped at 2 h.
  maxAge: { default: 5, cap: 7200, syntax: /^[+-]?\d+$/, malformed: 'default' },
  preflightRedirectStatuses: 'any-3xx',
  preflightRedirectCorsCheckFirst: false,
  taintedPreflightOrigin: 'null',
  preflightAfterRedirect: 'when-needed',
  // ftp:, mailto:, javascript: and custom schemes are a CORS error naming its list of schemes.
  redirectToOtherScheme: {
    networkErrors: new Map([
      ...schemes(['data:', 'file:', 'about:', 'blob:', 'filesystem:'], 'net::ERR_UNSAFE_REDIRECT'),
      ...schemes(['ws:', 'wss:'], 'net::ERR_UNKNOWN_URL_SCHEME'),
    ]),
    otherwise: 'cors-failure',
  },
  unparsableLocation: 'network-error',
  // Its console names the URL it was sent to.
  otherSchemeFailureAt: 'target',
  // Its message quotes an empty location (`Redirect location ''`); the cause names the real one.
  userinfoRedirectQuotes: 'empty',
};

const FIREFOX: EngineFacts = {
  name: 'Firefox',
  measuredOn: { browser: 'Firefox', release: '153 ESR' },
  words: 'firefox',
  // Firefox safelists none of Chromium's client hints: `Save-Data` or `DPR` get a preflight.
  extraSafelistedHeaders: new Map(),
  droppedOnRedirect: [],
  // nsCORSListenerProxy.cpp CheckRequestApproved: several lines are refused before anything else;
  // one line holding a comma is a mismatch that quotes it.
  severalAllowOriginLines: 'CORSMultipleAllowOriginNotAllowed',
  severalOriginsMarkedBy: 'comma-or-space',
  // nsCORSPreflightListener: the method is looked for before the headers are read.
  preflightChecks: ['cors-check', 'status', 'allow-methods', 'method', 'allow-headers', 'headers'],
  allowLists: { syntax: 'tokens', quote: 'item' },
  // It compares the answer with the list Access-Control-Request-Headers carried.
  headersChecked: 'asked',
  refusedHeaderNamed: 'first-sorted',
  wildcardCoversAuthorization: true,
  // CORSAllowHeaderFromPreflightDeprecation.
  warnsWildcardAuthorization: true,
  // nsCORSListenerProxy.cpp: absent or empty → 5 s; anything but digits, or 0 → not cached;
  // capped at 24 h.
  maxAge: { default: 5, cap: 86400, syntax: /^\d+$/, malformed: 'not-cached' },
  preflightRedirectStatuses: FOLLOWED_REDIRECTS,
  // Its preflight listener checks the CORS headers of a redirected answer first.
  preflightRedirectCorsCheckFirst: true,
  // Its preflights carry the page's origin even after a tainting redirect.
  taintedPreflightOrigin: 'page',
  // nsCORSListenerProxy CheckPreflightNeeded, SetCorsPreflightParameters.
  preflightAfterRedirect: 'every-hop-less-dropped',
  // "CORS request not http" for ftp:, mailto:, about: and custom schemes; only "did not succeed"
  // for these.
  redirectToOtherScheme: {
    networkErrors: schemes(
      ['data:', 'file:', 'javascript:', 'blob:', 'ws:', 'wss:'],
      'NetworkError when attempting to fetch resource.',
    ),
    otherwise: 'cors-failure',
  },
  unparsableLocation: 'network-error',
  otherSchemeFailureAt: 'redirect',
  userinfoRedirectQuotes: 'location',
};

const WEBKIT: EngineFacts = {
  name: 'WebKit',
  // WebCore's behaviour, which Safari shares, measured in WebKitGTK's MiniBrowser.
  measuredOn: { browser: 'WebKitGTK', release: '2.50' },
  words: 'webkit',
  extraSafelistedHeaders: new Map(),
  droppedOnRedirect: [],
  // CrossOriginAccessControl.cpp passesAccessControlCheck: one message for a missing, a different
  // and an unparsable value; "more than one origin" only for a comma.
  severalAllowOriginLines: null,
  severalOriginsMarkedBy: 'comma',
  // validatePreflightResponse: the status before anything else.
  preflightChecks: ['status', 'cors-check', 'allow-methods', 'allow-headers', 'method', 'headers'],
  // parseAccessControlAllowList.
  allowLists: { syntax: 'tokens', quote: 'value' },
  headersChecked: 'request',
  refusedHeaderNamed: 'first-in-request',
  wildcardCoversAuthorization: true,
  warnsWildcardAuthorization: false,
  // CrossOriginPreflightResultCache.cpp: absent or not an integer → 5 s; capped at 600 s.
  maxAge: { default: 5, cap: 600, syntax: /^[+-]?\d+$/, malformed: 'default' },
  preflightRedirectStatuses: FOLLOWED_REDIRECTS,
  preflightRedirectCorsCheckFirst: false,
  taintedPreflightOrigin: 'null',
  preflightAfterRedirect: 'every-hop',
  // An access-control error for every scheme ("FTP URLs are disabled", else "non CORS scheme").
  redirectToOtherScheme: { networkErrors: new Map(), otherwise: 'cors-failure' },
  // Refused as a redirect to a scheme it cannot fetch, quoting the Location.
  unparsableLocation: 'cors-failure',
  otherSchemeFailureAt: 'redirect',
  userinfoRedirectQuotes: 'location',
};

/** The Fetch standard alone: where it sets no order or limit, Chromium's are taken. */
const STANDARD: EngineFacts = {
  ...CHROMIUM,
  name: 'the Fetch standard',
  measuredOn: null,
  extraSafelistedHeaders: new Map(),
  droppedOnRedirect: [],
  // `*` never covers Authorization:
  // https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
  wildcardCoversAuthorization: false,
  // A Location whose scheme is not HTTP(S) is a network error:
  // https://fetch.spec.whatwg.org/#http-redirect-fetch
  redirectToOtherScheme: {
    networkErrors: new Map(),
    otherwise: { networkError: 'net::ERR_UNSAFE_REDIRECT' },
  },
  userinfoRedirectQuotes: 'location',
};

/** The table: every engine's facts. */
export const ENGINE_FACTS: Readonly<Record<Engine, EngineFacts>> = {
  chromium: CHROMIUM,
  firefox: FIREFOX,
  webkit: WEBKIT,
  standard: STANDARD,
};

/** An engine's facts; a clear error for a name that is no engine (a caller outside TypeScript). */
export function factsOf(engine: Engine): EngineFacts {
  if (typeof engine === 'string' && Object.hasOwn(ENGINE_FACTS, engine)) return ENGINE_FACTS[engine];
  throw new TypeError(
    `Unknown engine ${typeof engine === 'string' ? `'${engine}'` : typeof engine}: the model answers for ${ENGINES.map((e) => `'${e}'`).join(', ')}.`,
  );
}

/** The browser and release an engine's facts were measured on (`Firefox 153 ESR`); null for the standard. */
export function measuredOn(engine: Engine): string | null {
  const measured = factsOf(engine).measuredOn;
  return measured === null ? null : `${measured.browser} ${measured.release}`;
}
