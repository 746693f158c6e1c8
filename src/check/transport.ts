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
      return tlsFailure(e, url) ?? e.message ?? String(err);
  }
}

/** A TLS failure in words: what failed, and what to do about a private authority (issue 13.7). */
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
        // Browsers keep the connection alive for every method; undici closes it after a HEAD
        // unless told, and the server then answers without Keep-Alive (a header the page may read).
        reset: false,
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
