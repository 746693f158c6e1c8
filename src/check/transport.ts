// The transport `corsica check` gives the browser model: one real HTTP(S) request per call on the
// platform's node:http (node:https loaded only for https: URLs), so that the command starts
// without loading an HTTP client of its own, which costs start-up time. The method goes out exactly as written
// (node:http upper-cases it; browsers send `patch` as `patch`), redirects are not followed (the
// model follows them as a browser does), and every response header line is kept, in order, so that
// duplicated CORS headers are seen as the browser sees them.
//
// The request on the wire is the one undici sent before: `host`, `connection: keep-alive`, the
// user agent and the request's headers, then `content-length` when there is a body or the method
// expects one (PUT, POST, PATCH...), nothing that node:http would add of its own.

import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import * as http from 'node:http';
import { ENGINE_FACTS } from '../browser/engines.js';
import type { Transport, WireRequest } from '../browser/index.js';

/** A network failure, described for people (not a CORS failure). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/** Chrome's user agent, of the release the model follows, as Chrome reduces it (minor version zeros). */
const USER_AGENT = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${ENGINE_FACTS.chromium.measuredOn?.release}.0.0.0 Safari/537.36 corsica-check`;

/** Response bodies are read and dropped, up to this much; a check needs headers, not bodies. */
const MAX_BODY = 1 << 20;

/**
 * The most response header bytes read, as Chromium's limit (net::ERR_RESPONSE_HEADERS_TOO_BIG):
 * larger answers are a network error in words, as they are in the browser.
 */
const MAX_HEADER_SIZE = 256 * 1024;

/** Methods whose requests carry a `content-length: 0` without a body, as undici sent them. */
const EXPECTS_PAYLOAD = new Set(['PUT', 'POST', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);

/** The request's deadline passed: connecting, or waiting for the response headers. */
class Deadline extends Error {}

function describe(err: unknown, url: URL, timeout: number): string {
  if (err instanceof Deadline) return `no answer from ${url.host} within ${timeout} ms`;
  const cause = (err as { cause?: unknown }).cause;
  let e = (cause instanceof Error ? cause : err) as NodeJS.ErrnoException;
  // Every address of a name refused (Happy Eyeballs): one AggregateError, its code on the first.
  const first: unknown = e instanceof AggregateError ? e.errors[0] : undefined;
  if (e.code === undefined && first instanceof Error) e = first as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${url.hostname}`;
    case 'ECONNREFUSED':
      return `connection refused by ${url.host} (is the server running?)`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection to ${url.host} was closed before an answer`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${url.host} is unreachable`;
    case 'HPE_HEADER_OVERFLOW':
      return `${url.host} answered with more than ${MAX_HEADER_SIZE / 1024} KiB of response headers, which browsers refuse too`;
    default:
      if (e.code?.startsWith('HPE_'))
        return `${url.host} answered with a malformed HTTP response (${e.message.replace(/^Parse Error: /, '')})`;
      return tlsFailure(e, url) ?? e.message ?? String(err);
  }
}

/** A TLS failure in words: what failed, and what to do about a private authority. */
function tlsFailure(e: NodeJS.ErrnoException, url: URL): string | null {
  const code = e.code ?? '';
  const trust =
    'If the server uses a private or self-signed authority, trust it for this run with NODE_EXTRA_CA_CERTS=<ca.pem> corsica check ...; browsers would refuse it too unless it is installed.';
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN')
    return `${url.host} presents a self-signed certificate, which nothing here trusts. ${trust}`;
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY')
    return `${url.host}'s certificate was issued by an authority this machine does not know. ${trust}`;
  if (code === 'CERT_HAS_EXPIRED') return `${url.host}'s certificate has expired: renew it on the server.`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `${url.host}'s certificate is for other names than ${url.hostname}: use the name it was issued for, or reissue it.`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')
    return `${url.host} does not speak TLS on this port: is it http:// rather than https://?`;
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    /certificate|SSL|TLS/i.test(e.message ?? '')
  )
    return `the TLS connection to ${url.host} failed (${code || e.message}). ${trust}`;
  return null;
}

/** The TLS alert a server sends when it shares no application protocol (ALPN) with the client. */
function refusedHttp1(err: unknown): boolean {
  return /alert no application protocol/.test((err as Error)?.message ?? '');
}

/**
 * Whether `url`'s server picks h2 when offered it: a second handshake that only asks, to tell an
 * HTTP/2-only server from one that speaks no HTTP at all. Nothing is sent over it, so the
 * certificate is not checked here (the first handshake already said what is wrong).
 */
async function speaksOnlyH2(url: URL, timeout: number): Promise<boolean> {
  const tls = await import('node:tls');
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: Number(url.port || 443),
      ...(url.hostname.startsWith('[') || /^[\d.]+$/.test(url.hostname) ? {} : { servername: url.hostname }),
      ALPNProtocols: ['h2'],
      rejectUnauthorized: false,
      timeout,
    });
    const done = (h2: boolean) => {
      socket.destroy();
      resolve(h2);
    };
    socket.once('secureConnect', () => done(socket.alpnProtocol === 'h2'));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export interface TransportOptions {
  /** Per request, in milliseconds. */
  readonly timeout: number;
  /** The request body sent with requests other than OPTIONS, GET and HEAD, if any. */
  readonly body?: string;
  /**
   * Header lines kept of an answer (the rest are parsed, within the size limit, and dropped).
   * Unlimited by default, as browsers keep them all; audit, which holds ~95 answers at once, caps
   * them so that a hostile answer of thousands of lines costs little memory.
   */
  readonly maxHeaderLines?: number;
}

/**
 * Connections kept alive between requests, as a browser keeps them (and undici did): this
 * module's own agents, so that an application's global agents are left as they are. Idle sockets
 * do not keep the process alive.
 */
let httpAgent: Agent | undefined;
let httpsModule: Promise<{ request: typeof http.request; agent: Agent }> | undefined;

function httpClient(): { request: typeof http.request; agent: Agent } {
  httpAgent ??= new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });
  return { request: http.request, agent: httpAgent };
}

/** node:https (and with it node:tls) is loaded on the first https: request only. */
function httpsClient(): Promise<{ request: typeof http.request; agent: Agent }> {
  httpsModule ??= import('node:https').then((https) => ({
    request: https.request as typeof http.request,
    agent: new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 }),
  }));
  return httpsModule;
}

/** The request's header lines in undici's order: host, connection, the others, content-length. */
function requestHeaders(
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: Buffer | null,
): Record<string, string> {
  const lines: Record<string, string> = { host: url.host, connection: 'keep-alive' };
  for (const [name, value] of Object.entries(headers)) {
    // Forbidden request headers never come from the model; a length is the body's own.
    if (name !== 'content-length') lines[name] = value;
  }
  if (body !== null) lines['content-length'] = String(body.length);
  else if (EXPECTS_PAYLOAD.has(method)) lines['content-length'] = '0';
  return lines;
}

/** Response header lines as received: one pair per line, in order, names in lower case. */
function headerLines(res: IncomingMessage): [string, string][] {
  const lines: [string, string][] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return lines;
}

function exchange(
  client: { request: typeof http.request; agent: Agent },
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
  timeout: number,
  maxHeaderLines: number,
): Promise<{ status: number; headers: [string, string][] }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let req: ClientRequest | undefined;
    const settle = (err: unknown, value?: { status: number; headers: [string, string][] }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === null && value !== undefined) resolve(value);
      else reject(err);
    };
    // One deadline until the response headers: connecting, sending, waiting. (The body is drained apart.)
    const timer = setTimeout(() => {
      const err = new Deadline();
      settle(err);
      req?.destroy(err);
    }, timeout);
    const payload = body === undefined || body === '' ? null : Buffer.from(body);
    const options: RequestOptions & { ALPNProtocols?: string[] } = {
      agent: client.agent,
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname + url.search,
      method,
      headers: requestHeaders(url, method, headers, payload),
      setHost: false,
      maxHeaderSize: MAX_HEADER_SIZE,
      ...(url.protocol === 'https:' ? { ALPNProtocols: ['http/1.1'] } : {}),
    };
    try {
      req = client.request(options);
    } catch (err) {
      settle(err);
      return;
    }
    // node:http upper-cases the method; the request line is written from this property later.
    req.method = method;
    // Every header line counts (node:http keeps the first 2000 by default; browsers keep them all):
    // the size limit above bounds them.
    req.maxHeadersCount = maxHeaderLines;
    // No body and no content-length: nothing to add (node:http would add `Content-Length: 0`
    // or chunked encoding to any method outside its list).
    if (options.headers !== undefined && !('content-length' in options.headers))
      req.useChunkedEncodingByDefault = false;
    req.on('error', (err) => settle(err));
    req.on('response', (res) => {
      // fetch() resolves when the headers arrive, and the CORS check reads only them: settle now,
      // so that a stream that never ends (server-sent events) is answered, not timed out.
      settle(null, { status: res.statusCode ?? 0, headers: headerLines(res) });
      // Then read a little of the body, so that the connection can be reused, and let it go.
      let seen = 0;
      const drain = setTimeout(() => res.destroy(), Math.min(timeout, 2000));
      drain.unref();
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > MAX_BODY) res.destroy();
      });
      res.on('error', () => {});
      res.on('close', () => clearTimeout(drain));
    });
    req.end(payload ?? undefined);
  });
}

export function httpTransport(options: TransportOptions): Transport {
  return async (wire: WireRequest) => {
    const url = new URL(wire.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new NetworkError(`${url.protocol} URLs cannot be fetched with CORS; use http: or https:`);
    }
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    for (const [name, value] of wire.headers) headers[name.toLowerCase()] = value;
    const body =
      wire.method !== 'OPTIONS' && wire.method !== 'GET' && wire.method !== 'HEAD' ? options.body : undefined;
    try {
      const client = url.protocol === 'https:' ? await httpsClient() : httpClient();
      return await exchange(
        client,
        url,
        wire.method,
        headers,
        body,
        options.timeout,
        options.maxHeaderLines ?? 0,
      );
    } catch (err) {
      if (refusedHttp1(err) && (await speaksOnlyH2(url, options.timeout)))
        throw new NetworkError(
          `${url.host} speaks only HTTP/2 over TLS: its TLS handshake (ALPN) picks h2 and refuses http/1.1 (alert no_application_protocol). Browsers reach it over HTTP/2; corsica check speaks HTTP/1.1 and cannot check it as it is. Let the server speak HTTP/1.1 too (Node: http2.createSecureServer({ allowHTTP1: true }); nginx, Caddy and most servers do by default), or check a front that does.`,
        );
      throw new NetworkError(describe(err, url, options.timeout));
    }
  };
}
