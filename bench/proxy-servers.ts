// The processes bench/proxy.ts loads, one per process:
//
//   node --import tsx bench/proxy-servers.ts upstream
//   node --import tsx bench/proxy-servers.ts corsica <upstream port>
//   node --import tsx bench/proxy-servers.ts cors-anywhere <upstream port>
//   node --import tsx bench/proxy-servers.ts big <bytes>      (an upstream with one large body)
//
// Each reports its port over IPC and stops when the parent disconnects.

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'corsica-proxy';
import { reportPort } from './processes.js';

const [mode, arg] = process.argv.slice(2);
const BODY = JSON.stringify({ id: 42, name: 'corsica', tags: ['cors', 'proxy', 'fast'], ok: true });

if (mode === 'upstream' || mode === 'big') {
  const size = Number(arg ?? 0);
  const chunk = Buffer.alloc(1 << 20, 'x');
  const server = createServer((req, res) => {
    if (mode === 'upstream' || req.url === '/small') {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Length', Buffer.byteLength(BODY));
      res.end(BODY);
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', size);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const part = sent + chunk.length <= size ? chunk : chunk.subarray(0, size - sent);
        sent += part.length;
        if (!res.write(part)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () =>
    reportPort((server.address() as AddressInfo).port, () => server.close()),
  );
} else if (mode === 'corsica') {
  const proxy = createProxy({
    port: 0,
    rateLimit: 'off',
    maxResponseBytes: 2 ** 31,
    allowPrivateTarget: [`127.0.0.1:${arg}`],
  });
  const { url } = await proxy.listen();
  reportPort(Number(new URL(url).port), () => void proxy.close());
} else if (mode === 'cors-anywhere') {
  const require = createRequire(import.meta.url);
  const corsAnywhere = require('cors-anywhere') as {
    createServer(options: object): {
      listen(port: number, host: string, cb: () => void): void;
      address(): AddressInfo;
      close(): void;
    };
  };
  const server = corsAnywhere.createServer({ originWhitelist: [], requireHeader: [], removeHeaders: [] });
  server.listen(0, '127.0.0.1', () => reportPort(server.address().port, () => server.close()));
} else {
  throw new Error(
    `usage: proxy-servers.ts upstream | big <bytes> | corsica <port> | cors-anywhere <port> (got ${mode})`,
  );
}
