// corsica/browser: the client half of the CORS protocol as a pure model (no I/O). It says what a
// browser (Chromium by default; Firefox, WebKit or the bare standard on request) does with a
// cross-origin request: whether it preflights and why, what it sends, whether it accepts each
// answer, what the page may read, and, when it refuses, that engine's own console lines. Why it
// failed and what to change is src/advice/, published beside it (src/entries/browser.ts).
//
// Only what the README documents is exported here (its "API reference", held to these exports by
// test/package/surface.test.ts); corsica's own parts import helpers from their modules.

export {
  type BodyKind,
  type BrowserRequest,
  type Classification,
  type CredentialsMode,
  classifyRequest,
  type PreflightReason,
  type RequestRefusal,
} from './classify.js';
export type { Engine } from './engines.js';
export {
  type CorsErrorCode,
  type CorsFailure,
  type CorsFailureCore,
  explainFailure,
  type FailureContext,
} from './errors.js';
export {
  type Exchange,
  type FetchOptions,
  type FetchOutcome,
  simulateFetch,
  type Transport,
  type WireRequest,
} from './flow.js';
export type { HeaderPairs, HeadersInput } from './headers.js';
export { type ParsedMessage, parseCorsMessage } from './parse-message.js';
export { PreflightCache } from './preflight-cache.js';
export type { ConsoleLine, EngineReason } from './reasons.js';
export {
  type BrowserResponse,
  checkPreflight,
  corsCheck,
  type PreflightGrant,
  parseMaxAge,
  readableHeaders,
} from './response-checks.js';
export type { UnsafeHeaderReason } from './safelist.js';
