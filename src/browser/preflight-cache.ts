// The CORS-preflight cache (https://fetch.spec.whatwg.org/#cors-preflight-cache), keyed as Chromium keys it: by the
// request's origin and URL, one grant per key, with a flag saying whether it was credentialed.

import type { Classification } from './classify.js';
import { type PreflightGrant, refusedBy } from './response-checks.js';

interface Entry {
  readonly grant: PreflightGrant;
  /** Milliseconds, on the cache's clock. */
  readonly expires: number;
}

/** The key of a request from `origin` to `url`. */
const keyOf = (origin: string, url: string) => `${origin} ${url}`;

/** A browser's preflight cache: grants stored from preflight answers, until their max-age runs out. */
export class PreflightCache {
  private readonly entries = new Map<string, Entry>();

  /** `now` returns milliseconds; tests pass their own clock. */
  constructor(private readonly now: () => number = Date.now) {}

  /** True when a cached grant lets `request` (to `url`, from `origin`) skip its preflight. */
  covers(request: Classification, origin: string, url: string): boolean {
    const key = keyOf(origin, url);
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    // A grant made without credentials never covers a credentialed request.
    if (!entry.grant.credentialed && request.credentialed) return false;
    return refusedBy(entry.grant, request) === null;
  }

  /** Keeps a grant for its max-age (nothing is kept for 0). */
  store(origin: string, url: string, grant: PreflightGrant): void {
    const key = keyOf(origin, url);
    if (grant.maxAge <= 0) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { grant, expires: this.now() + grant.maxAge * 1000 });
  }

  /** A preflighted fetch that failed clears what was kept for its origin and URL. */
  forget(origin: string, url: string): void {
    this.entries.delete(keyOf(origin, url));
  }
}
