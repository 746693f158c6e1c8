// The transport `corsica check` gives the browser model: one real HTTP(S) request per call,
// redirects not followed (the model follows them as a browser does), response header lines kept
// one by one so that duplicated CORS headers are seen as the browser sees them.

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BrowserResponse, Transport, WireRequest } from '../browser/index.js';

/** A network failure, described for people (not a CORS failure). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 corsica-check';

/** Response bodies are read and dropped, up to this much; a check needs headers, not bodies. */
const MAX_BODY = 1 << 20;

function describe(err: NodeJS.ErrnoException, url: URL): string {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${url.hostname}`;
    case 'ECONNREFUSED':
      return `connection refused by ${url.host} (is the server running?)`;
    case 'ECONNRESET':
      return `connection to ${url.host} was reset`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${url.host} is unreachable`;
    default:
      if (err.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(err.message)) {
        return `TLS failure with ${url.host}: ${err.message}`;
      }
      return err.message;
  }
}

export interface TransportOptions {
  /** Per request, in milliseconds. */
  readonly timeout: number;
  /** The request body sent with non-OPTIONS requests, if any. */
  readonly body?: string;
}

export function httpTransport(options: TransportOptions): Transport {
  return (wire: WireRequest) =>
    new Promise<BrowserResponse>((resolve, reject) => {
      const url = new URL(wire.url);
      const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
      if (send === null) {
        reject(new NetworkError(`${url.protocol} URLs cannot be fetched with CORS; use http: or https:`));
        return;
      }
      const headers: Record<string, string> = { 'user-agent': USER_AGENT };
      for (const [name, value] of wire.headers) headers[name.toLowerCase()] = value;
      const body =
        wire.method !== 'OPTIONS' && wire.method !== 'GET' && wire.method !== 'HEAD'
          ? options.body
          : undefined;
      const req = send(
        url,
        { method: wire.method, headers, agent: false, signal: AbortSignal.timeout(options.timeout) },
        (res) => {
          const lines: [string, string][] = [];
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) lines.push([raw[i]!, raw[i + 1]!]);
          let seen = 0;
          res.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            if (seen > MAX_BODY) res.destroy();
          });
          const done = () => resolve({ status: res.statusCode ?? 0, headers: lines });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.name === 'AbortError' || err.code === 'ABORT_ERR') {
          reject(new NetworkError(`no answer from ${url.host} within ${options.timeout} ms`));
        } else {
          reject(new NetworkError(describe(err, url)));
        }
      });
      req.end(body);
    });
}
