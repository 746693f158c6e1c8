// Upstream servers for proxy tests: real node:http servers whose routes a test sets, recording
// what reached them.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
