// The package as a user gets it (issue 14): `npm pack`, the tarball installed into a fresh app,
// used from CommonJS, ESM and strict TypeScript under every module resolution TypeScript offers,
// checked by @arethetypeswrong/cli, and the command run from the installed package.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import ts from 'typescript';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');

/** The packages the fresh app uses beside corsica, taken from this repository's node_modules. */
const APP_PACKAGES = [
  'express',
  'fastify',
  'koa',
  'hono',
  'typescript',
  '@types/node',
  '@types/express',
  '@types/express-serve-static-core',
  '@types/serve-static',
  '@types/send',
  '@types/mime',
  '@types/qs',
  '@types/range-parser',
  '@types/body-parser',
  '@types/connect',
  '@types/http-errors',
  '@types/koa',
  '@types/accepts',
  '@types/content-disposition',
  '@types/cookies',
  '@types/keygrip',
  '@types/http-assert',
  '@types/koa-compose',
  'undici-types',
];

let dir: string;
let app: string;
let tarball: string;
let files: string[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corsica-tarball-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT });
  const info = JSON.parse(packed.stdout)[0] as { filename: string; files: { path: string }[] };
  tarball = join(dir, info.filename);
  files = info.files.map((f) => f.path).sort();
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app });
  for (const name of APP_PACKAGES) {
    const target = join(ROOT, 'node_modules', name);
    const link = join(app, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    try {
      symlinkSync(target, link, 'dir');
    } catch {
      // a package this repository does not have (an optional @types one): not needed then
    }
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the build, the docs, the README and the LICENSE, and nothing else', () => {
    for (const needed of ['LICENSE', 'README.md', 'package.json', 'dist/node.cjs', 'dist/cli.js'])
      assert.ok(files.includes(needed), needed);
    const other = files.filter(
      (f) => !/^(dist\/|docs\/[^/]+\.md$|README\.md$|LICENSE$|package\.json$)/.test(f),
    );
    assert.deepEqual(other, []);
    assert.ok(!files.some((f) => f.endsWith('.png')), 'no screenshot');
    // The browser extension is built into dist/ too, for developers and the stores, never for npm.
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/extension')),
      [],
    );
  });

  it('every link in the shipped README and docs resolves inside the package or is a public URL', () => {
    const broken: string[] = [];
    for (const doc of files.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(app, 'node_modules/corsica', doc), 'utf8');
      for (const [whole, target] of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
        if (/^https:\/\//.test(target!)) continue;
        // A screenshot stays in the repository (the package ships no image, see above): npm
        // shows its alt text; it must exist all the same.
        if (whole!.startsWith('![') && /\.png$/.test(target!)) {
          assert.ok(existsSync(join(ROOT, dirname(doc), target!)), `${doc}: ${target}`);
          continue;
        }
        const path = target!.split('#')[0]!;
        if (path === '') continue;
        const inPackage = join(dirname(doc), path).replace(/\/$/, '');
        if (!files.includes(inPackage)) broken.push(`${doc}: ${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('installs with no runtime dependency: the app gets corsica alone', () => {
    const installed = readdirSync(join(app, 'node_modules')).filter(
      (name) => !name.startsWith('.') && !APP_PACKAGES.some((p) => p === name || p.startsWith(`${name}/`)),
    );
    assert.deepEqual(installed, ['corsica']);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/corsica/package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
  });

  it('@arethetypeswrong/cli finds no problem on any entry (node10, node16 CJS and ESM, bundler)', async () => {
    const { stdout } = await run(join(BIN, 'attw'), [tarball, '--format', 'json']).catch(
      (err: { stdout: string }) => err,
    );
    const report = JSON.parse(stdout) as { analysis: { problems: unknown[] } };
    assert.deepEqual(report.analysis.problems, []);
  });
});

/** A strict TypeScript project in the fresh app: these files, checked with these options. */
async function typeCheck(name: string, options: Record<string, unknown>, sources: Record<string, string>) {
  const project = join(app, name);
  mkdirSync(project, { recursive: true });
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(project, file), text);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, types: ['node'], ...options },
      include: Object.keys(sources),
    }),
  );
  const result = await run(join(app, 'node_modules/typescript/bin/tsc'), ['-p', project]).catch(
    (err: { stdout: string }) => err,
  );
  assert.equal(result.stdout, '', `${name}: tsc found problems`);
}

/** What a `cors` user writes, in TypeScript: the README's forms, the delegate, the type argument. */
const EXPRESS_TS = (importLine: string) => `${importLine}
import express, { type Request } from 'express';

const app = express();
app.use(cors());
app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
app.use(cors({ origin: async (origin) => origin === 'https://app.example.com' }));
app.use(cors({ origin: (origin, callback) => callback(null, origin?.endsWith('.example.com') ?? false) }));
app.use(cors<Request>((req, callback) => callback(null, { origin: req.path === '/open' ? '*' : false })));
app.use(cors((req: Request, callback) => callback(null, { origin: req.hostname === 'a' })));
app.options('/{*path}', cors());
`;

describe('the installed package under strict TypeScript', () => {
  it('ESM (node16, .mts): the cors forms, the type argument, contextual origin types', async () => {
    await typeCheck(
      'ts-node16-esm',
      { module: 'node16', moduleResolution: 'node16', esModuleInterop: true },
      {
        'app.mts': `${EXPRESS_TS("import cors from 'corsica/node';")}
import { createPolicy, type Decision } from 'corsica';
const decision: Decision = createPolicy({ origin: ['https://a.example'] }).decide({ method: 'GET', origin: 'https://a.example' });
const maybe: Decision | Promise<Decision> = createPolicy({ origin: async () => true }).decide({ method: 'GET' });
void decision; void maybe;
`,
      },
    );
  });

  it('CommonJS (node16, .cts): import cors = require(...) is callable and carries its types', async () => {
    await typeCheck(
      'ts-node16-cjs',
      { module: 'node16', moduleResolution: 'node16', esModuleInterop: true },
      {
        'app.cts': `${EXPRESS_TS("import cors = require('corsica/node');")}
const options: cors.CorsOptions = { origin: 'https://a.example' };
app.use(cors.cors(options));
const koa = require('corsica/koa') as typeof import('corsica/koa');
void koa;
`,
      },
    );
  });

  it('CommonJS with moduleResolution node10 (older NestJS starters) resolves every subpath', async () => {
    await typeCheck(
      'ts-node10',
      { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true },
      {
        'app.ts': `${EXPRESS_TS("import cors from 'corsica/node';")}
import { withCors } from 'corsica/fetch';
import honoCors from 'corsica/hono';
import koaCors from 'corsica/koa';
import fastifyCors from 'corsica/fastify';
import { simulateFetch } from 'corsica/browser';
import { createProxy } from 'corsica/proxy';
void [withCors, honoCors, koaCors, fastifyCors, simulateFetch, createProxy];
`,
      },
    );
  });

  it('bundler resolution (Vite, Next.js, esbuild)', async () => {
    await typeCheck(
      'ts-bundler',
      { module: 'esnext', moduleResolution: 'bundler', esModuleInterop: true },
      { 'app.ts': EXPRESS_TS("import cors from 'corsica/node';") },
    );
  });
});

describe('the installed package at run time', () => {
  async function answer(script: string, file: string): Promise<string> {
    writeFileSync(join(app, file), script);
    const child = spawn(process.execPath, [file], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const port = Number(chunk.toString().trim());
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { origin: 'https://app.example.com' },
      });
      return `${res.status} ${res.headers.get('access-control-allow-origin')}`;
    } finally {
      child.kill();
    }
  }

  const serverScript = (lines: string) => `${lines}
const app = express();
app.use(cors({ origin: ['https://app.example.com'] }));
app.get('/', (_req, res) => res.send('ok'));
const server = app.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

  it('require("corsica/node") is the middleware factory, as require("cors") is', async () => {
    const got = await answer(
      serverScript("const express = require('express');\nconst cors = require('corsica/node');"),
      'cjs.cjs',
    );
    assert.equal(got, '200 https://app.example.com');
  });

  it('import cors from "corsica/node" in an ES module', async () => {
    const got = await answer(
      serverScript("import express from 'express';\nimport cors from 'corsica/node';"),
      'esm.mjs',
    );
    assert.equal(got, '200 https://app.example.com');
  });

  it('every entry loads: require() for CommonJS, import() for ES modules', async () => {
    const entries = [
      'corsica',
      'corsica/node',
      'corsica/browser',
      'corsica/proxy',
      'corsica/fastify',
      'corsica/koa',
      'corsica/hono',
      'corsica/fetch',
    ];
    const script = `
const entries = ${JSON.stringify(entries)};
for (const e of entries) { const m = require(e); if (m == null || Object.keys(m).length === 0) throw new Error(e + ' (require) exports nothing'); }
Promise.all(entries.map((e) => import(e))).then((ms) => { for (const [i, m] of ms.entries()) if (Object.keys(m).length === 0) throw new Error(entries[i] + ' (import) exports nothing'); console.log('loaded ' + ms.length); });
`;
    writeFileSync(join(app, 'load-all.cjs'), script);
    const { stdout } = await run(process.execPath, ['load-all.cjs'], { cwd: app });
    assert.equal(stdout.trim(), `loaded ${entries.length}`);
  });

  it('npx corsica --help runs from the fresh app', async () => {
    const { stdout } = await run('npx', ['--no-install', 'corsica', '--help'], { cwd: app });
    assert.match(stdout, /Usage: corsica \[options\] \[command\]/);
    for (const command of ['check', 'explain', 'audit', 'proxy', 'lint', 'playground'])
      assert.match(stdout, new RegExp(`\\n\\s+${command}\\b`), command);
  });

  it('the corsica command runs from the installed package, its dependencies bundled', async () => {
    const api = createServer((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');
      res.end('ok');
    }).listen(0, '127.0.0.1');
    await once(api, 'listening');
    try {
      const { port } = api.address() as AddressInfo;
      const { stdout } = await run(
        join(app, 'node_modules/.bin/corsica'),
        ['check', `http://127.0.0.1:${port}/`, '--origin', 'https://app.example.com', '--json'],
        { cwd: app },
      );
      assert.equal(JSON.parse(stdout).verdict, 'allowed');
    } finally {
      api.close();
    }
  });
});

describe('the published declarations', () => {
  it('every exported function and class has a doc comment, and no internal type is published', () => {
    const undocumented: string[] = [];
    const declarations = files.filter((f) => /^dist\/[a-z]+\.d\.ts$/.test(f));
    for (const file of declarations) {
      const path = join(app, 'node_modules/corsica', file);
      const program = ts.createProgram([path], { strict: true, noEmit: true, types: ['node'] });
      const checker = program.getTypeChecker();
      const source = program.getSourceFile(path)!;
      for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (!(target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) continue;
        if (target.getDocumentationComment(checker).length === 0)
          undocumented.push(`${file}: ${symbol.getName()}`);
      }
      const text = readFileSync(path, 'utf8');
      for (const internal of ['ResolvedConfig', 'OriginMode', 'ResolvedProxyConfig'])
        assert.ok(!text.includes(internal), `${file} publishes ${internal}`);
    }
    assert.ok(declarations.length >= 8, declarations.join());
    assert.deepEqual(undocumented, []);
  });
});
