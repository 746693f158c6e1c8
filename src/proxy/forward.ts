// The hot path: one request forwarded through undici's dispatch API, streaming both ways with
// backpressure, headers filtered in one pass, CORS headers and the exposed-header list added, and
// every limit enforced. One handler object per request; no buffering of bodies.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { SAFELISTED_RESPONSE_HEADERS } from '../spec/header-names.js';
import { type Refusal, sendRefusal, upstreamRefusal } from './refusals.js';

/** Request headers never forwarded: hop-by-hop, the client's identity, and what a browser adds itself. */
const DROPPED_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'cookie2',
  'origin',
  'referer',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'via',
  'expect',
  'dnt',
]);

/** Response headers never passed back: hop-by-hop, cookies, and the upstream's own CORS headers. */
const DROPPED_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'set-cookie2',
]);

export interface ForwardContext {
  readonly dispatcher: Dispatcher;
  readonly maxRequestBytes: number;
  readonly maxResponseBytes: number;
  /** Pass Cookie and Set-Cookie for this target. */
  readonly cookies: boolean;
  /** Base of the proxy's own URLs, for rewriting redirects: `http://host:port/`. */
  readonly base: string;
  /** Redirects left to follow on the server; 0 hands them back rewritten. */
  readonly redirectsLeft: number;
  /** Checks a redirect target; returns a refusal, or null when it may be followed. */
  readonly checkRedirect: (url: URL) => Refusal | null;
  /** Called once per request with its outcome, for metrics. */
  readonly done: (outcome: string) => void;
}

/** Forwarded request headers as undici takes them: a flat name, value list. */
export function forwardedHeaders(req: IncomingMessage, cookies: boolean): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (DROPPED_REQUEST.has(lower) && !(cookies && lower === 'cookie')) continue;
    if (lower.startsWith('sec-') || lower.startsWith('proxy-') || lower.startsWith('access-control-'))
      continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** A request body that stops at `max` bytes. */
async function* capped(req: IncomingMessage, max: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > max) throw Object.assign(new Error('request body too large'), { code: 'REQUEST_TOO_LARGE' });
    yield chunk;
  }
}

class ForwardHandler implements Dispatcher.DispatchHandler {
  private received = 0;
  private redirect: URL | null = null;
  private finished = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly target: URL,
    private readonly requestUrl: string,
    private readonly cors: readonly string[],
    private readonly ctx: ForwardContext,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.res.once('close', () => {
      if (!this.finished) controller.abort(new Error('client went away'));
    });
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const location = headers.location;
    if (statusCode >= 300 && statusCode < 400 && typeof location === 'string') {
      let next: URL | null = null;
      try {
        next = new URL(location, this.target);
      } catch {
        next = null;
      }
      const bodyless = this.req.method === 'GET' || this.req.method === 'HEAD' || statusCode === 303;
      if (next !== null && this.ctx.redirectsLeft > 0 && bodyless) {
        // Followed on the server: the body is dropped and the next hop checked like the first.
        this.redirect = next;
        return;
      }
      if (next !== null) headers.location = `${this.ctx.base}${next.href}`;
    }
    const declared = Number(headers['content-length']);
    if (declared > this.ctx.maxResponseBytes) {
      this.finish('response-too-large');
      controller.abort(new Error('response too large'));
      sendRefusal(
        this.res,
        {
          status: 502,
          rule: 'response-too-large',
          message: `the response is ${declared} bytes, more than this proxy forwards (${this.ctx.maxResponseBytes})`,
          fix: 'Raise --max-response-bytes, or fetch a smaller resource.',
        },
        this.cors,
      );
      return;
    }
    // One flat header list and one writeHead: node writes it straight out, without a header map.
    const out: string[] = [];
    let exposed = '';
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || name.startsWith('access-control-')) continue;
      if (DROPPED_RESPONSE.has(name) && !(this.ctx.cookies && name === 'set-cookie')) continue;
      if (typeof value === 'string') out.push(name, value);
      else for (const v of value) out.push(name, v);
      if (!SAFELISTED_RESPONSE_HEADERS.has(name) && name !== 'set-cookie') exposed += `${name},`;
    }
    const cors = this.cors;
    for (let i = 0; i < cors.length; i++) out.push(cors[i]!);
    out.push(
      'access-control-expose-headers',
      `${exposed}x-request-url,x-final-url`,
      'x-request-url',
      this.requestUrl,
      'x-final-url',
      this.target.href,
      // A page served from the proxy's origin must not run: whatever the target sends, it stays data.
      'content-security-policy',
      "default-src 'none'; sandbox",
      'x-content-type-options',
      'nosniff',
    );
    this.res.writeHead(statusCode, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.redirect !== null || this.finished) return;
    this.received += chunk.length;
    if (this.received > this.ctx.maxResponseBytes) {
      // Cut cleanly: the client sees the connection end before the body does, never a truncated 200.
      this.finish('response-cut');
      controller.abort(new Error('response too large'));
      this.res.destroy();
      return;
    }
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.redirect !== null) {
      const next = this.redirect;
      this.redirect = null;
      const refusal = this.ctx.checkRedirect(next);
      if (refusal !== null) {
        this.finish(refusal.rule);
        sendRefusal(this.res, refusal, this.cors);
        return;
      }
      forward(this.req, this.res, next, this.requestUrl, this.cors, {
        ...this.ctx,
        redirectsLeft: this.ctx.redirectsLeft - 1,
      });
      return;
    }
    this.finish('proxied');
    this.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.finished) return;
    if (
      (err as { code?: string }).code === 'REQUEST_TOO_LARGE' ||
      (err.cause as { code?: string } | undefined)?.code === 'REQUEST_TOO_LARGE'
    ) {
      this.finish('request-too-large');
      sendRefusal(
        this.res,
        {
          status: 413,
          rule: 'request-too-large',
          message: `the request body is larger than this proxy forwards (${this.ctx.maxRequestBytes} bytes)`,
          fix: 'Send a smaller body, or raise --max-request-bytes.',
        },
        this.cors,
      );
      return;
    }
    const refusal = upstreamRefusal(err, this.target.host);
    this.finish(refusal.rule);
    sendRefusal(this.res, refusal, this.cors);
  }

  private finish(outcome: string): void {
    if (this.finished) return;
    this.finished = true;
    this.ctx.done(outcome);
  }
}

/** Forwards `req` to `target` and streams the answer into `res`. */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  requestUrl: string,
  cors: readonly string[],
  ctx: ForwardContext,
): void {
  const method = req.method ?? 'GET';
  const hasBody =
    method !== 'GET' &&
    method !== 'HEAD' &&
    (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
  ctx.dispatcher.dispatch(
    {
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: method as Dispatcher.HttpMethod,
      headers: forwardedHeaders(req, ctx.cookies),
      // undici reads async iterables too; its types list only streams.
      body:
        hasBody && !req.readableEnded
          ? (capped(req, ctx.maxRequestBytes) as unknown as IncomingMessage)
          : null,
    },
    new ForwardHandler(req, res, target, requestUrl, cors, ctx),
  );
}
