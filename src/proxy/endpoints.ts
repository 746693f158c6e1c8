// The proxy's own pages: the help page at `/`, `/healthz`, and Prometheus metrics at `/metrics`.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { helpPage } from './help.js';
import type { ProxyMetrics } from './metrics.js';
import type { ResolvedProxyConfig } from './options.js';

export type LocalEndpoint = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The local endpoint a request path names, or null when the path is a target. `/?url=...` is a
 * target, not the help page.
 */
export function localEndpoints(
  config: ResolvedProxyConfig,
  metrics: ProxyMetrics,
  publicBase: (req: IncomingMessage) => string,
): (path: string, pathOnly: string) => LocalEndpoint | null {
  const help: LocalEndpoint = (req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(helpPage(publicBase(req), config));
  };
  const health: LocalEndpoint = (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"status":"ok"}');
  };
  const metricsPage: LocalEndpoint = (_req, res) => {
    metrics.registry.metrics().then(
      (text) => {
        res.setHeader('Content-Type', metrics.registry.contentType);
        res.end(text);
      },
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  };
  return (path, pathOnly) => {
    if (pathOnly.length <= 1) return path.includes('url=') ? null : help;
    if (pathOnly === '/healthz') return health;
    if (pathOnly === '/metrics') return metricsPage;
    return null;
  };
}
