// corsica/fetch on the real runtimes the README names: Bun, Deno and Cloudflare's
// workerd, with Node as the baseline. Each runtime is started once, on a free port, serving the
// BUILT package (dist/fetch.js, which `npm test` builds first) through
// test/fixtures/runtimes/app.mjs; workerd gets it bundled by esbuild, as wrangler would, with no
// nodejs_compat flag (corsica/fetch promises web-platform APIs only). One table of cases,
// expectations as data (as in test/adapters/frameworks.test.ts), is sent over real HTTP from Node
// to every runtime. The runtimes are devDependencies (npm packages `bun`, `deno`, `workerd`) that
// CI installs with `npm ci`: a runtime that cannot start here FAILS, with its stderr, never skips.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { CorsOptions } from '../../src/policy/index.js';
import { assertResponse, type ExpectedResponse, send } from '../helpers/http.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/runtimes');
/** Every runtime runs on a leash that kills it when this process goes, however it goes. */
const LEASH = join(FIXTURES, 'leash.mjs');
const MODULES = join(ROOT, 'node_modules');
/** Startup must not hang the suite: a runtime that has not listened by then fails, with its stderr. */
const STARTUP_MS = 10_000;
/** A runtime that takes a connection and never answers fails its case, not the whole suite's timeout. */
const REQUEST_MS = 5_000;

const APP = 'https://app.example.com';
const OTHER = 'https://b.example.com';
const EVIL = 'https://evil.example.net';
const ALL_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

/** The option sets every runtime serves, by name: /<name>/<route> uses that set. Data, so JSON. */
const APPS: Readonly<Record<string, CorsOptions>> = {
  list: {
    origin: [APP, OTHER],
    methods: ALL_METHODS,
    credentials: true,
    exposedHeaders: ['X-Total'],
    maxAge: 600,
  },
  open: {},
};

/** The CORS answer `list` gives an allowed origin on an actual (non-preflight) request. */
const LIST_ALLOWS = (origin: string) => ({
  'access-control-allow-origin': origin,
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'X-Total',
});

/** The runtimes' cases say status, CORS headers and Vary, always. */
type Expected = ExpectedResponse & Required<Pick<ExpectedResponse, 'status' | 'cors' | 'vary'>>;

interface Case {
  readonly name: string;
  readonly method: string;
  /** /<app in APPS>/<route in app.mjs> */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expect: Expected;
}

const CASES: readonly Case[] = [
  {
    name: 'a preflight is answered by withCors: 204, empty, methods, reflected headers, max-age, Vary',
    method: 'OPTIONS',
    path: '/list/ok',
    headers: {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'X-Api-Key',
    },
    expect: {
      status: 204,
      body: '',
      cors: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': ALL_METHODS,
        'access-control-allow-headers': 'x-api-key',
        'access-control-max-age': '600',
      },
      vary: ['access-control-request-headers', 'origin'],
    },
  },
  {
    name: 'an allowed origin gets its origin back, credentials and exposed headers; the app answers',
    method: 'GET',
    path: '/list/ok',
    headers: { origin: OTHER },
    expect: {
      status: 200,
      body: 'ok',
      cors: LIST_ALLOWS(OTHER),
      vary: ['origin'],
      headers: { 'x-total': '3' },
    },
  },
  {
    name: 'a refused origin gets no CORS header and Vary: Origin; the app still answers',
    method: 'GET',
    path: '/list/ok',
    headers: { origin: EVIL },
    expect: { status: 200, body: 'ok', cors: {}, vary: ['origin'] },
  },
  {
    name: 'a preflight from a refused origin carries no permission',
    method: 'OPTIONS',
    path: '/list/ok',
    headers: { origin: EVIL, 'access-control-request-method': 'PUT' },
    expect: { status: 204, body: '', cors: {}, vary: ['access-control-request-headers', 'origin'] },
  },
  {
    name: 'a handler that throws gives a 500 that still carries the CORS headers, so the page can read it',
    method: 'GET',
    path: '/list/boom',
    headers: { origin: APP },
    expect: { status: 500, body: 'Internal Server Error', cors: LIST_ALLOWS(APP), vary: ['origin'] },
  },
  {
    name: 'a handler whose promise rejects gives the same 500 with CORS headers',
    method: 'GET',
    path: '/list/reject',
    headers: { origin: APP },
    expect: { status: 500, body: 'Internal Server Error', cors: LIST_ALLOWS(APP), vary: ['origin'] },
  },
  {
    name: 'a Response.redirect() (immutable headers) is answered as a copy that carries the CORS headers',
    method: 'GET',
    path: '/list/redirect',
    headers: { origin: APP },
    expect: {
      status: 302,
      cors: LIST_ALLOWS(APP),
      vary: ['origin'],
      headers: { location: 'https://app.example.com/elsewhere' },
    },
  },
  {
    name: "the app's own Vary is kept and extended with Origin",
    method: 'GET',
    path: '/list/vary',
    headers: { origin: APP },
    expect: { status: 200, body: 'ok', cors: LIST_ALLOWS(APP), vary: ['accept-encoding', 'origin'] },
  },
  {
    name: "the defaults answer '*', with no Vary",
    method: 'GET',
    path: '/open/ok',
    headers: { origin: APP },
    expect: { status: 200, body: 'ok', cors: { 'access-control-allow-origin': '*' }, vary: [] },
  },
];

// --- Finding each runtime's binary ------------------------------------------------------------

const NODE_ARCH: Record<string, string> = { x64: 'x64', arm64: 'aarch64' };

/** More than 1 MB: a real binary, not an npm placeholder (bun's is 450 bytes) or a wrapper script. */
const isBinary = (path: string) => existsSync(path) && statSync(path).size > 1_000_000;

/** The binaries of the installed platform packages, e.g. node_modules/@oven/bun-linux-x64/bin/bun. */
function platformPackages(scope: string, prefix: string, file: string): string[] {
  const dir = join(MODULES, scope);
  const names = existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith(prefix)) : [];
  return names.length > 0 ? names.map((name) => join(dir, name, file)) : [join(dir, `${prefix}*`, file)];
}

/**
 * Where each runtime's real executable may be, best first; never the npm packages' Node wrappers,
 * which would sit between us and the runtime (killing a wrapper can leave the runtime running).
 * The wrapper packages' postinstall scripts move the binary into place; when they did not run
 * (`npm ci --ignore-scripts`, or scripts that package.json `allowScripts` does not allow), the
 * optional platform package still holds it.
 */
const CANDIDATES: Record<string, () => string[]> = {
  bun: () => [
    join(MODULES, 'bun/bin/bun.exe'),
    ...platformPackages('@oven', `bun-${platform()}-${NODE_ARCH[arch()] ?? arch()}`, 'bin/bun'),
  ],
  deno: () => [join(MODULES, 'deno/deno'), ...platformPackages('@deno', `${platform()}-${arch()}`, 'deno')],
  // The workerd package's main module exports the path of the platform binary.
  workerd: () => [createRequire(import.meta.url)('workerd').default as string],
};

function binary(name: string): string {
  let candidates: string[] = [];
  try {
    candidates = CANDIDATES[name]!();
  } catch (error) {
    candidates = [`(${(error as Error).message})`];
  }
  const found = candidates.find(isBinary);
  if (found === undefined)
    throw new Error(
      `no ${name} binary in node_modules (looked at ${candidates.join(', ')}). ` +
        `CI installs it with \`npm ci\` (devDependency \`${name}\`): run \`npm ci\`.`,
    );
  return found;
}

// --- Starting and stopping a runtime ----------------------------------------------------------

interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

/** Collects a stream's text, for error messages. */
function collect(stream: Readable | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
  });
  return () => text.trim() || '(nothing)';
}

/** Stops a leashed runtime: its leash kills it at once on SIGTERM (or when its stdin ends). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.stdin?.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns a runtime on its leash and waits until `port` (fed its stdout, or descriptor `portFd`)
 * finds the port it listens on. Rejects, after killing it, if it exits first or STARTUP_MS passes;
 * the message names the command and carries the runtime's stderr and stdout.
 */
async function start(
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; portFd?: number; port: (text: string) => number | undefined },
): Promise<Running> {
  // stdin is the leash; descriptor 3 is there for workerd's control messages.
  const child = spawn(process.execPath, [LEASH, command, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const portStream = child.stdio[options.portFd ?? 1] as Readable;
  const failed = (why: string) =>
    new Error(
      `${name} did not start: ${why}\n  command: ${command} ${args.join(' ')}\n` +
        `  stderr: ${stderr()}\n  stdout: ${stdout()}`,
    );
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((done, fail) => {
      let seen = '';
      portStream.setEncoding('utf8');
      portStream.on('data', (chunk: string) => {
        seen += chunk;
        const port = options.port(seen);
        if (port !== undefined) done(port);
      });
      child.once('error', (error) => fail(failed(error.message)));
      // Let the last output arrive before reporting it.
      child.once('close', (code, signal) => fail(failed(`exited (${signal ?? `code ${code}`})`)));
      timer = setTimeout(() => fail(failed(`no port after ${STARTUP_MS} ms`)), STARTUP_MS);
    });
    return { url: `http://127.0.0.1:${port}`, stop: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The fixtures' `listening <port>` line. */
const listeningLine = (text: string) => {
  const m = /^listening (\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
};

const APPS_JSON = JSON.stringify(APPS);

/** Bundles the worker like wrangler does (no Node built-ins: no nodejs_compat), and configures workerd. */
async function workerdConfig(dir: string): Promise<string> {
  await build({
    entryPoints: [join(FIXTURES, 'worker.mjs')],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
  }).catch((error: Error) => {
    throw new Error(
      'esbuild could not bundle the built corsica/fetch for workerd as wrangler would (platform neutral, ' +
        `no nodejs_compat): corsica/fetch must use web-platform APIs only.\n${error.message}`,
    );
  });
  const config = join(dir, 'config.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
  bindings = [ (name = "APPS", json = ${JSON.stringify(APPS_JSON)}) ],
);
`,
  );
  return config;
}

const RUNTIMES: Record<string, (dir: string) => Promise<Running>> = {
  node: () =>
    start('node', process.execPath, [join(FIXTURES, 'serve-node.mjs'), APPS_JSON], { port: listeningLine }),
  bun: () =>
    start('bun', binary('bun'), [join(FIXTURES, 'serve-bun.mjs'), APPS_JSON], { port: listeningLine }),
  deno: () =>
    start(
      'deno',
      binary('deno'),
      [
        'run',
        '--no-prompt',
        '--no-lock',
        '--allow-net=127.0.0.1',
        join(FIXTURES, 'serve-deno.mjs'),
        APPS_JSON,
      ],
      { port: listeningLine, env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } },
    ),
  // workerd reports the port its socket bound on a control descriptor, as JSON lines.
  workerd: async (dir) =>
    start('workerd', binary('workerd'), ['serve', await workerdConfig(dir), '--control-fd=3'], {
      portFd: 3,
      port: (text) => {
        const m = /"socket":"http","port":(\d+)/.exec(text);
        return m ? Number(m[1]) : undefined;
      },
    }),
};

for (const [runtime, launch] of Object.entries(RUNTIMES)) {
  describe(`corsica/fetch (built) on ${runtime}`, () => {
    let dir: string;
    let running: Running | undefined;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), `corsica-${runtime}-`));
      running = await launch(dir);
    });
    after(async () => {
      await running?.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    for (const c of CASES) {
      it(c.name, { timeout: REQUEST_MS }, async () => {
        assert.ok(running, `${runtime} is not running`);
        assertResponse(await send(`${running.url}${c.path}`, c.method, { ...c.headers }), c.expect);
      });
    }
  });
}
