// "Code for this policy" must be the same policy: the playground's snippet text for
// cors, @fastify/cors and hono/cors is evaluated and run in the real packages, and its nginx text
// in a real nginx (Debian's nginx-light, on a loopback port, config in a temp folder). The browser
// model then sends the same requests to each and to corsica: the verdicts must be the same.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { before, describe, it } from 'node:test';
import fastifyCors from '@fastify/cors';
import { serve } from '@hono/node-server';
import corsPkg from 'cors';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { cors as corsica } from '../../src/adapters/node/index.js';
import { optionsText } from '../../src/advice/options-text.js';
import { nginxLines, type SnippetOptions, snippetSpec } from '../../src/advice/snippets.js';
import { probe } from '../../src/check/index.js';
import { DEFAULT_METHODS } from '../../src/policy/validate.js';
import { close, listen } from '../helpers/http.js';
import { type RunningNginx, skipNginx, startNginx } from '../helpers/nginx.js';

const PAGE = 'http://127.0.0.1:8080';

/** The snippet's option text for a tool, evaluated: what a user pasting it would run. */
const evaluate = (options: SnippetOptions, tool: 'cors' | 'hono'): Record<string, unknown> =>
  new Function(`return ({ ${optionsText(spec(options), tool)} });`)();

/** The form's options as the playground writes them for the peers. */
const spec = (options: SnippetOptions) => snippetSpec(options, DEFAULT_METHODS.split(','));

const POLICIES: Record<string, SnippetOptions> = {
  'a list with patterns, credentials and lists': {
    origin: [PAGE, 'https://*.preview.example.com', 'http://localhost:*'],
    credentials: true,
    allowedHeaders: ['Content-Type'],
    exposedHeaders: ['X-Total'],
    maxAge: 600,
  },
  "'*' with the defaults (request headers reflected)": { origin: '*' },
  'one origin, some methods, headers reflected': { origin: [PAGE], methods: ['GET', 'PUT'] },
};

const ORIGINS = [
  PAGE,
  'https://a.b.preview.example.com',
  'https://preview.example.com',
  'https://evilpreview.example.com',
  'http://localhost:5173',
  'https://evil.example',
];

interface Probe {
  readonly method: string;
  readonly header?: string[];
  readonly credentials?: boolean;
}
const REQUESTS: Probe[] = [
  { method: 'GET' },
  { method: 'GET', credentials: true },
  { method: 'PUT', header: ['Content-Type: application/json'] },
  { method: 'DELETE', header: ['X-Custom: 1'], credentials: true },
];

/** Every verdict the browser model gives for the requests and origins, against `base`. */
async function verdicts(base: string): Promise<string[]> {
  const out: string[] = [];
  for (const origin of ORIGINS) {
    for (const r of REQUESTS) {
      const { report } = await probe(`${base}/items`, {
        origin,
        method: r.method,
        ...(r.header === undefined ? {} : { header: r.header }),
        credentials: r.credentials === true,
        timeout: 3000,
      });
      out.push(
        `${origin} ${r.method}${r.credentials ? ' +credentials' : ''}${r.header ? ` ${r.header}` : ''}: ${report.verdict}`,
      );
    }
  }
  return out;
}

const ok = (_req: unknown, res: { end(body: string): void }) => res.end('{"ok":true}');

async function nodeServer(middleware: (req: never, res: never, next: () => void) => void) {
  return listen((req, res) => middleware(req as never, res as never, () => ok(req, res)));
}

describe('playground snippets run in the real packages: same verdicts as corsica', () => {
  for (const [name, options] of Object.entries(POLICIES)) {
    describe(name, () => {
      let expected: string[];
      before(async () => {
        const { server, url } = await nodeServer(corsica({ ...(options as object), silence: true }) as never);
        try {
          expected = await verdicts(url);
        } finally {
          await close(server);
        }
        // The requests must tell policies apart: some allowed, some blocked.
        assert.ok(
          expected.some((v) => v.endsWith(': allowed')) && expected.some((v) => v.endsWith(': blocked')),
        );
      });

      it('cors (Express/node:http)', async () => {
        const { server, url } = await nodeServer(corsPkg(evaluate(options, 'cors')) as never);
        try {
          assert.deepEqual(await verdicts(url), expected);
        } finally {
          await close(server);
        }
      });

      it('@fastify/cors', async () => {
        const app = Fastify();
        await app.register(fastifyCors, evaluate(options, 'cors'));
        app.all('/items', async () => ({ ok: true }));
        const url = await app.listen({ port: 0, host: '127.0.0.1' });
        try {
          assert.deepEqual(await verdicts(url), expected);
        } finally {
          await app.close();
        }
      });

      it('hono/cors', async () => {
        const app = new Hono();
        app.use('*', honoCors(evaluate(options, 'hono') as never));
        app.all('/items', (c) => c.json({ ok: true }));
        const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
        await new Promise((resolve) => server.once('listening', resolve));
        try {
          assert.deepEqual(
            await verdicts(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
            expected,
          );
        } finally {
          await close(server);
        }
      });

      it('nginx', { skip: skipNginx }, async () => {
        const nginx = await startSnippetNginx(nginxLines(spec(options)));
        try {
          assert.deepEqual(await verdicts(nginx.url), expected);
        } finally {
          await nginx.stop();
        }
      });
    });
  }
});

/** A real nginx serving `/` with the snippet's directives. */
function startSnippetNginx(lines: readonly string[]): Promise<RunningNginx> {
  return startNginx({
    http: lines.filter((l) => l.startsWith('map ')),
    server: [
      'location / {',
      ...lines.filter((l) => !l.startsWith('map ') && !l.startsWith('#')).map((l) => `  ${l}`),
      `  return 200 '{"ok":true}';`,
      '}',
    ],
  });
}

describe('the nginx snippet is valid nginx for every kind of origin option', { skip: skipNginx }, () => {
  it("nginx -t accepts it under '*', a list, patterns and true", async () => {
    for (const options of [
      { origin: '*' },
      { origin: [PAGE] },
      { origin: ['https://*.example.com'] },
      { origin: true },
    ] as SnippetOptions[]) {
      const nginx = await startSnippetNginx(nginxLines(spec(options)));
      await nginx.stop();
    }
  });
});
