// The processes the proxy benchmarks load, one per process, run by node itself (not through tsx:
// tsx re-compiles an ES module that reads import.meta, the bundled proxy's chunks among them, with
// esbuild's keepNames and a source map, which slowed corsica's proxy and no other):
//
//   node bench/proxy-servers.mjs upstream
//   node bench/proxy-servers.mjs big <bytes>                 an upstream with one large body
//   node bench/proxy-servers.mjs corsica <upstream port> [proxy module] [options JSON]
//   node bench/proxy-servers.mjs cors-anywhere | http-proxy | reply-from <upstream port>
//
// corsica's proxy module is this checkout's built corsica-proxy unless another build's proxy
// module is named (a file: URL, bench/builds.ts), and the options JSON is spread over the
// benchmark's own. The Node proxies do a CORS proxy's least work: the target from the path, a
// pooled keep-alive connection to it, `Access-Control-Allow-Origin: *` on the answer.
// Each reports its port over IPC and stops when the parent disconnects.

import { createServer, Agent as HttpAgent } from 'node:http';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [mode, arg, module, extra] = process.argv.slice(2);
const BODY = JSON.stringify({ id: 42, name: 'corsica', tags: ['cors', 'proxy', 'fast'], ok: true });

/** Tells the parent the port; stops when it disconnects (bench/processes.ts starts these). */
function reportPort(port, stop) {
  process.send?.({ port });
  process.on('disconnect', stop);
}

// bench/proxy-profile.ts profiles a warmed-up server only: { profile: 'start' } starts the CPU
// profiler (or, with heap: 'all', the sampling heap profiler counting every allocation; with heap:
// 'survivors', only what outlived a young-generation collection), { profile: 'stop' } sends the
// profile back.
let session = null;
let heap = null;
const post = (method, params = {}) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (err, result) => (err === null ? resolve(result) : reject(err))),
  );
process.on('message', async (message) => {
  if (message.profile === 'start') {
    session = new Session();
    session.connect();
    heap = message.heap ?? null;
    if (heap !== null)
      await post('HeapProfiler.startSampling', {
        samplingInterval: 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: heap === 'all',
      });
    else {
      await post('Profiler.enable');
      await post('Profiler.start');
    }
    process.send?.({ profiling: true });
  } else if (message.profile === 'stop') {
    const { profile } = await post(heap !== null ? 'HeapProfiler.stopSampling' : 'Profiler.stop');
    process.send?.({ profile });
  }
});

function listen(server) {
  server.listen(0, '127.0.0.1', () => reportPort(server.address().port, () => server.close()));
}

/** `/http://host:port/path` → the target URL, as a CORS proxy reads it. */
const targetOf = (url) => new URL(url.slice(1));

if (mode === 'upstream' || mode === 'big') {
  const size = Number(arg ?? 0);
  const chunk = Buffer.alloc(1 << 20, 'x');
  const server = createServer((req, res) => {
    // A request body, if any, is read before answering, as an API does.
    req.resume();
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
  listen(server);
} else if (mode === 'corsica') {
  const { createProxy } = await import(module ?? 'corsica-proxy');
  const proxy = createProxy({
    port: 0,
    rateLimit: 'off',
    maxResponseBytes: 2 ** 31,
    allowPrivateTarget: [`127.0.0.1:${arg}`],
    ...(extra === undefined ? {} : JSON.parse(extra)),
  });
  const { url } = await proxy.listen();
  reportPort(Number(new URL(url).port), () => void proxy.close());
} else if (mode === 'cors-anywhere') {
  const server = require('cors-anywhere').createServer({
    originWhitelist: [],
    requireHeader: [],
    removeHeaders: [],
  });
  listen(server);
} else if (mode === 'http-proxy') {
  const proxy = require('http-proxy').createProxyServer({
    agent: new HttpAgent({ keepAlive: true, maxSockets: 128 }),
  });
  proxy.on('proxyRes', (upstream) => {
    upstream.headers['access-control-allow-origin'] = '*';
  });
  const server = createServer((req, res) => {
    const target = targetOf(req.url);
    req.url = `${target.pathname}${target.search}`;
    proxy.web(req, res, { target: target.origin }, () => {
      res.statusCode = 502;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  listen(server);
} else if (mode === 'reply-from') {
  const app = require('fastify')({ logger: false });
  await app.register(require('@fastify/reply-from'), {
    undici: { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 },
  });
  const cors = (headers) => ({ ...headers, 'access-control-allow-origin': '*' });
  // A catch-all route: the target URL is the whole path.
  app.get('/*', (request, reply) => reply.from(targetOf(request.url).href, { rewriteHeaders: cors }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  reportPort(Number(new URL(url).port), () => void app.close());
} else {
  throw new Error(
    `usage: proxy-servers.mjs upstream | big <bytes> | corsica <port> [module] [options] | cors-anywhere | http-proxy | reply-from <port> (got ${mode})`,
  );
}
