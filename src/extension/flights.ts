// What the browser shows an extension of a page's fetch() or XMLHttpRequest, gathered per request
// from the webRequest events: each hop (the first URL, then each redirect's target) with the request
// as it went out, the preflight the browser sent for it, and the answers. Pure: the background
// script feeds it the events' details; nothing here sends or changes anything.
//
// Measured in the Chromium and Firefox releases src/browser/engines.ts names (the extension's tests
// run both):
// - Chromium shows a preflight (with extraHeaders) as its own request, between the actual request's
//   onBeforeRequest and its onBeforeSendHeaders; when the preflight fails, the actual request is
//   never sent and ends in onErrorOccurred (net::ERR_FAILED), as does a response CORS refuses.
// - Firefox shows the preflight as its own request too, after the actual request's onSendHeaders;
//   a response CORS refuses still ends in onCompleted, and after a failed preflight the actual
//   request gets no further event.
// So a preflight is told from a page's own OPTIONS by its Access-Control-Request-Method (a
// forbidden header: no page can set it), and joined to the request of the same tab, page origin
// and URL that is waiting for it.

/** Header lines as the browser reported them. */
export type Pairs = (readonly [string, string])[];

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Pairs;
}

export interface SeenResponse {
  readonly status: number;
  readonly headers: Pairs;
}

/** A preflight: what went out, and the answer or the network error it got. */
export interface SeenPreflight {
  request: SeenRequest;
  response: SeenResponse | null;
  error: string | null;
}

/** One hop of a request: its URL, its preflight if one was seen, and what went out and came back. */
export interface Hop {
  readonly url: string;
  preflight: SeenPreflight | null;
  request: SeenRequest | null;
  response: SeenResponse | null;
}

/** One fetch() or XMLHttpRequest of a page, from its first URL to its end. */
export interface Flight {
  readonly id: string;
  readonly tabId: number;
  /** The page's origin (Chromium's initiator; Firefox's originUrl, as an origin). */
  readonly initiator: string;
  /** The method of the first request, as the browser reported it before sending. */
  readonly method: string;
  readonly started: number;
  readonly incognito: boolean;
  readonly hops: Hop[];
  /** How the browser ended it: `completed`, or its error (net::ERR_FAILED, ...); null while open. */
  end: string | null;
}

/** The fields of a webRequest event's details that the tracker reads (both browsers). */
export interface RequestDetails {
  readonly requestId: string;
  readonly url: string;
  readonly method: string;
  readonly type: string;
  readonly tabId: number;
  readonly timeStamp: number;
  readonly initiator?: string;
  readonly originUrl?: string;
  readonly incognito?: boolean;
  readonly requestHeaders?: readonly HeaderLine[];
  readonly responseHeaders?: readonly HeaderLine[];
  readonly statusCode?: number;
  readonly redirectUrl?: string;
  readonly error?: string;
}

export interface HeaderLine {
  readonly name: string;
  readonly value?: string;
  readonly binaryValue?: readonly number[];
}

/** The types fetch() and XMLHttpRequest requests carry in webRequest. */
const FETCH_TYPES = new Set(['xmlhttprequest']);

/** Values the extension never keeps: whether they were there counts, never what they said. */
const SECRET = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);
export const HIDDEN_VALUE = '(hidden)';

export function pairsOf(lines: readonly HeaderLine[] | undefined): Pairs {
  return (lines ?? []).map((h) => {
    const value = h.value ?? String.fromCharCode(...(h.binaryValue ?? []));
    return [h.name, SECRET.has(h.name.toLowerCase()) ? HIDDEN_VALUE : value] as const;
  });
}

export function headerOf(pairs: Pairs, name: string): string | null {
  const lower = name.toLowerCase();
  return pairs.find(([n]) => n.toLowerCase() === lower)?.[1] ?? null;
}

/** The page's origin a request came from, or null when it is not a web page's (an extension's, a browser's). */
export function initiatorOf(d: RequestDetails): string | null {
  const raw = d.initiator ?? (d.originUrl === undefined ? undefined : safeOrigin(d.originUrl));
  if (raw === undefined || raw === null) return null;
  if (raw === 'null') return 'null';
  return /^https?:\/\//.test(raw) ? raw : null;
}

function safeOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : 'null';
  } catch {
    return null;
  }
}

/** True when any hop of the flight went to another origin than the page's: a CORS request. */
export function isCrossOrigin(f: Flight): boolean {
  return f.hops.some((h) => safeOrigin(h.url) !== f.initiator);
}

/** The most flights kept open at once: a page that never finishes its requests cannot grow this without end. */
const MAX_OPEN = 2000;

/** Gathers the events of each fetch into flights; each method returns the flight whose picture changed. */
export class Tracker {
  private readonly flights = new Map<string, Flight>();
  private readonly preflights = new Map<string, { flight: Flight; hop: Hop }>();

  beforeRequest(d: RequestDetails): Flight | null {
    if (!FETCH_TYPES.has(d.type) || this.flights.has(d.requestId) || this.preflights.has(d.requestId))
      return null;
    const initiator = initiatorOf(d);
    if (initiator === null) return null;
    if (this.flights.size >= MAX_OPEN) this.flights.delete(this.flights.keys().next().value!);
    const flight: Flight = {
      id: d.requestId,
      tabId: d.tabId,
      initiator,
      method: d.method,
      started: d.timeStamp,
      incognito: d.incognito === true,
      hops: [{ url: d.url, preflight: null, request: null, response: null }],
      end: null,
    };
    this.flights.set(d.requestId, flight);
    return null;
  }

  sendHeaders(d: RequestDetails): Flight | null {
    const headers = pairsOf(d.requestHeaders);
    const request: SeenRequest = { method: d.method, url: d.url, headers };
    const flight = this.flights.get(d.requestId);
    if (d.method === 'OPTIONS' && headerOf(headers, 'access-control-request-method') !== null) {
      // A preflight: the browser's own request, never a flight of its own.
      this.flights.delete(d.requestId);
      const waiting = this.waitingFor(d);
      if (waiting === null) return null;
      waiting.hop.preflight = { request, response: null, error: null };
      this.preflights.set(d.requestId, waiting);
      return null;
    }
    const hop = flight?.hops.at(-1);
    if (flight === undefined || hop === undefined) return null;
    hop.request = request;
    return null;
  }

  headersReceived(d: RequestDetails): Flight | null {
    const response: SeenResponse = { status: d.statusCode ?? 0, headers: pairsOf(d.responseHeaders) };
    const preflight = this.preflights.get(d.requestId);
    if (preflight !== undefined) {
      // Firefox reports a redirected preflight's next hop too: the first answer is the one checked.
      if (preflight.hop.preflight !== null && preflight.hop.preflight.response === null)
        preflight.hop.preflight.response = response;
      return preflight.flight;
    }
    const flight = this.flights.get(d.requestId);
    const hop = flight?.hops.at(-1);
    if (flight === undefined || hop === undefined) return null;
    hop.response = response;
    return flight;
  }

  beforeRedirect(d: RequestDetails): Flight | null {
    const flight = this.flights.get(d.requestId);
    const hop = flight?.hops.at(-1);
    if (flight === undefined || hop === undefined || d.redirectUrl === undefined) return null;
    hop.response ??= { status: d.statusCode ?? 0, headers: pairsOf(d.responseHeaders) };
    flight.hops.push({ url: d.redirectUrl, preflight: null, request: null, response: null });
    return null;
  }

  completed(d: RequestDetails): Flight | null {
    return this.finish(d, 'completed');
  }

  errorOccurred(d: RequestDetails): Flight | null {
    const preflight = this.preflights.get(d.requestId);
    if (preflight !== undefined) {
      if (preflight.hop.preflight !== null && preflight.hop.preflight.response === null)
        preflight.hop.preflight.error = d.error ?? 'net::ERR_FAILED';
      this.preflights.delete(d.requestId);
      return preflight.flight;
    }
    return this.finish(d, d.error ?? 'net::ERR_FAILED');
  }

  /** Forgets a flight the caller has recorded for good. */
  forget(flight: Flight): void {
    this.flights.delete(flight.id);
    for (const [id, p] of this.preflights) if (p.flight === flight) this.preflights.delete(id);
  }

  private finish(d: RequestDetails, end: string): Flight | null {
    const preflight = this.preflights.get(d.requestId);
    if (preflight !== undefined) {
      this.preflights.delete(d.requestId);
      return null;
    }
    const flight = this.flights.get(d.requestId);
    if (flight === undefined) return null;
    flight.end = end;
    return flight;
  }

  /**
   * The open request a preflight was sent for: same tab, same page origin, its current hop at the
   * preflight's URL with no preflight and no answer yet; the oldest when several wait.
   */
  private waitingFor(d: RequestDetails): { flight: Flight; hop: Hop } | null {
    const initiator = initiatorOf(d);
    for (const flight of this.flights.values()) {
      const hop = flight.hops.at(-1);
      if (
        hop !== undefined &&
        flight.end === null &&
        flight.tabId === d.tabId &&
        flight.initiator === initiator &&
        hop.url === d.url &&
        hop.preflight === null &&
        hop.response === null
      )
        return { flight, hop };
    }
    return null;
  }
}
