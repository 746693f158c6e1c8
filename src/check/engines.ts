// The same check in every engine: the question a user with a Firefox-only bug asks is
// "which browsers let this through?". Each engine runs the model against the server; a request two
// engines send alike is sent once (a memoizing transport), so comparing costs only the requests
// that differ (Firefox's preflight after a redirect carries the page's origin, WebKit preflights
// again where Chromium does not, ...).

import { ENGINE_FACTS } from '../browser/engines.js';
import type { BrowserResponse, Engine, FetchOutcome, Transport, WireRequest } from '../browser/index.js';

/** The engines a check compares, in the order reports list them. */
export const BROWSERS: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

/** The engine's name for people. */
export const BROWSER_NAMES: Readonly<Record<Engine, string>> = {
  chromium: ENGINE_FACTS.chromium.name,
  firefox: ENGINE_FACTS.firefox.name,
  webkit: ENGINE_FACTS.webkit.name,
  standard: ENGINE_FACTS.standard.name,
};

/** One engine's answer to the checked request, in a line. */
export interface EngineVerdict {
  readonly engine: Engine;
  /** `not-sent`: this engine's path needs an unsafe request the checked browser never sent. */
  readonly verdict: 'allowed' | 'blocked' | 'network-error' | 'not-sent';
  /** The engine's name for the failure (Chromium's code, Firefox's key), or null. */
  readonly key: string | null;
  /** The first line the engine prints for it (or the network error), or null when allowed. */
  readonly line: string | null;
}

/** Methods whose requests change nothing on a correct server: the comparison may send more of these. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The transport of one check and its comparisons: each distinct request is sent once and every
 * later asker gets the same answer. Once `lockUnsafe()` is called (after the checked browser's
 * fetch), an unsafe request that was not sent already is not sent at all: comparing engines or
 * probing an echoed origin must never place a second order on a real API. `refused` names the
 * method of the last request held back.
 */
export class ComparingTransport {
  readonly #seen = new Map<string, Promise<BrowserResponse>>();
  #locked = false;
  refused: string | null = null;

  constructor(private readonly inner: Transport) {}

  readonly send: Transport = (wire: WireRequest) => {
    const key = JSON.stringify([wire.method, wire.url, wire.credentials, wire.headers]);
    let answer = this.#seen.get(key);
    if (answer === undefined) {
      if (this.#locked && !SAFE_METHODS.has(wire.method.toUpperCase())) {
        this.refused = wire.method;
        return Promise.reject(new Error(`not sent: it would repeat your ${wire.method}`));
      }
      answer = this.inner(wire);
      this.#seen.set(key, answer);
    }
    return answer;
  };

  lockUnsafe(): void {
    this.#locked = true;
  }
}

/** The verdict of an engine whose path needs an unsafe request the checked browser did not send. */
export function notSentVerdict(engine: Engine, method: string): EngineVerdict {
  return {
    engine,
    verdict: 'not-sent',
    key: null,
    line: `not sent: it would repeat your ${method} (--compare-unsafe sends it)`,
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
  'not-sent': 'not compared',
};

/**
 * Where the engines disagree on the verdict, in a sentence ("allowed in Chromium and WebKit,
 * blocked in Firefox: <Firefox's line>"), or null when they agree.
 */
export function disagreement(all: readonly EngineVerdict[]): string | null {
  // An engine that was not compared neither agrees nor disagrees.
  const verdicts = all.filter((v) => v.verdict !== 'not-sent');
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
