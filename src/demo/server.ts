// `npm run demo`: a small demo of corsica on node:http. An API on http://localhost:8070 with three
// CORS policies, and a page on another origin (http://localhost:8071) whose buttons call it, so
// a browser shows what each policy allows and blocks. Ports: PORT and PAGE_PORT.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { cors } from '../adapters/node/index.js';

// Not 8080: `npm start` (the playground) takes it, and `npm run proxy` takes 8090.
const port = Number(process.env.PORT ?? 8070);
const pagePort = Number(process.env.PAGE_PORT ?? port + 1);
const host = process.env.HOST ?? 'localhost';
const pageOrigin = `http://${host}:${pagePort}`;

const log = (r: { message: string }) => console.log(`  cors: ${r.message}`);
const policies = {
  // A public, read-only API: any site may read it, without credentials.
  '/api/public': cors({ methods: ['GET'], onDecision: log }),
  // A private API for the demo page only, with cookies, a custom header and an exposed header.
  '/api/private': cors({
    origin: [pageOrigin],
    credentials: true,
    methods: ['GET', 'PUT'],
    allowedHeaders: ['Content-Type', 'X-Api-Key'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600,
    onDecision: log,
  }),
  // An API for another site: the demo page is refused.
  '/api/partner': cors({ origin: ['https://partner.example'], onDecision: log }),
} as const;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

const api = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? '/').split('?')[0] as keyof typeof policies;
  console.log(`${req.method} ${req.url} Origin: ${req.headers.origin ?? '-'}`);
  const middleware = policies[path];
  if (middleware === undefined) {
    json(res, 404, { error: 'not found', try: Object.keys(policies) });
    return;
  }
  middleware(req, res, () => {
    res.setHeader('X-Total-Count', '3');
    res.setHeader('Set-Cookie', 'demo=1; Path=/; SameSite=Lax');
    json(res, 200, { path, method: req.method, cookie: req.headers.cookie ?? null, items: ['a', 'b', 'c'] });
  });
});

const page = `<!doctype html>
<meta charset="utf-8">
<title>corsica demo</title>
<style>body{font:15px system-ui;margin:2em;max-width:60em}button{margin:.2em}pre{background:#f4f4f4;padding:1em;white-space:pre-wrap}</style>
<h1>corsica demo</h1>
<p>This page is on <code>${pageOrigin}</code>; the API is on <code>http://${host}:${port}</code>, another origin.
Each button makes a cross-origin <code>fetch</code>; the browser's console shows the CORS errors,
and the API's terminal shows corsica's reason for each decision.</p>
<div id="buttons"></div>
<pre id="out">Click a button.</pre>
<script>
const api = 'http://${host}:${port}';
const cases = {
  'public GET (allowed, *)': ['/api/public', {}],
  'public PUT (blocked: method not allowed)': ['/api/public', { method: 'PUT' }],
  'private GET with cookies (allowed)': ['/api/private', { credentials: 'include' }],
  'private PUT with JSON and X-Api-Key (preflighted, allowed)': ['/api/private', { method: 'PUT', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k' }, body: '{}' }],
  'private GET with X-Other (blocked: header not allowed)': ['/api/private', { headers: { 'X-Other': '1' } }],
  'partner GET (blocked: origin not allowed)': ['/api/partner', {}],
};
for (const [label, [path, init]] of Object.entries(cases)) {
  const b = document.createElement('button');
  b.textContent = label;
  b.onclick = async () => {
    const out = document.getElementById('out');
    try {
      const r = await fetch(api + path, init);
      out.textContent = label + '\\n→ allowed: ' + r.status + '\\nX-Total-Count readable: ' + r.headers.get('X-Total-Count') + '\\n' + await r.text();
    } catch (e) {
      out.textContent = label + '\\n→ blocked by the browser (' + e + '). See the console for its message.';
    }
  };
  document.getElementById('buttons').append(b);
}
</script>`;

const pageServer = createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page);
});

/** A port that cannot be had, in one line and exit 2, never a stack trace. */
function cannotListen(err: NodeJS.ErrnoException, which: string, at: number): void {
  const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.message;
  console.error(
    `corsica demo: the ${which} cannot listen on ${host}:${at}: ${why}. Choose free ports: PORT=<api> PAGE_PORT=<page> npm run demo`,
  );
  process.exit(2);
}
api.once('error', (err) => cannotListen(err, 'API', port));
pageServer.once('error', (err) => cannotListen(err, 'page', pagePort));

api.listen(port, host, () => {
  pageServer.listen(pagePort, host, () => {
    console.log(`corsica demo API on http://${host}:${port} (try /api/public, /api/private, /api/partner)`);
    console.log(`open the demo page on ${pageOrigin}`);
  });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    api.close();
    pageServer.close();
    process.exit(0);
  });
}
