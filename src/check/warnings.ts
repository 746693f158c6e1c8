// What an allowed answer can still get wrong: a check that says only "allowed" for a
// server that reflects any origin with credentials would be advice that points the wrong way.
// Each warning has a code (in --json too) and the seed article's pitfall where it is one.

import { getHeader } from '../browser/headers.js';
import type { BrowserRequest } from '../browser/index.js';
import { type FetchOutcome, simulateFetch, type Transport } from '../browser/index.js';
import { splitCommaList } from '../syntax/whitespace.js';

export type CheckWarningCode =
  | 'VARY_ORIGIN_MISSING'
  | 'NULL_ORIGIN_ALLOWED'
  | 'REFLECTS_ANY_ORIGIN_WITH_CREDENTIALS'
  | 'REFLECTS_ANY_ORIGIN';

export interface CheckWarning {
  readonly code: CheckWarningCode;
  readonly severity: 'hole' | 'risk';
  readonly message: string;
  readonly fix: string;
  readonly pitfall?: number;
}

/** An origin no server should trust, for the second probe of a server that echoes origins. */
export const PROBE_ORIGIN = 'https://corsica-probe.invalid';

/** The last answer of an allowed fetch (the actual response, after any redirects). */
function lastResponse(outcome: FetchOutcome) {
  return outcome.exchanges[outcome.exchanges.length - 1]?.response ?? null;
}

/**
 * The request that asks whether the server echoes any origin: the same one from PROBE_ORIGIN, or,
 * for an unsafe method, a GET with the same credentials, so that a POST is never sent twice.
 */
function echoProbe(request: BrowserRequest): BrowserRequest {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return { ...request, origin: PROBE_ORIGIN };
  return {
    url: request.url,
    origin: PROBE_ORIGIN,
    ...(request.credentials === undefined ? {} : { credentials: request.credentials }),
    ...(request.engine === undefined ? {} : { engine: request.engine }),
  };
}

/** Warnings about an allowed answer; may send one more request (with an untrusted origin). */
export async function warningsFor(
  outcome: FetchOutcome,
  request: BrowserRequest,
  transport: Transport,
): Promise<CheckWarning[]> {
  const response = lastResponse(outcome);
  if (outcome.verdict !== 'allowed' || response === null) return [];
  const headers = response.headers;
  const acao = getHeader(headers, 'access-control-allow-origin');
  const credentials = getHeader(headers, 'access-control-allow-credentials') === 'true';
  const warnings: CheckWarning[] = [];
  if (acao === 'null') {
    warnings.push({
      code: 'NULL_ORIGIN_ALLOWED',
      severity: 'hole',
      message:
        "The server allows the origin 'null': sandboxed iframes, data: and file: pages send it, so any site can read these answers.",
      fix: "Remove 'null' from the allowed origins (corsica refuses it unless allowNullOrigin: true).",
    });
  }
  if (acao !== null && acao !== '*' && acao !== 'null') {
    const vary = splitCommaList((getHeader(headers, 'vary') ?? '').toLowerCase());
    if (!vary.includes('origin') && !vary.includes('*')) {
      warnings.push({
        code: 'VARY_ORIGIN_MISSING',
        severity: 'risk',
        pitfall: 5,
        message: `The answer names the origin ${acao} but has no Vary: Origin: a shared cache may serve it to another origin, which the browser then refuses (or, worse, serves another origin's answer here).`,
        fix: 'Add Vary: Origin to every answer whose Access-Control-Allow-Origin depends on the request (corsica does).',
      });
    }
    if (acao === request.origin && request.origin !== PROBE_ORIGIN) {
      const probe = await simulateFetch(echoProbe(request), transport);
      if (probe.verdict === 'allowed') {
        warnings.push(
          credentials
            ? {
                code: 'REFLECTS_ANY_ORIGIN_WITH_CREDENTIALS',
                severity: 'hole',
                pitfall: 1,
                message: `The server echoes any origin with credentials: ${PROBE_ORIGIN} was allowed too. Any website your users visit can read their data from this API with their cookies.`,
                fix: "List the origins you trust (origin: ['https://app.example.com']) instead of reflecting the request's.",
              }
            : {
                code: 'REFLECTS_ANY_ORIGIN',
                severity: 'risk',
                pitfall: 1,
                message: `The server echoes any origin: ${PROBE_ORIGIN} was allowed too. Any website can read these answers (without cookies).`,
                fix: "Fine for a public API (then answer '*'); otherwise list the origins you trust.",
              },
        );
      }
    }
  }
  return warnings;
}
