// The live probe behind `corsica check`, `corsica explain` and the playground: the browser model
// run against a real server through a real HTTP transport, and the reports built from it. It does
// I/O (node:http), so it is not part of `browser/`, which stays pure.

import { type FetchOutcome, simulateFetch } from '../browser/index.js';
import {
  BROWSERS,
  ComparingTransport,
  type EngineVerdict,
  engineVerdict,
  notSentVerdict,
} from './engines.js';
import { type CheckReport, report } from './report.js';
import { type CheckOptions, requestFromOptions, timeoutOf } from './request.js';
import { httpTransport } from './transport.js';
import { warningsFor } from './warnings.js';

export {
  BROWSER_NAMES,
  BROWSERS,
  ComparingTransport,
  disagreement,
  type EngineVerdict,
  engineVerdict,
} from './engines.js';

export { CheckInputError } from './errors.js';
export { type CheckReport, type JsonExchange, reasonText, report } from './report.js';
export {
  type CheckOptions,
  checkCommand,
  engineOf,
  headerLine,
  httpUrl,
  requestFromOptions,
  shellQuote,
  timeoutOf,
} from './request.js';
export { httpTransport, NetworkError, type TransportOptions } from './transport.js';
export { type CheckWarning, type CheckWarningCode, PROBE_ORIGIN, warningsFor } from './warnings.js';

/**
 * Sends what a browser (`options.browser`, Chromium by default) would send for the request
 * `options` describe, and reports the outcome, with every engine's verdict beside it. The other
 * engines reuse the answers to the requests they send alike, so they add only the requests that
 * differ, and never an unsafe request the checked browser did not send (unless
 * `options.compareUnsafe`): those engines' verdicts say `not-sent`.
 */
export async function probe(
  url: string,
  options: CheckOptions,
): Promise<{ outcome: FetchOutcome; report: CheckReport }> {
  const request = requestFromOptions(url, options);
  const comparing = new ComparingTransport(
    httpTransport({
      timeout: timeoutOf(options),
      ...(options.data === undefined ? {} : { body: options.data }),
    }),
  );
  const transport = comparing.send;
  const outcome = await simulateFetch(request, transport);
  if (options.compareUnsafe !== true) comparing.lockUnsafe();
  const warnings = await warningsFor(outcome, request, transport);
  const engines: EngineVerdict[] = [];
  for (const engine of BROWSERS) {
    if (engine === outcome.engine) {
      engines.push(engineVerdict(outcome));
      continue;
    }
    comparing.refused = null;
    const other = await simulateFetch({ ...request, engine }, transport);
    engines.push(
      comparing.refused === null ? engineVerdict(other) : notSentVerdict(engine, comparing.refused),
    );
  }
  return { outcome, report: report(outcome, request, warnings, engines) };
}
