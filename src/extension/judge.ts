// The verdict on one observed request: corsica's model of the browser the extension runs in, fed
// with exactly what went over the wire. The model builds each request the browser would send (the
// preflight, the request, each redirect hop); a replaying transport answers each one with the
// answer the browser really got for it, and never sends anything. The model's verdict and failure
// code are then the browser's own, reached from the answers, with the model's cause and fix.

import { getHeader } from '../browser/headers.js';
import {
  type BrowserRequest,
  type BrowserResponse,
  type CredentialsMode,
  type Engine,
  type FetchOutcome,
  PreflightCache,
  simulateFetch,
  type Transport,
  type WireRequest,
} from '../browser/index.js';
import { BROWSERS, type EngineVerdict, engineVerdict } from '../check/engines.js';
import { type CheckReport, report } from '../check/report.js';
import { checkCommand } from '../check/request.js';
import { warningsFor } from '../check/warnings.js';
import { isForbiddenRequestHeader } from '../syntax/header-names.js';
import {
  type Flight,
  type Hop,
  headerOf,
  type Pairs,
  type SeenRequest,
  type SeenResponse,
} from './flights.js';

export type Verdict = 'allowed' | 'blocked' | 'network-error';

/** What another engine would do with the same request, or `unknown` when it would send requests this browser did not. */
export interface OtherEngine {
  readonly engine: Engine;
  readonly verdict: EngineVerdict['verdict'] | 'unknown';
  readonly key: string | null;
  readonly line: string | null;
}

export interface Judgement {
  readonly verdict: Verdict | 'pending';
  /** Chromium's CorsError name or Firefox's key for a block; the network error's code; '' when allowed. */
  readonly code: string;
  readonly report: CheckReport | null;
  readonly others: readonly OtherEngine[];
  /** The `corsica check` command that sends the same request. */
  readonly command: string;
  readonly credentials: CredentialsMode;
  /** False when nothing on the wire said whether the page asked for credentials (see credentialsOf). */
  readonly credentialsSeen: boolean;
  /** False when the browser stopped at the preflight: the request's header values never went out. */
  readonly headersSeen: boolean;
  /**
   * The code with credentials, when the wire cannot tell whether the page asked for them and that
   * changes the failure (Chromium's preflight never shows credentials); else null.
   */
  readonly altCode: string | null;
  /** Where the model and the browser differ: requests the model would have sent otherwise, an outcome the browser did not report. */
  readonly notes: readonly string[];
}

/** Stands for a header value the browser never sent (it stopped at the preflight): unsafe for every safelisted name. */
export const UNSEEN_VALUE = '<value>';

/** Headers the browser adds by itself (not the page), unless the preflight asked for them. */
const BROWSER_ADDED = new Set(['accept-language', 'user-agent', 'cache-control', 'pragma', 'priority']);

/** The names a preflight asked for (its Access-Control-Request-Headers), lower-case. */
function askedNames(preflight: SeenRequest | undefined): string[] {
  const list = preflight === undefined ? null : headerOf(preflight.headers, 'access-control-request-headers');
  return (list ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
}

/**
 * The headers the page set, from the first request as it went out: what the browser adds itself is
 * left out. When the browser stopped at the preflight, only the names it asked for are known.
 */
export function pageHeaders(hop: Hop): { headers: Pairs; seen: boolean } {
  const asked = askedNames(hop.preflight?.request);
  if (hop.request === null)
    return { headers: asked.map((n) => [n, UNSEEN_VALUE] as const), seen: asked.length === 0 };
  const headers = hop.request.headers.filter(([name, value]) => {
    const lower = name.toLowerCase();
    if (isForbiddenRequestHeader(lower)) return false;
    if (BROWSER_ADDED.has(lower) && !asked.includes(lower)) return false;
    return !(lower === 'accept' && value === '*/*');
  });
  return { headers, seen: true };
}

/**
 * Whether the page asked for credentials, as far as the wire says. Both browsers send
 * Sec-Fetch-Storage-Access on a credentialed cross-site request (measured in Chromium and Firefox), so a
 * cross-site request without it (and without a Cookie) had none. A same-site request without a
 * cookie to send, or a request the browser never sent (it stopped at the preflight), says
 * nothing: null.
 */
export function credentialsOf(flight: Flight): CredentialsMode | null {
  const sent = flight.hops[0]?.request?.headers;
  if (sent === undefined) return null;
  if (headerOf(sent, 'cookie') !== null || headerOf(sent, 'sec-fetch-storage-access') !== null)
    return 'include';
  return headerOf(sent, 'sec-fetch-site') === 'cross-site' ? 'same-origin' : null;
}

/** A request the model wants that the browser did not send (or not yet). */
class NotObserved extends Error {}

const isPreflight = (w: WireRequest) =>
  w.method === 'OPTIONS' && getHeader(w.headers, 'access-control-request-method') !== null;

/** What a wire request is, for comparing the model's with the browser's: method, URL, Origin, and a preflight's asks. */
function shape(method: string, url: string, headers: Pairs | WireRequest['headers']): string {
  const get = (n: string) => getHeader(headers, n);
  const acrh = (get('access-control-request-headers') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
    .sort()
    .join(',');
  return `${method} ${url} Origin: ${get('origin')} ${get('access-control-request-method') ?? ''} ${acrh}`.trim();
}

/**
 * Answers the model's requests, in order, with what the browser got: hop by hop, the preflight and
 * the request. Strict: a request the browser did not send exactly so is not answered (another
 * engine, or a probe with another origin). Lenient (the engine the extension runs in): answered
 * by its place, and the difference noted.
 */
class Replay {
  private hop = 0;
  pending = false;
  /** The browser ended the request before the exchange the model wanted. */
  cutShort = false;
  notObserved = false;
  readonly notes: string[] = [];

  constructor(
    private readonly flight: Flight,
    private readonly strict: boolean,
  ) {}

  current(): Hop | undefined {
    return this.flight.hops[this.hop];
  }

  readonly transport: Transport = async (wire) => this.answer(wire);

  private answer(wire: WireRequest): BrowserResponse {
    const hop = this.current();
    if (hop === undefined) return this.missing();
    if (isPreflight(wire)) {
      const p = hop.preflight;
      if (p === null) return this.missing();
      this.compare(wire, p.request);
      if (p.error !== null) throw new Error(p.error);
      return p.response ?? this.missing();
    }
    if (hop.response === null) {
      if (
        hop === this.flight.hops.at(-1) &&
        this.flight.end !== null &&
        this.flight.end !== 'completed' &&
        hop.request !== null
      )
        throw new Error(this.flight.end);
      return this.missing();
    }
    this.compare(wire, hop.request);
    this.hop++;
    return hop.response;
  }

  private compare(wire: WireRequest, seen: SeenRequest | null): void {
    if (seen === null) return;
    const model = shape(wire.method, wire.url, wire.headers);
    const real = shape(seen.method, seen.url, seen.headers);
    if (model === real) return;
    if (this.strict) {
      this.notObserved = true;
      throw new NotObserved(model);
    }
    this.notes.push(`The model would send ${model}; the browser sent ${real}.`);
  }

  private missing(): never {
    if (this.strict) this.notObserved = true;
    else if (this.flight.end !== null) {
      this.cutShort = true;
      throw new Error(this.flight.end === 'completed' ? 'not sent' : this.flight.end);
    } else this.pending = true;
    throw new NotObserved('not yet');
  }
}

/** The browser's preflight cache, as seen from outside: a hop answered without a preflight had a cached grant. */
class SeenGrants extends PreflightCache {
  constructor(private readonly replay: Replay) {
    super();
  }
  override covers(): boolean {
    const hop = this.replay.current();
    return hop !== undefined && hop.preflight === null && hop.response !== null;
  }
  override store(): void {}
  override forget(): void {}
}

interface Run {
  readonly request: BrowserRequest;
  readonly outcome: FetchOutcome;
  readonly replay: Replay;
}

async function run(flight: Flight, request: BrowserRequest): Promise<Run> {
  const replay = new Replay(flight, false);
  const outcome = await simulateFetch(request, replay.transport, { cache: new SeenGrants(replay) });
  return { request, outcome, replay };
}

/**
 * False when the browser's own ending contradicts the model's run: it ended before an exchange the
 * model needed, or (Chromium, which ends every refused request with an error and every allowed
 * one with onCompleted) it ended otherwise than the verdict says. Firefox ends refused requests
 * with onCompleted too, so there only the first holds.
 */
function consistent(r: Run, flight: Flight): boolean {
  if (r.replay.cutShort) return false;
  if (r.request.engine !== 'chromium' || flight.end === null) return true;
  return (r.outcome.verdict === 'allowed') === (flight.end === 'completed');
}

/** The failure code and verdict of a run, to tell two readings apart. */
const reading = (o: FetchOutcome) => `${o.verdict} ${o.failure?.code ?? o.typeError ?? ''}`;

/** Another reading of what the wire showed, when the wire cannot tell the two apart. */
interface Alternative {
  readonly alternative: FetchOutcome;
  readonly notes: string[];
}

/**
 * The run that explains what the browser did. With credentials seen on the wire, that mode. Else
 * without credentials, unless only credentials explain the browser's outcome (Chromium ends a
 * refused request with an error). When both explain it with different failures (the browser
 * stopped at the preflight, which never shows credentials), the wire cannot tell them apart: the
 * one without credentials (fetch()'s default) is taken, and the other kept beside it.
 */
async function choose(
  flight: Flight,
  base: BrowserRequest,
  evidence: CredentialsMode | null,
): Promise<Run & Partial<Alternative> & { notes: string[] }> {
  if (evidence !== null) return { ...(await run(flight, { ...base, credentials: evidence })), notes: [] };
  const without = await run(flight, { ...base, credentials: 'same-origin' });
  if (without.replay.pending) return { ...without, notes: [] };
  const withCredentials = await run(flight, { ...base, credentials: 'include' });
  if (!consistent(without, flight))
    return { ...(consistent(withCredentials, flight) ? withCredentials : without), notes: [] };
  if (!consistent(withCredentials, flight) || reading(without.outcome) === reading(withCredentials.outcome))
    return { ...without, notes: [] };
  const other = withCredentials.outcome.failure?.message ?? 'allowed';
  return {
    ...without,
    alternative: withCredentials.outcome,
    notes: [
      `The wire does not show whether the page asked for credentials (no cookie went out, or the browser stopped at the preflight, which never carries them): judged as fetch()'s default, without. With credentials: 'include' this browser says: ${other}`,
    ],
  };
}

/**
 * Firefox gives extensions repeated response header lines joined into one (`O, O`), and names an
 * Access-Control-Allow-Origin sent as two lines otherwise than one line holding a list: when the
 * verdict rests on such a value, the reading as separate lines is kept beside it.
 */
async function asSeparateLines(flight: Flight, chosen: Run): Promise<Alternative | null> {
  const split = (r: SeenResponse | null): SeenResponse | null =>
    r === null
      ? null
      : {
          ...r,
          headers: r.headers.flatMap(([n, v]) =>
            n.toLowerCase() === 'access-control-allow-origin' && v.includes(',')
              ? v.split(',').map((part) => [n, part.trim()] as const)
              : [[n, v] as const],
          ),
        };
  const lines: Flight = {
    ...flight,
    hops: flight.hops.map((h) => ({
      ...h,
      response: split(h.response),
      preflight: h.preflight === null ? null : { ...h.preflight, response: split(h.preflight.response) },
    })),
  };
  const other = await run(lines, chosen.request);
  if (
    reading(other.outcome) === reading(chosen.outcome) &&
    other.outcome.failure?.engineKey === chosen.outcome.failure?.engineKey
  )
    return null;
  return {
    alternative: other.outcome,
    notes: [
      `Firefox shows extensions repeated header lines joined into one, so Access-Control-Allow-Origin may have come as separate lines; then Firefox says: ${other.outcome.failure?.reason.lines[0]?.text ?? 'allowed'}`,
    ],
  };
}

/** Another engine's verdict, where it would send exactly the requests this browser sent. */
async function otherEngine(flight: Flight, request: BrowserRequest, engine: Engine): Promise<OtherEngine> {
  const replay = new Replay(flight, true);
  const outcome = await simulateFetch({ ...request, engine }, replay.transport);
  if (replay.notObserved) return { engine, verdict: 'unknown', key: null, line: null };
  return engineVerdict(outcome);
}

function codeOf(outcome: FetchOutcome, flight: Flight): string {
  if (outcome.verdict === 'allowed') return '';
  const f = outcome.failure;
  if (f !== null) return f.reason.key ?? f.code;
  const line = outcome.console.find((l) => l.key !== null)?.key;
  if (line !== undefined && line !== null) return line;
  const net = /\((net::[A-Z_]+)\)/.exec(outcome.typeError ?? '')?.[1];
  return net ?? (flight.end !== null && flight.end !== 'completed' ? flight.end : (outcome.typeError ?? ''));
}

/** Judges an observed request as the model of `engine` (the browser the extension runs in). */
export async function judge(flight: Flight, engine: Engine): Promise<Judgement> {
  const hop0 = flight.hops[0]!;
  const { headers, seen } = pageHeaders(hop0);
  const evidence = credentialsOf(flight);
  const base: BrowserRequest = {
    url: hop0.url,
    origin: flight.initiator,
    method: hop0.request?.method ?? flight.method,
    headers,
    engine,
  };
  let chosen = await choose(flight, base, evidence);
  if (engine === 'firefox' && chosen.alternative === undefined && !chosen.replay.pending)
    chosen = { ...chosen, ...(await asSeparateLines(flight, chosen)) };
  const { request, outcome, replay } = chosen;
  const common = {
    command: checkCommand(request),
    credentials: request.credentials ?? 'same-origin',
    credentialsSeen: evidence !== null,
    headersSeen: seen,
  };
  if (replay.pending)
    return { verdict: 'pending', code: '', altCode: null, report: null, others: [], notes: [], ...common };
  const notes = [...replay.notes, ...chosen.notes];
  if (!consistent(chosen, flight))
    notes.push(`The browser ended this request with ${flight.end}, which the model does not explain.`);
  const others: OtherEngine[] = [];
  for (const e of BROWSERS)
    others.push(e === engine ? engineVerdict(outcome) : await otherEngine(flight, request, e));
  const probe = new Replay(flight, true);
  const warnings = await warningsFor(outcome, request, probe.transport);
  const known = others.filter((o): o is EngineVerdict => o.verdict !== 'unknown');
  const checked = report(outcome, request, warnings, known);
  return {
    verdict: checked.verdict,
    code: codeOf(outcome, flight),
    altCode: chosen.alternative === undefined ? null : codeOf(chosen.alternative, flight),
    report: checked,
    others,
    notes,
    ...common,
  };
}
