// The same check in every engine (issue 15): the question a user with a Firefox-only bug asks is
// "which browsers let this through?". Each engine runs the model against the server; a request two
// engines send alike is sent once (a memoizing transport), so comparing costs only the requests
// that differ (Firefox's preflight after a redirect carries the page's origin, WebKit preflights
// again where Chromium does not, ...).

import type { BrowserResponse, Engine, FetchOutcome, Transport, WireRequest } from '../browser/index.js';

/** The engines a check compares, in the order reports list them. */
export const BROWSERS: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

/** The engine's name for people. */
export const BROWSER_NAMES: Readonly<Record<Engine, string>> = {
  chromium: 'Chromium',
  firefox: 'Firefox',
  webkit: 'WebKit',
  standard: 'the Fetch standard',
};

/** One engine's answer to the checked request, in a line. */
export interface EngineVerdict {
  readonly engine: Engine;
  readonly verdict: 'allowed' | 'blocked' | 'network-error';
  /** The engine's name for the failure (Chromium's code, Firefox's key), or null. */
  readonly key: string | null;
  /** The first line the engine prints for it (or the network error), or null when allowed. */
  readonly line: string | null;
}

/** A transport that sends each distinct request once and gives every later asker the same answer. */
export function memoTransport(transport: Transport): Transport {
  const seen = new Map<string, Promise<BrowserResponse>>();
  return (wire: WireRequest) => {
    const key = JSON.stringify([wire.method, wire.url, wire.credentials, wire.headers]);
    let answer = seen.get(key);
    if (answer === undefined) {
      answer = transport(wire);
      seen.set(key, answer);
    }
    return answer;
  };
}

export function engineVerdict(outcome: FetchOutcome): EngineVerdict {
  const f = outcome.failure;
  const verdict = outcome.verdict === 'blocked' && f === null ? 'network-error' : outcome.verdict;
  const first = f?.reason.lines[0];
  return {
    engine: outcome.engine,
    verdict,
    key: f?.reason.key ?? null,
    line: first?.text ?? outcome.typeError,
  };
}

const and = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

const VERDICT_WORDS: Readonly<Record<EngineVerdict['verdict'], string>> = {
  allowed: 'allowed',
  blocked: 'blocked',
  'network-error': 'no answer (network error)',
};

/**
 * Where the engines disagree on the verdict, in a sentence ("allowed in Chromium and WebKit,
 * blocked in Firefox: <Firefox's line>"), or null when they agree.
 */
export function disagreement(verdicts: readonly EngineVerdict[]): string | null {
  const groups = new Map<EngineVerdict['verdict'], EngineVerdict[]>();
  for (const v of verdicts) groups.set(v.verdict, [...(groups.get(v.verdict) ?? []), v]);
  if (groups.size <= 1) return null;
  const parts = [...groups].map(
    ([verdict, vs]) => `${VERDICT_WORDS[verdict]} in ${and(vs.map((v) => BROWSER_NAMES[v.engine]))}`,
  );
  const refused = verdicts.filter((v) => v.verdict !== 'allowed' && v.line !== null);
  const lines =
    refused.length === 1 ? [refused[0]!.line] : refused.map((v) => `${BROWSER_NAMES[v.engine]}: ${v.line}`);
  return `${parts.join(', ')}${lines.length === 0 ? '' : `: ${lines.join(' / ')}`}`;
}
