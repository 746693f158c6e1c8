// The hot path: one request forwarded through undici's dispatch API, its body read first (body.ts),
// the answer streamed back with backpressure, headers filtered in one pass, CORS headers and the
// exposed-header list added, and every limit enforced.
//
// Every wait is bounded, on either side: a client that reads nothing for `timeout` is cut and its
// upstream connection freed (undici's body timeout does not run while a stream is paused); an
// upload that stalls for `timeout` is answered 408 before any upstream connection is taken; and
// `maxDuration` ends any exchange, however steadily it trickles.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { SAFELISTED_RESPONSE_HEADERS } from '../syntax/header-names.js';
import { type BodyBudget, readBody } from './body.js';
import { cachedPrivately, connectionNamed, droppedResponseHeader, forwardedHeaders } from './headers.js';
import {
  maxDuration,
  type Refusal,
  requestBuffersFull,
  requestTimeout,
  requestTooLarge,
  responseTooLarge,
  sendRefusal,
  upstreamBusy,
  upstreamRefusal,
} from './refusals.js';

/** A redirect's body is not worth reading past this: past it the connection is dropped instead. */
const REDIRECT_BODY_LIMIT = 64 * 1024;

export interface ForwardContext {
  readonly dispatcher: Dispatcher;
  readonly maxRequestBytes: number;
  /** The memory request bodies being read share (--max-buffered-bytes). */
  readonly bodies: BodyBudget;
  readonly maxResponseBytes: number;
  /** Milliseconds any one side may stall: an upload, or a client that stops reading. */
  readonly timeout: number;
  /** Milliseconds the whole exchange may take, redirects included. */
  readonly maxDuration: number;
  /** Where exchanges wait for --max-duration (one per proxy). */
  readonly deadlines: Deadlines;
  /** Pass Cookie and Set-Cookie for this target. */
  readonly cookiesFor: (url: URL) => boolean;
  /** Base of the proxy's own URLs as this client reached it, for rewriting redirects: `http://host/`. */
  readonly base: (req: IncomingMessage) => string;
  /** True when that base comes from X-Forwarded-Host/-Proto: answers that use it vary by them. */
  readonly baseFromForwarded: boolean;
  /** Redirects followed on the server; 0 hands them back rewritten. */
  readonly maxRedirects: number;
  /** Checks a redirect target; returns a refusal, or null when it may be followed. */
  readonly checkRedirect: (url: URL) => Refusal | null;
  /** Metrics: `begin` when an exchange starts, `end` once with its outcome and duration. */
  readonly metrics: { begin(): void; end(outcome: string, seconds: number): void };
}

const codeOf = (err: Error) =>
  (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;

/** What a redirect turns the request into (https://fetch.spec.whatwg.org/#http-redirect-fetch, step 12). */
function redirectedMethod(status: number, method: string): string {
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  if (status === 303 && method !== 'GET' && method !== 'HEAD') return 'GET';
  return method;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The --max-duration deadlines of every open exchange, swept a few times per duration by one timer
 * per proxy: a timer per request cost more than the rest of the bookkeeping together. Every
 * exchange has the same duration, so the open ones form a queue by start time, linked through the
 * exchanges themselves: a sweep looks only at the expired ones at its head. (A Set of exchanges
 * left its replaced hash tables in the old generation, pointing at young exchanges: every young
 * collection then kept those alive with all they hold, and promoted about 4 KB a request, which
 * made the collector cost the proxy about a tenth of its time.)
 */
export class Deadlines {
  private head: Exchange | null = null;
  private tail: Exchange | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly ms: number) {}

  add(ex: Exchange): void {
    ex.before = this.tail;
    if (this.tail === null) this.head = ex;
    else this.tail.after = ex;
    this.tail = ex;
    ex.open = true;
    if (this.sweeper === null) {
      this.sweeper = setInterval(() => this.sweep(), Math.max(25, Math.min(1000, this.ms / 4)));
      this.sweeper.unref();
    }
  }

  delete(ex: Exchange): void {
    if (!ex.open) return;
    ex.open = false;
    if (ex.before === null) this.head = ex.after;
    else ex.before.after = ex.after;
    if (ex.after === null) this.tail = ex.before;
    else ex.after.before = ex.before;
    ex.before = null;
    ex.after = null;
  }

  private sweep(): void {
    const now = performance.now();
    for (let ex = this.head; ex !== null && now - ex.started >= this.ms; ex = this.head) {
      ex.expire();
      // An exchange expire() leaves open (none does) would stop the sweep, never loop on it.
      if (ex.open) this.delete(ex);
    }
    if (this.head === null && this.sweeper !== null) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

const EXCHANGE = Symbol('corsica.exchange');
type ExchangeResponse = ServerResponse & { [EXCHANGE]?: Exchange };

/** A response closed: its exchange, if not over, lost its client. */
function clientClosed(this: ExchangeResponse): void {
  const ex = this[EXCHANGE];
  if (ex !== undefined && !ex.finished) {
    ex.finish('client-gone');
    ex.controller?.abort(new Error('client went away'));
  }
}

/** One client request and its answer, across every upstream hop. */
class Exchange {
  finished = false;
  redirects = 0;
  /** Bytes of the request body read, held from the shared budget until the exchange ends. */
  buffered = 0;
  /**
   * `x-cors-redirect-N: <status> <url>` pairs for redirects followed, as cors-anywhere sends them;
   * null until one is (nearly every request: no list allocated).
   */
  redirectHeaders: string[] | null = null;
  controller: Dispatcher.DispatchController | null = null;
  readonly started = performance.now();
  /** In the deadlines' queue, and its neighbours there. */
  open = false;
  before: Exchange | null = null;
  after: Exchange | null = null;
  private stall: NodeJS.Timeout | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestUrl: string,
    readonly cors: readonly string[],
    readonly ctx: ForwardContext,
  ) {
    ctx.deadlines.add(this);
    ctx.metrics.begin();
    // One listener for every response, and the exchange on the response: no closure per request.
    (res as ExchangeResponse)[EXCHANGE] = this;
    res.on('close', clientClosed);
  }

  finish(outcome: string): void {
    if (this.finished) return;
    this.finished = true;
    this.ctx.deadlines.delete(this);
    if (this.buffered > 0) this.ctx.bodies.used -= this.buffered;
    if (this.stall !== null) clearTimeout(this.stall);
    this.ctx.metrics.end(outcome, (performance.now() - this.started) / 1000);
  }

  /** Ends the exchange with a refusal (or a cut, when the answer has started). */
  refuse(refusal: Refusal): void {
    this.finish(refusal.rule);
    sendRefusal(this.res, refusal, this.cors);
  }

  /** The request body could not be read: too large, stalled, no memory left, or the client gone. */
  bodyFailed(err: Error): void {
    if (this.finished) return;
    // Each refusal closes the connection once answered: the rest of the body is never read.
    const code = codeOf(err);
    if (code === 'REQUEST_TOO_LARGE') this.refuse(requestTooLarge(this.ctx.maxRequestBytes));
    else if (code === 'REQUEST_TIMEOUT') this.refuse(requestTimeout(this.ctx.timeout));
    else if (code === 'BUFFERS_FULL') {
      this.res.setHeader('Retry-After', '1');
      this.refuse(requestBuffersFull());
    } else this.finish('client-gone');
  }

  /** Writes a chunk to the client; a client that takes nothing for `timeout` is cut. */
  write(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.res.write(chunk)) return;
    controller.pause();
    this.stall ??= setTimeout(() => this.clientStalled(), this.ctx.timeout);
    this.res.once('drain', () => {
      if (this.stall !== null) clearTimeout(this.stall);
      this.stall = null;
      if (!this.finished) controller.resume();
    });
  }

  private clientStalled(): void {
    if (this.finished) return;
    this.finish('client-stalled');
    this.controller?.abort(new Error('client stopped reading'));
    this.res.destroy();
  }

  expire(): void {
    if (this.finished) return;
    this.refuse(maxDuration(this.ctx.maxDuration));
    this.controller?.abort(new Error('max duration'));
  }
}

/** One hop: the request to `target` and its answer. */
class HopHandler implements Dispatcher.DispatchHandler {
  private received = 0;
  /** Set when this hop's answer is a redirect being followed: its body is skipped. */
  private next: { url: URL; method: string } | null = null;
  /** Set once the exchange has moved on from this hop: later callbacks are ignored. */
  private detached = false;

  constructor(
    private readonly ex: Exchange,
    private readonly target: URL,
    private readonly method: string,
    private readonly withBody: boolean,
    private readonly cookies: boolean,
  ) {}

  /** Set while the request waits for a free upstream connection; `timeout` bounds that wait too. */
  private queued: NodeJS.Timeout | null = null;
  /** Set once undici gives the request a connection. */
  private started = false;

  /** Bounds the wait for a connection (undici calls onRequestStart once it has one). */
  waitForConnection(): void {
    if (this.started) return;
    // A little past `timeout`, so that a connect timeout (which undici reports itself) wins the race.
    this.queued = setTimeout(() => {
      this.queued = null;
      if (!this.ex.finished) this.ex.refuse(upstreamBusy(this.target.host, this.ex.ctx.timeout));
    }, this.ex.ctx.timeout + 100);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.started = true;
    if (this.queued !== null) clearTimeout(this.queued);
    this.queued = null;
    this.ex.controller = controller;
    // An exchange that ended while this request waited in the queue: it goes no further.
    if (this.ex.finished) controller.abort(new Error('exchange over'));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const ex = this.ex;
    // 1xx (103 Early Hints) are the upstream's business: the final answer follows.
    if (this.detached || ex.finished || statusCode < 200) return;
    // Several Location lines: the first counts, and only it goes on (rewritten).
    if (Array.isArray(headers.location)) headers.location = headers.location[0];
    const location = headers.location;
    if (REDIRECTS.has(statusCode) && typeof location === 'string') {
      let next: URL | null = null;
      try {
        next = new URL(location, this.target);
      } catch {
        next = null;
      }
      const method = redirectedMethod(statusCode, this.method);
      // A body is never replayed on the server: a 307/308 that keeps one is handed back, and the
      // browser, which knows where its body may go, decides.
      const keepsBody = this.withBody && method === this.method;
      if (next !== null && ex.redirects < ex.ctx.maxRedirects && !keepsBody) {
        ex.redirects++;
        ex.redirectHeaders ??= [];
        ex.redirectHeaders.push(`x-cors-redirect-${ex.redirects}`, `${statusCode} ${next.href}`);
        this.next = { url: next, method };
        return;
      }
      if (next !== null) {
        headers.location = `${ex.ctx.base(ex.req)}${next.href}`;
        // Built from headers a client may write: no shared cache may keep it for everyone.
        if (ex.ctx.baseFromForwarded) cachedPrivately(headers);
      }
    }
    const declared = Number(headers['content-length']);
    if (declared > ex.ctx.maxResponseBytes) {
      // Refused first: aborting calls onResponseError at once, which must find the exchange over.
      ex.refuse(responseTooLarge(declared, ex.ctx.maxResponseBytes));
      controller.abort(new Error('response too large'));
      return;
    }
    ex.res.writeHead(statusCode, this.responseHeaders(headers));
  }

  /** One flat header list for one writeHead: node writes it straight out, without a header map. */
  private responseHeaders(headers: Record<string, string | string[] | undefined>): string[] {
    const out: string[] = [];
    const named = connectionNamed(headers.connection);
    let exposed = '';
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || droppedResponseHeader(name, this.cookies, named)) continue;
      if (typeof value === 'string') out.push(name, value);
      else for (const v of value) out.push(name, v);
      if (!SAFELISTED_RESPONSE_HEADERS.has(name) && name !== 'set-cookie') exposed += `${name},`;
    }
    const { cors, redirectHeaders } = this.ex;
    for (let i = 0; i < cors.length; i++) out.push(cors[i]!);
    for (let i = 0; redirectHeaders !== null && i < redirectHeaders.length; i += 2) {
      out.push(redirectHeaders[i]!, redirectHeaders[i + 1]!);
      exposed += `${redirectHeaders[i]},`;
    }
    out.push(
      'access-control-expose-headers',
      `${exposed}x-request-url,x-final-url`,
      'x-request-url',
      this.ex.requestUrl,
      'x-final-url',
      this.target.href,
      // A page served from the proxy's origin must not run: whatever the target sends, it stays data.
      'content-security-policy',
      "default-src 'none'; sandbox",
      'x-content-type-options',
      'nosniff',
    );
    return out;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.detached || this.ex.finished) return;
    this.received += chunk.length;
    if (this.next !== null) {
      // A redirect's body is skipped, and only a little of it is read: an endless one is cut.
      if (this.received > REDIRECT_BODY_LIMIT) {
        this.detached = true;
        controller.abort(new Error('redirect body too long'));
        this.follow();
      }
      return;
    }
    if (this.received > this.ex.ctx.maxResponseBytes) {
      // Cut cleanly: the client sees the connection end before the body does, never a truncated 200.
      this.ex.finish('response-cut');
      controller.abort(new Error('response too large'));
      this.ex.res.destroy();
      return;
    }
    this.ex.write(controller, chunk);
  }

  onResponseEnd(): void {
    if (this.detached || this.ex.finished) return;
    if (this.next !== null) {
      this.detached = true;
      this.follow();
      return;
    }
    this.ex.finish('proxied');
    this.ex.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.queued !== null) clearTimeout(this.queued);
    if (this.detached || this.ex.finished) return;
    this.ex.refuse(upstreamRefusal(err, this.target.host));
  }

  private follow(): void {
    const { url, method } = this.next!;
    const refusal = this.ex.ctx.checkRedirect(url);
    if (refusal !== null) {
      this.ex.refuse(refusal);
      return;
    }
    hop(this.ex, url, method, null);
  }
}

function hop(ex: Exchange, target: URL, method: string, body: Buffer | null): void {
  const { req, ctx } = ex;
  const cookies = ctx.cookiesFor(target);
  const handler = new HopHandler(ex, target, method, body !== null, cookies);
  const free = ex.ctx.dispatcher.dispatch(
    {
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: method as Dispatcher.HttpMethod,
      headers: forwardedHeaders(req, cookies, body !== null),
      body,
    },
    handler,
  );
  // `false`: every connection to this origin is busy, and the request may wait in undici's queue.
  if (!free) handler.waitForConnection();
}

/** Forwards `req` to `target` (its body read first) and streams the answer into `res`. */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  cors: readonly string[],
  ctx: ForwardContext,
): void {
  const method = req.method ?? 'GET';
  const withBody =
    method !== 'GET' &&
    method !== 'HEAD' &&
    !req.readableEnded &&
    (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
  const ex = new Exchange(req, res, target.href, cors, ctx);
  if (!withBody) {
    hop(ex, target, method, null);
    return;
  }
  readBody(req, ex, ctx).then(
    (body) => {
      if (!ex.finished) hop(ex, target, method, body);
    },
    (err: Error) => ex.bodyFailed(err),
  );
}
