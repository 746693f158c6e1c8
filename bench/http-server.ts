// The server bench/http.ts loads: node:http on 127.0.0.1, port 0, CORS by corsica/node or by the
// hand-written floor for the same configuration, then a 2-byte body. Run as a child process:
//
//   node --import tsx bench/http-server.ts corsica|hand
//
// It reports its port to the parent over IPC and exits when the parent disconnects.

import { createServer } from 'node:http';
import { cors } from 'corsica/node';
import type { Middleware } from './harness.js';
import { reportPort } from './processes.js';
import { LIST_CONFIG, listFloor } from './scenarios.js';

const mode = process.argv[2];
let middleware: Middleware;
if (mode === 'corsica') middleware = cors(LIST_CONFIG) as Middleware;
else if (mode === 'hand') middleware = listFloor();
else throw new Error(`usage: http-server.ts corsica|hand (got ${mode})`);

const server = createServer((req, res) => {
  middleware(req, res, () => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  reportPort(address.port, () => {
    server.close();
    server.closeAllConnections();
  });
});
