// The playground's two origins: the page (with its own small JSON API) on one port, and the test
// API whose CORS behaviour the page configures on another. Each Send gets a run id; the test API
// answers that run with a corsica policy or with raw headers, and records what it saw and sent.
// Both answer only names of this machine, and the page's API only its own page (guard.ts); what
// the page sends is checked before it runs (input.ts), and no request can stop the process.

import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cors } from '../adapters/node/index.js';
import { snippets } from '../advice/index.js';
import { audit } from '../audit/index.js';
import type { BrowserRequest } from '../browser/index.js';
import { simulateFetch } from '../browser/index.js';
import { BROWSERS, httpTransport, report, warningsFor } from '../check/index.js';
import { CorsConfigError } from '../policy/problems.js';
import type { CorsOptions } from '../policy/types.js';
import { DEFAULT_METHODS } from '../policy/validate.js';
import { checkHost, checkOwnPage, newToken, pageHeaders } from './guard.js';
import { PlaygroundInputError, type RunInput, runInput, type ServerSpec, snippetInput } from './input.js';
import { playgroundPage } from './page.js';

export type { RawAnswer, RequestSpec, ServerSpec } from './input.js';

/** What the test API recorded for one request of a run (`/api/seen`). */
export interface Seen {
  readonly method: string;
  readonly requestHeaders: Record<string, string>;
  readonly status: number;
  readonly responseHeaders: Record<string, string>;
  /** corsica's own sentence for this request (policy mode): what it decided and why. */
  readonly serverReason: string | null;
}

interface Run {
  readonly spec: ServerSpec;
  readonly handle: ((req: IncomingMessage, res: ServerResponse, next: () => void) => void) | null;
  readonly seen: Seen[];
  /** The policy's decision sentences, in the order the requests came (onDecision). */
  readonly reasons: string[];
}

const MAX_RUNS = 500;
const MAX_BODY = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new PlaygroundInputError(`the body is larger than ${MAX_BODY} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PlaygroundInputError(`the body is not valid JSON (${(err as Error).message})`);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

const headerRecord = (headers: IncomingMessage['headers'] | Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );

export interface Playground {
  readonly pageUrl: string;
  readonly apiUrl: string;
  close(): Promise<void>;
}

/** The test API: `/run/<id>/<anything>` answers as run `id` was set up, recording what it saw. */
function testApi(runs: ReadonlyMap<string, Run>, allowedHosts: readonly string[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!checkHost(req, res, allowedHosts)) return;
    const [, prefix, id] = (req.url ?? '/').split('?')[0]!.split('/');
    const run = prefix === 'run' ? runs.get(id ?? '') : undefined;
    if (run === undefined) {
      res.statusCode = 404;
      res.end('unknown run');
      return;
    }
    req.resume();
    const reasonIndex = run.reasons.length;
    res.on('finish', () => {
      run.seen.push({
        method: req.method ?? '',
        requestHeaders: headerRecord(req.headers),
        status: res.statusCode,
        responseHeaders: headerRecord(res.getHeaders() as Record<string, unknown>),
        serverReason: run.reasons[reasonIndex] ?? null,
      });
    });
    const spec = run.spec;
    if (spec.mode === 'raw') {
      const preflight =
        req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
      const answer = preflight ? spec.preflight : spec.actual;
      res.statusCode = answer.status;
      const grouped = new Map<string, string[]>();
      for (const [n, v] of answer.headers) grouped.set(n, [...(grouped.get(n) ?? []), v]);
      for (const [n, v] of grouped) res.setHeader(n, v.length === 1 ? v[0]! : v);
      res.end(preflight ? undefined : '{"hello":"from the test API"}');
      return;
    }
    run.handle!(req, res, () => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Total-Count', '3');
      res.end(JSON.stringify({ hello: 'from the test API', method: req.method }));
    });
  };
}

/**
 * The page's script as the browser gets it: built beside the command (dist/page-script.js), or,
 * when corsica runs from its sources (tests, `npm start`), compiled from page-script.ts by esbuild,
 * a development dependency that the published package never loads.
 */
async function pageScript(): Promise<string> {
  try {
    return await readFile(new URL('./page-script.js', import.meta.url), 'utf8');
  } catch {
    const source = fileURLToPath(new URL('./page-script.ts', import.meta.url));
    const { transform } = await import('esbuild');
    const built = await transform(await readFile(source, 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcefile: source,
    });
    return built.code;
  }
}

/** The runs the page set up, by id (the oldest dropped past MAX_RUNS), and how to make one. */
class RunBook {
  readonly runs = new Map<string, Run>();
  #counter = 0;
  /** Known once the test API listens. */
  apiUrl = '';

  newRun(body: RunInput): { id: string; url: string } | { error: string } {
    const spec = body.server;
    let handle: Run['handle'] = null;
    const reasons: string[] = [];
    if (spec.mode === 'policy') {
      try {
        const onDecision = (report: { message: string }) => void reasons.push(report.message);
        handle = cors({ ...(spec.options as CorsOptions), silence: true, onDecision }) as Run['handle'];
      } catch (err) {
        if (err instanceof CorsConfigError) return { error: err.message };
        throw err;
      }
    }
    if (this.runs.size >= MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
    const id = `r${++this.#counter}`;
    this.runs.set(id, { spec, handle, seen: [], reasons });
    return { id, url: body.request.target ?? `${this.apiUrl}/run/${id}/items` };
  }

  /** The model's account of the same request, run against a twin of the run (its own id). */
  async explain(body: RunInput) {
    const twin = this.newRun(body);
    if ('error' in twin) return twin;
    const request: BrowserRequest = {
      url: twin.url,
      origin: body.origin,
      // The engine of the browser the page runs in, so that the model compared is that browser's.
      engine: BROWSERS.find((e) => e === body.engine) ?? 'chromium',
      method: body.request.method,
      headers: body.request.headers,
      credentials: body.request.credentials ? 'include' : 'same-origin',
      body: body.request.body === null ? 'none' : 'text',
    };
    const transport = httpTransport({
      timeout: 5000,
      ...(body.request.body === null ? {} : { body: body.request.body }),
    });
    const outcome = await simulateFetch(request, transport);
    return report(outcome, request, await warningsFor(outcome, request, transport));
  }

  /**
   * `corsica audit` of the test API as this run sets it up (a twin of the run), or of the URL to
   * probe, for the page's origin as the site: every finding, with its proof.
   */
  async audit(body: RunInput) {
    const twin = this.newRun(body);
    if ('error' in twin) return twin;
    try {
      return await audit(twin.url, { origin: body.origin, timeout: 5000 });
    } catch (err) {
      return { error: (err as Error).message };
    }
  }
}

/**
 * A POST route of the page's JSON API: the body parsed and checked, the answer written; what the
 * page got wrong is a 400 with the reason, anything else a 500: never an exit.
 */
function postRoute<T>(
  req: IncomingMessage,
  res: ServerResponse,
  parse: (body: unknown) => T,
  answer: (input: T) => unknown,
): void {
  readJson(req)
    .then(async (body) => json(res, 200, await answer(parse(body))))
    .catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof PlaygroundInputError) json(res, 400, { error: err.message, invalid: true });
      else json(res, 500, { error: `the playground failed on this request: ${(err as Error).message}` });
    });
}

const withOrigin = (body: unknown) => runInput(body, true);
const withoutOrigin = (body: unknown) => runInput(body, false);

/** The page's origin: the page, its script, and its small JSON API (for the page alone). */
function pageApp(book: RunBook, script: string, allowedHosts: readonly string[], token: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!checkHost(req, res, allowedHosts)) return;
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    if (route === 'GET /' || route === 'GET /index.html' || route === 'GET /page-script.js') {
      const html = route !== 'GET /page-script.js';
      pageHeaders(res);
      res.setHeader('Content-Type', html ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(html ? playgroundPage(book.apiUrl, token) : script);
      return;
    }
    if (path?.startsWith('/api/') && !checkOwnPage(req, res, token)) return;
    if (route === 'POST /api/run') postRoute(req, res, withoutOrigin, (b) => book.newRun(b));
    else if (route === 'POST /api/explain') postRoute(req, res, withOrigin, (b) => book.explain(b));
    else if (route === 'POST /api/audit') postRoute(req, res, withOrigin, (b) => book.audit(b));
    else if (route === 'POST /api/snippets')
      postRoute(req, res, snippetInput, (b) => ({
        code: snippets(b.options, b.request, book.apiUrl, DEFAULT_METHODS.split(',')),
      }));
    else if (route === 'GET /api/seen') {
      const id = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? '';
      json(res, 200, { seen: book.runs.get(id)?.seen ?? [] });
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  };
}

/** A request handler that answers 500 instead of throwing: no request can stop the playground. */
function neverThrows(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handler(req, res);
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      json(res, 500, { error: `the playground failed on this request: ${(err as Error).message}` });
    }
  };
}

export async function startPlayground(
  options: {
    host?: string;
    port?: number;
    apiPort?: number;
    /** The name in the page's origin (`http://localhost:5173` for an app on Vite's port); the API gets the other. */
    pageName?: 'localhost' | '127.0.0.1';
    /**
     * Host names answered besides localhost, *.localhost, 127.0.0.1 and [::1] (`--allowed-host`):
     * exact, or every subdomain when written with a leading dot (`.corp.example`).
     */
    allowedHosts?: readonly string[];
  } = {},
): Promise<Playground> {
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = options.allowedHosts ?? [];
  const book = new RunBook();
  const token = newToken();
  const api: Server = createServer(neverThrows(testApi(book.runs, allowedHosts)));
  const page: Server = createServer(neverThrows(pageApp(book, await pageScript(), allowedHosts, token)));

  api.listen(options.apiPort ?? 0, host);
  page.listen(options.port ?? 0, host);
  try {
    await Promise.all([once(api, 'listening'), once(page, 'listening')]);
  } catch (err) {
    // One of the two could not listen (a port in use): the other must not keep the process alive.
    for (const server of [api, page]) if (server.listening) server.close();
    throw err;
  }
  // Two origins on one machine: the page under one loopback name, the test API under the other.
  const pageName = options.pageName ?? (host === 'localhost' ? 'localhost' : '127.0.0.1');
  const apiName = pageName === 'localhost' ? '127.0.0.1' : 'localhost';
  const apiUrl = `http://${apiName}:${(api.address() as AddressInfo).port}`;
  book.apiUrl = apiUrl;
  return {
    pageUrl: `http://${pageName === '127.0.0.1' ? host : pageName}:${(page.address() as AddressInfo).port}/`,
    apiUrl,
    async close() {
      for (const s of [api, page]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}
