// The NestJS and Next.js guides, docs/nestjs.md and docs/nextjs.md, tested from
// their own text so that the pages and the tests cannot drift. Each TypeScript block carries
// `<!-- test: elsewhere test/docs/guides.test.ts file=<path> [app=<name>] [stub=<module>] -->`
// (test/package/code-blocks.test.ts checks that every block says how it is tested): the blocks of
// one app are written to a project as those files (a path given twice: the second is a variant,
// written beside the first as `<name>.2.ts`), type-checked with tsc under `strict` against the real
// framework types, with 'corsica', 'corsica/node', 'corsica/fetch' and 'corsica/fastify' mapped to
// src/, and then served:
// - NestJS 12 on Express: the guide's main.ts (and its per-request variant) run with tsx, on a
//   free port of 127.0.0.1 (test/fixtures/nestjs/listen-on-loopback.mjs), asked over real HTTP.
// - Next.js 16: `next typegen` first, so that tsc also checks the route exports as `next build`
//   does; then `next dev` (Turbopack) serves each app, with corsica bundled from src/ by esbuild
//   into the project's node_modules (Turbopack does not map src/'s `.js` imports to `.ts`).
// The projects live under the repository's tmp/ (git-ignored), because Turbopack compiles nothing
// outside the workspace root; each run removes its own (tmp/ itself stays: another run may use it).

import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { corsHeadersOf, type RawResponse, send } from '../helpers/http.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const THIS = 'test/docs/guides.test.ts';
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const TOKEN = 'Bearer let-me-in';

interface Block {
  readonly doc: string;
  /** Line of the block's first code line in the doc. */
  readonly line: number;
  readonly app: string;
  readonly file: string;
  readonly stub: string | undefined;
  readonly code: string;
}

/** The blocks of a guide that this file tests; every ts/js block of the guide must be one. */
function blocksOf(doc: string): Block[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const all = [...text.matchAll(/^```(?:js|ts)\b/gm)].length;
  const out: Block[] = [];
  const marker = /<!-- test: elsewhere test\/docs\/guides\.test\.ts ([^\n]*?) -->\n```ts\n([\s\S]*?)```/g;
  for (const m of text.matchAll(marker)) {
    const params = Object.fromEntries((m[1] ?? '').split(/\s+/).map((p) => p.split('=') as [string, string]));
    assert.ok(params.file, `${doc}: a block without file=`);
    const line = text.slice(0, m.index).split('\n').length + 2;
    out.push({ doc, line, app: params.app ?? 'main', file: params.file, stub: params.stub, code: m[2]! });
  }
  assert.equal(out.length, all, `${doc}: every ts/js block is marked for ${THIS}`);
  return out;
}

const NEST = blocksOf('docs/nestjs.md');
const NEXT = blocksOf('docs/nextjs.md');

/** Writes an app's blocks as files; a path seen before gets `.2`, `.3`... before its extension. */
function writeBlocks(dir: string, blocks: readonly Block[]): Map<string, Block> {
  const written = new Map<string, Block>();
  for (const b of blocks) {
    let file = b.file;
    for (let n = 2; written.has(file); n++) file = b.file.replace(/\.ts$/, `.${n}.ts`);
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), b.code);
    written.set(file, b);
  }
  return written;
}

const SRC = {
  corsica: join(ROOT, 'src/index.ts'),
  'corsica/node': join(ROOT, 'src/adapters/node/index.ts'),
  'corsica/fetch': join(ROOT, 'src/adapters/fetch/index.ts'),
  'corsica/fastify': join(ROOT, 'src/adapters/fastify/index.ts'),
};
const paths = (extra: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries({ ...SRC, ...extra }).map(([k, v]) => [k, [v]]));

const run = promisify(execFile);

/** tsc -p on a project; its problems, each named by the doc line it comes from. */
async function typeCheck(project: string, config: string, files: Map<string, Block>): Promise<string> {
  const result = await run(join(BIN, 'tsc'), ['-p', join(project, config)], { cwd: project }).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
  );
  return result.stdout.replace(/^([^\s(]+)\((\d+),\d+\)/gm, (whole, file: string, line: string) => {
    const b = files.get(file);
    return b ? `${b.doc}:${b.line + Number(line) - 1} (${file})` : whole;
  });
}

/** Kills a process group this test started, by its id. */
function stop(child: ChildProcess | undefined): void {
  if (child?.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

let dir: string;
const children: ChildProcess[] = [];

/** Spawns in a new process group (so that stop() takes its children too) and remembers it. */
function start(
  command: string,
  args: string[],
  cwd: string,
  ipc = false,
): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, {
    cwd,
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c;
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c;
  });
  return { child, log: () => out };
}

/** Resolves when `ready` finds what it looks for, rejects if the process exits or 25 s pass. */
function waitFor<T>(
  what: string,
  child: ChildProcess,
  log: () => string,
  ready: (resolve: (value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolveWait, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not ready after 25 s\n${log()}`)), 25_000);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code})\n${log()}`)));
    ready((value) => {
      clearTimeout(timer);
      resolveWait(value);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// NestJS

const NEST_TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
    paths: paths({ '@nestjs/platform-fastify': join(ROOT, 'test/fixtures/nestjs/platform-fastify.d.ts') }),
  },
  include: ['src'],
};

/**
 * Not in the guide: what its "Not both" section describes, NestJS's enableCors (the `cors` package)
 * and corsica together, with the same options.
 */
const NEST_BOTH = `import { NestFactory } from '@nestjs/core';
import cors from 'corsica/node';
import { AppModule } from './app.module.js';

const options = { origin: ['https://app.example.com'], credentials: true };
const app = await NestFactory.create(AppModule, { logger: false });
app.enableCors(options);
app.use(cors(options));
await app.listen(3000);
`;

/** Starts one of the guide's entry files (tsx, as `nest start` would compile it) and resolves to its URL. */
function startNest(project: string, entry: string): Promise<string> {
  const preload = pathToFileURL(join(ROOT, 'test/fixtures/nestjs/listen-on-loopback.mjs')).href;
  const { child, log } = start(
    process.execPath,
    ['--import', 'tsx', '--import', preload, entry],
    project,
    true,
  );
  return waitFor(`NestJS ${entry}`, child, log, (ready) =>
    child.on('message', (m: { port: number }) => ready(`http://127.0.0.1:${m.port}`)),
  );
}

// ---------------------------------------------------------------------------------------------
// Next.js

const NEXT_TSCONFIG = {
  // What create-next-app writes; `next typegen` and `next dev` add their own entries.
  compilerOptions: {
    target: 'ES2017',
    lib: ['dom', 'dom.iterable', 'esnext'],
    allowJs: true,
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: 'react-jsx',
    incremental: true,
    plugins: [{ name: 'next' }],
  },
  include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
  exclude: ['node_modules'],
};

/** Extra routes, not in the guide, for what Next.js itself does around it. */
const NEXT_EXTRA: Readonly<Record<string, Record<string, string>>> = {
  proxy: {
    // A route that throws: does Next.js keep the proxy's CORS headers on its 500?
    'app/api/broken/route.ts':
      "export async function GET(): Promise<Response> {\n  throw new Error('down');\n}\n",
  },
  'route-handlers': {
    // No OPTIONS export: what Next.js answers a preflight itself.
    'app/api/no-options/route.ts':
      "import { withCors } from 'corsica/fetch';\n\nexport const GET = withCors(async () => Response.json({ ok: true }), { origin: ['https://app.example.com'] });\n",
  },
};

function nextProject(name: string, blocks: readonly Block[], extra: Record<string, string> = {}) {
  const project = join(dir, name);
  const files = writeBlocks(project, blocks);
  for (const [file, code] of Object.entries(extra)) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), code);
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name, private: true }));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(NEXT_TSCONFIG, null, 2));
  return { project, files };
}

const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');

/**
 * `next typegen`, then tsc with corsica mapped to src/: every block of the guide in one project
 * (their paths do not collide), apart from the served ones because `next dev` rewrites next-env.d.ts.
 */
async function checkNext(): Promise<string> {
  const { project, files } = nextProject('check-nextjs', NEXT);
  await run(process.execPath, [NEXT_BIN, 'typegen'], {
    cwd: project,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  writeFileSync(
    join(project, 'tsconfig.check.json'),
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { incremental: false, paths: paths() } }),
  );
  return typeCheck(project, 'tsconfig.check.json', files);
}

function serveNext(app: string): Promise<string> {
  const { project } = nextProject(
    `serve-${app}`,
    NEXT.filter((b) => b.app === app),
    NEXT_EXTRA[app],
  );
  const { child, log } = start(process.execPath, [NEXT_BIN, 'dev', '-H', '127.0.0.1', '-p', '0'], project);
  return waitFor(`next dev (${app})`, child, log, (ready) => {
    const look = () => {
      const m = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ready in/.exec(log());
      if (m) ready(m[1]!);
    };
    child.stdout?.on('data', look);
  });
}

// ---------------------------------------------------------------------------------------------

/** Everything starts at once, each test awaits its part: the file stays well under 30 s. */
let nestCheck: Promise<string>;
let nestUrl: Promise<string>;
let nestPerRequestUrl: Promise<string>;
let nestBothUrl: Promise<string>;
let nextCheck: Promise<string>;
const nextUrl: Record<string, Promise<string>> = {};

before(async () => {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  dir = mkdtempSync(join(ROOT, 'tmp', 'docs-guides-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'docs-guides', private: true }));

  // The packages as an app installs them, for Next.js: corsica built from src/ by esbuild.
  const corsica = join(dir, 'node_modules/corsica');
  await build({
    entryPoints: { index: SRC.corsica, fetch: SRC['corsica/fetch'] },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    outdir: corsica,
    logLevel: 'silent',
  });
  writeFileSync(
    join(corsica, 'package.json'),
    JSON.stringify({
      name: 'corsica',
      type: 'module',
      exports: { '.': './index.js', './fetch': './fetch.js' },
    }),
  );

  const nest = join(dir, 'nestjs');
  const nestFiles = writeBlocks(nest, NEST);
  writeFileSync(
    join(nest, 'package.json'),
    JSON.stringify({ name: 'nest-guide', private: true, type: 'module' }),
  );
  writeFileSync(join(nest, 'tsconfig.json'), JSON.stringify(NEST_TSCONFIG, null, 2));
  writeFileSync(join(nest, 'src/main.both.ts'), NEST_BOTH);

  // Promises that reject are awaited by their tests; `catch` here only keeps them from counting
  // as unhandled before then.
  const track = <T>(p: Promise<T>) => {
    p.catch(() => {});
    return p;
  };
  nestCheck = track(typeCheck(nest, 'tsconfig.json', nestFiles));
  nestUrl = track(startNest(nest, 'src/main.ts'));
  nestPerRequestUrl = track(startNest(nest, 'src/main.2.ts'));
  nestBothUrl = track(startNest(nest, 'src/main.both.ts'));
  nextCheck = track(checkNext());
  for (const app of ['proxy', 'route-handlers']) nextUrl[app] = track(serveNext(app));
});

after(async () => {
  // next dev writes into .next until it is gone: wait for every child before removing the projects.
  const exits = children
    .filter((c) => c.exitCode === null && c.signalCode === null)
    .map((c) => new Promise((done) => c.once('exit', done)));
  for (const child of children) stop(child);
  await Promise.race([Promise.all(exits), new Promise((done) => setTimeout(done, 5_000))]);
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

const preflightFrom = (origin: string, method: string, headers?: string): Record<string, string> => ({
  origin,
  'access-control-request-method': method,
  ...(headers ? { 'access-control-request-headers': headers } : {}),
});

/** One Access-Control-Allow-Origin, equal to `origin`: two layers would make it a list. */
function allowsOrigin(res: RawResponse, origin: string): void {
  assert.equal(res.headers['access-control-allow-origin'], origin, JSON.stringify(res.headers));
}

const varyOf = (res: RawResponse) =>
  String(res.headers.vary ?? '')
    .toLowerCase()
    .split(/\s*,\s*/);

describe('docs/nestjs.md', () => {
  it('has the blocks this test expects: the app, the per-request variant, the options, Fastify', () => {
    assert.deepEqual(
      NEST.map((b) => b.file),
      [
        'src/main.ts',
        'src/auth.guard.ts',
        'src/items.controller.ts',
        'src/app.module.ts',
        'src/cors-options.ts',
        'src/main.ts',
        'src/main.fastify.ts',
      ],
    );
    const code = NEST[0]!.code.replace(/\/\/.*$/gm, '');
    assert.match(code, /app\.use\(\s*cors\(/);
    assert.doesNotMatch(code, /enableCors\(|cors:/, "the swap leaves NestJS's own CORS out");
    assert.equal(NEST.at(-1)!.stub, '@nestjs/platform-fastify');
  });

  it('type-checks under strict against NestJS 12, Express and (for the Fastify block) Fastify', async () => {
    assert.equal(await nestCheck, '');
  });

  it('answers a preflight before the guard runs: 204 and the preflight headers, without a token', async () => {
    const url = await nestUrl;
    const res = await send(
      `${url}/items`,
      'OPTIONS',
      preflightFrom(APP, 'POST', 'authorization,content-type'),
    );
    assert.equal(res.status, 204);
    assert.deepEqual(corsHeadersOf(res.headers), {
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
      'access-control-allow-headers': 'Content-Type,Authorization',
      'access-control-max-age': '600',
    });
    assert.ok(varyOf(res).includes('origin'), String(res.headers.vary));
  });

  it('gives an allowed origin its answer, credentials and the exposed header', async () => {
    const url = await nestUrl;
    const res = await send(`${url}/items`, 'GET', { origin: APP, authorization: TOKEN });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), [{ id: 1, name: 'first' }]);
    assert.equal(res.headers['x-total-count'], '1');
    assert.deepEqual(corsHeadersOf(res.headers), {
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total-Count',
    });
    const preview = 'https://pr-42.preview.example.com';
    allowsOrigin(await send(`${url}/items`, 'GET', { origin: preview, authorization: TOKEN }), preview);
  });

  it("keeps the CORS headers on the guard's 401, so the page can read it", async () => {
    const url = await nestUrl;
    const res = await send(`${url}/items`, 'GET', { origin: APP });
    assert.equal(res.status, 401);
    allowsOrigin(res, APP);
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
  });

  it('sends no CORS header at all to a refused origin, on a request and on a preflight', async () => {
    const url = await nestUrl;
    const res = await send(`${url}/items`, 'GET', { origin: EVIL, authorization: TOKEN });
    assert.equal(res.status, 200, 'the server still answers; the browser keeps it from the page');
    assert.deepEqual(corsHeadersOf(res.headers), {});
    assert.ok(varyOf(res).includes('origin'));
    const pre = await send(`${url}/items`, 'OPTIONS', preflightFrom(EVIL, 'POST', 'authorization'));
    assert.deepEqual(corsHeadersOf(pre.headers), {});
  });

  it("runs the per-request variant: cors<Request>(delegate) with Express's req.path", async () => {
    const url = await nestPerRequestUrl;
    const feed = await send(`${url}/feed`, 'GET', { origin: EVIL });
    assert.equal(feed.status, 404, 'no /feed route in the guide: NestJS answers 404, with CORS headers');
    assert.deepEqual(corsHeadersOf(feed.headers), { 'access-control-allow-origin': '*' });
    assert.deepEqual(corsHeadersOf((await send(`${url}/items`, 'GET', { origin: EVIL })).headers), {});
    const app = await send(`${url}/items`, 'GET', { origin: APP, authorization: TOKEN });
    allowsOrigin(app, APP);
    assert.equal(app.headers['access-control-allow-credentials'], 'true');
  });

  it('"Not both": with enableCors too, `cors` answers the preflights and leaks credentials to a refused origin', async () => {
    const url = await nestBothUrl;
    // corsica sends a refused origin nothing; `cors`, registered first by enableCors, answers it.
    const pre = await send(`${url}/items`, 'OPTIONS', preflightFrom(EVIL, 'POST'));
    assert.equal(pre.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    const res = await send(`${url}/items`, 'GET', { origin: EVIL, authorization: TOKEN });
    assert.deepEqual(corsHeadersOf(res.headers), { 'access-control-allow-credentials': 'true' });
  });
});

describe('docs/nextjs.md', () => {
  it('has the blocks this test expects: proxy.ts with a route, and route handlers', () => {
    assert.deepEqual(
      NEXT.map((b) => `${b.app}:${b.file}`),
      [
        'proxy:proxy.ts',
        'proxy:app/api/items/route.ts',
        'route-handlers:app/api/orders/route.ts',
        'route-handlers:app/api/orders/[id]/route.ts',
      ],
    );
  });

  it('type-checks under strict, with next/server and the route types of next typegen', async () => {
    assert.equal(await nextCheck, '');
  });

  describe('proxy.ts, served by next dev', () => {
    it('answers a preflight in the proxy: 204, the preflight headers, no body', async () => {
      const url = await nextUrl.proxy!;
      const res = await send(`${url}/api/items`, 'OPTIONS', preflightFrom(APP, 'DELETE', 'authorization'));
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      assert.deepEqual(corsHeadersOf(res.headers), {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
        'access-control-allow-headers': 'Content-Type,Authorization',
        'access-control-max-age': '600',
      });
    });

    it("adds the CORS headers to the route's answer for an allowed origin (a pattern too)", async () => {
      const url = await nextUrl.proxy!;
      const res = await send(`${url}/api/items`, 'GET', { origin: APP });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), [{ id: 1, name: 'first' }]);
      assert.equal(res.headers['x-total-count'], '1');
      assert.deepEqual(corsHeadersOf(res.headers), {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'X-Total-Count',
      });
      assert.ok(varyOf(res).includes('origin'), String(res.headers.vary));
      allowsOrigin(
        await send(`${url}/api/items`, 'GET', { origin: 'http://localhost:5173' }),
        'http://localhost:5173',
      );
    });

    it('sends no CORS header to a refused origin, on a request and on a preflight', async () => {
      const url = await nextUrl.proxy!;
      const res = await send(`${url}/api/items`, 'GET', { origin: EVIL });
      assert.equal(res.status, 200);
      assert.deepEqual(corsHeadersOf(res.headers), {});
      const pre = await send(`${url}/api/items`, 'OPTIONS', preflightFrom(EVIL, 'DELETE'));
      assert.deepEqual(corsHeadersOf(pre.headers), {});
    });

    it("keeps the proxy's CORS headers on a route's 500", async () => {
      const url = await nextUrl.proxy!;
      const res = await send(`${url}/api/broken`, 'GET', { origin: APP });
      assert.equal(res.status, 500);
      allowsOrigin(res, APP);
    });
  });

  describe('route handlers with withCors, served by next dev', () => {
    it('answers a preflight through the OPTIONS export', async () => {
      const url = await nextUrl['route-handlers']!;
      const res = await send(`${url}/api/orders`, 'OPTIONS', preflightFrom(APP, 'POST', 'content-type'));
      assert.equal(res.status, 204);
      assert.deepEqual(corsHeadersOf(res.headers), {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'Content-Type,Authorization',
      });
    });

    it('gives an allowed origin its answers (GET and POST), and a refused one none of the CORS headers', async () => {
      const url = await nextUrl['route-handlers']!;
      const res = await send(`${url}/api/orders?status=shipped`, 'GET', { origin: APP });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), [{ id: 7, status: 'shipped' }]);
      allowsOrigin(res, APP);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      const post = await fetch(`${url}/api/orders`, {
        method: 'POST',
        headers: { origin: APP, 'content-type': 'application/json' },
        body: JSON.stringify({ item: 'tea' }),
      });
      assert.equal(post.status, 201);
      assert.deepEqual(await post.json(), { id: 8, item: 'tea' });
      assert.equal(post.headers.get('access-control-allow-origin'), APP);
      const refused = await send(`${url}/api/orders`, 'GET', { origin: EVIL });
      assert.equal(refused.status, 200);
      assert.deepEqual(corsHeadersOf(refused.headers), {});
    });

    it('passes params through to a dynamic route, and keeps the CORS headers on a thrown error', async () => {
      const url = await nextUrl['route-handlers']!;
      const res = await send(`${url}/api/orders/42`, 'GET', { origin: APP });
      assert.deepEqual(JSON.parse(res.body), { id: '42' });
      allowsOrigin(res, APP);
      const broken = await send(`${url}/api/orders/broken`, 'GET', { origin: APP });
      assert.equal(broken.status, 500);
      allowsOrigin(broken, APP);
    });

    it('without an OPTIONS export, Next.js answers the preflight itself, with no CORS headers', async () => {
      const url = await nextUrl['route-handlers']!;
      const res = await send(`${url}/api/no-options`, 'OPTIONS', preflightFrom(APP, 'GET'));
      assert.deepEqual(corsHeadersOf(res.headers), {});
      assert.match(String(res.headers.allow), /GET/);
    });
  });
});
