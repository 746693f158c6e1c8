// Advice: the cause of a CORS failure in plain words and its fix, written for the person who has
// to change the server, in corsica, cors, @fastify/cors, hono/cors and nginx terms. The browser
// model says what the browser did and said; this says why and what to change. `check`, `explain`,
// `audit`, the playground and the extension all print what this writes.

import type { CorsFailure, Exchange } from '../browser/index.js';
import { type Fix, fixFor } from './fixes.js';
import { grantedContext } from './granted.js';

export { type AuditFixClass, type AuditFixDetail, auditFix, type FixSite } from './audit-fixes.js';
export type { Fix } from './fixes.js';
export { type SnippetOptions, type SnippetRequest, snippets } from './snippets.js';

/** Why a request failed, and what to change. */
export interface Advice {
  readonly cause: string;
  readonly fix: Fix;
}

/**
 * The cause and fix of a failure the model found. With the fetch's exchanges, a fix written as
 * options is a whole configuration: what the server's answers showed plus what the request needs.
 */
export function adviceFor(failure: CorsFailure, exchanges: readonly Exchange[] = []): Advice {
  const ctx = { ...failure.context, ...grantedContext(exchanges, failure.context.url, failure.response) };
  return fixFor(failure, ctx);
}
