// The transport `corsica check` gives the browser model: one real HTTP(S) request per call with
// undici, the method sent exactly as written (node:http upper-cases it; browsers send `patch` as
// `patch`), redirects not followed (the model follows them as a browser does), and every response
// header line kept, so that duplicated CORS headers are seen as the browser sees them.

import { errors, request } from 'undici';
import type { Transport, WireRequest } from '../browser/index.js';

/** A network failure, described for people (not a CORS failure). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 corsica-check';

/** Response bodies are read and dropped, up to this much; a check needs headers, not bodies. */
const MAX_BODY = 1 << 20;

function describe(err: unknown, url: URL, timeout: number): string {
  if (err instanceof errors.HeadersTimeoutError || err instanceof errors.ConnectTimeoutError) {
    return `no answer from ${url.host} within ${timeout} ms`;
  }
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no answer from ${url.host} within ${timeout} ms`;
  }
  const cause = (err as { cause?: unknown }).cause;
  const e = (cause instanceof Error ? cause : err) as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${url.hostname}`;
    case 'ECONNREFUSED':
      return `connection refused by ${url.host} (is the server running?)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection to ${url.host} was closed before an answer`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${url.host} is unreachable`;
    default:
      if (e.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(e.message ?? '')) {
        return `TLS failure with ${url.host}: ${e.message}`;
      }
      return e.message ?? String(err);
  }
}

export interface TransportOptions {
  /** Per request, in milliseconds. */
  readonly timeout: number;
  /** The request body sent with requests other than OPTIONS, GET and HEAD, if any. */
  readonly body?: string;
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
      const res = await request(url, {
        method: wire.method as 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeout),
        headersTimeout: options.timeout,
      });
      const lines: [string, string][] = [];
      for (const [name, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) for (const v of value) lines.push([name, v]);
        else if (value !== undefined) lines.push([name, value]);
      }
      // Bodies are not needed; read a little, then let the connection go.
      let seen = 0;
      for await (const chunk of res.body) {
        seen += (chunk as Buffer).length;
        if (seen > MAX_BODY) break;
      }
      return { status: res.statusCode, headers: lines };
    } catch (err) {
      throw new NetworkError(describe(err, url, options.timeout));
    }
  };
}
