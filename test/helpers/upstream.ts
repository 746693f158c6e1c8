// Upstream servers for proxy tests: real node:http servers whose routes a test sets, recording
// what reached them.

import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createProxy, type ProxyOptions } from '../../src/proxy/index.js';
import { listen } from './http.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface Upstream {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly routes: Map<string, Route>;
  /** Every request that arrived: method, path and headers. */
  readonly seen: { method: string; path: string; headers: IncomingMessage['headers'] }[];
}

export async function upstream(): Promise<Upstream> {
  const routes = new Map<string, Route>();
  const seen: Upstream['seen'] = [];
  const { server, url } = await listen((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push({ method: req.method ?? '', path, headers: req.headers });
    const route = routes.get(path);
    if (route !== undefined) {
      route(req, res);
      return;
    }
    req.resume();
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Upstream', 'yes');
    res.end(JSON.stringify({ method: req.method, path }));
  });
  return { server, port: Number(new URL(url).port), url, routes, seen };
}

/** A proxy on its own port for one test, closed after `use` whatever happens. */
export async function withProxy<T>(
  up: Upstream,
  options: ProxyOptions,
  use: (via: { url: string; to: (path: string) => string }) => Promise<T>,
): Promise<T> {
  const proxy = createProxy({
    port: 0,
    rateLimit: 'off',
    allowPrivateTarget: [`127.0.0.1:${up.port}`],
    ...options,
  });
  const { url } = await proxy.listen();
  try {
    return await use({ url, to: (path) => `${url}http://127.0.0.1:${up.port}${path}` });
  } finally {
    await proxy.close();
  }
}

/** An upload in progress on a raw connection: its socket, and everything it got back once closed. */
export interface Upload {
  readonly socket: Socket;
  readonly answer: Promise<string>;
}

/**
 * A POST that announces a 1000-byte body and sends one byte of it; with `trickleMs`, one more byte
 * at each such interval (just often enough that no idle timeout fires), until the socket closes.
 */
export async function upload(
  base: string,
  path: string,
  headers: Record<string, string>,
  trickleMs?: number,
): Promise<Upload> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${lines.join('')}Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nx`,
  );
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  const timer = trickleMs === undefined ? null : setInterval(() => socket.write('x'), trickleMs);
  const answer = new Promise<string>((resolve) =>
    socket.on('close', () => {
      if (timer !== null) clearInterval(timer);
      resolve(text);
    }),
  );
  return { socket, answer };
}
