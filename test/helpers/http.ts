// Real servers on real ports for integration tests, and a raw HTTP client that can send what
// fetch refuses to (duplicate header lines, forbidden request headers, hostile values).

import assert from 'node:assert/strict';
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  request,
  type Server,
} from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';

/** Listens on 127.0.0.1, port 0; resolves to the server and its base URL. */
export async function listen(listener: RequestListener | Server): Promise<{ server: Server; url: string }> {
  const server = typeof listener === 'function' ? createServer(listener) : listener;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** A free loopback port (taken and released: the caller's server binds it a moment later). */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Closes a server and every connection it still holds. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Sends one request. A header given as an array goes out as several lines, as a proxy might send
 * it. `agent: false` gives every request its own connection, so no test sees another's socket.
 */
export function send(
  url: string,
  method: string,
  headers: Record<string, string | string[]> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      // A body cut short rejects: a test must never wait for an end that cannot come.
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The CORS part of a response: every access-control-* header, by lower-case name. */
export function corsHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('access-control-') && value !== undefined) out[name] = String(value);
  }
  return out;
}

/** What a test expects of an answer, as data (jub0bs/cors's `respHeaders`); every field optional. */
export interface ExpectedResponse {
  readonly status?: number;
  readonly body?: string | RegExp;
  /** Every Access-Control-* header of the answer, exactly ({} = none). */
  readonly cors?: Readonly<Record<string, string>>;
  /** Some headers: a value to equal, or undefined for absent. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** The Vary names, lower case and sorted, duplicates kept (so a repeated name fails). */
  readonly vary?: readonly string[];
  /** Names the Vary must contain, among others. */
  readonly varyIncludes?: readonly string[];
}

/** The Vary names of an answer, lower case, sorted, duplicates kept. */
export const varyNames = (res: RawResponse): string[] =>
  String(res.headers.vary ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
    .sort();

/** Asserts an answer against its expectation, naming the part that differs. */
export function assertResponse(res: RawResponse, expected: ExpectedResponse): void {
  if (expected.status !== undefined) assert.equal(res.status, expected.status, 'status');
  if (typeof expected.body === 'string') assert.equal(res.body, expected.body, 'body');
  else if (expected.body) assert.match(res.body, expected.body, 'body');
  if (expected.cors) assert.deepEqual(corsHeadersOf(res.headers), expected.cors, 'CORS headers');
  for (const [name, value] of Object.entries(expected.headers ?? {}))
    assert.equal(res.headers[name], value, name);
  if (expected.vary) assert.deepEqual(varyNames(res), expected.vary, `Vary: ${res.headers.vary}`);
  for (const name of expected.varyIncludes ?? [])
    assert.ok(varyNames(res).includes(name), `Vary has ${name}: ${res.headers.vary}`);
}

/**
 * A server that answers every request with exactly these header lines (written as latin1 bytes, so
 * that a test can send what no HTTP library writes: 0x80-0xFF bytes, duplicates, padding), then a
 * two-byte body. `lines` may depend on the request's head (its first line and headers).
 */
export async function rawServer(
  lines: readonly string[] | ((head: string) => readonly string[]),
  status = '200 OK',
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createNetServer((socket) => {
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const answer = typeof lines === 'function' ? lines(head) : lines;
      socket.end(
        `HTTP/1.1 ${status}\r\n${answer.join('\r\n')}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`,
        'latin1',
      );
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
