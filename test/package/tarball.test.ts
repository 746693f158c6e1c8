// The packages as a user gets them (the package shape of docs/packaging.md):
// corsica and corsica-proxy packed from a clean copy of the checkout (each
// `prepack` builds its package), corsica installed alone into a fresh app (no dependency, its
// bundled code's licences in the tarball, `corsica proxy` saying how to get the proxy), then
// corsica-proxy beside it; used from CommonJS, ESM and strict TypeScript under every module
// resolution TypeScript offers, checked by @arethetypeswrong/cli, and run on every tested Node.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import ts from 'typescript';
// @ts-expect-error: a plain ES module of the build, without declarations
import { bundledPackages, licenceText } from '../../scripts/third-party-notices.mjs';
import { type NodeBinaries, nodeBinaries } from '../helpers/node-versions.js';
import { install, linkFromRepository, packBoth, ROOT, type Tarball } from '../helpers/packed.js';

const run = promisify(execFile);
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

/** Every entry point of both packages. */
const ENTRIES = [
  'corsica',
  'corsica/node',
  'corsica/browser',
  'corsica/fastify',
  'corsica/koa',
  'corsica/hono',
  'corsica/fetch',
  'corsica-proxy',
];

let dir: string;
let checkout: string;
let app: string;
let corsica: Tarball;
let proxy: Tarball;

before(
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'corsica-tarball-'));
    ({ checkout, corsica, proxy } = await packBoth(dir));
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true }));
    await install(app, corsica.path);
  },
  { timeout: 900_000 },
);

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The app's node_modules, less the packages linked from this repository. */
const installed = () =>
  readdirSync(join(app, 'node_modules')).filter(
    (name) => !name.startsWith('.') && !APP_PACKAGES.some((p) => p === name || p.startsWith(`${name}/`)),
  );

describe('corsica, packed from a clean checkout and installed alone', () => {
  it('ships the build, its notices, the docs, the README and the LICENSE, and nothing else', () => {
    for (const needed of [
      'LICENSE',
      'README.md',
      'package.json',
      'dist/node.cjs',
      'dist/cli.js',
      'dist/THIRD-PARTY-NOTICES',
      'dist/public-suffix-list.cjs',
    ])
      assert.ok(corsica.files.includes(needed), needed);
    const other = corsica.files.filter(
      (f) => !/^(dist\/[^/]+|docs\/[^/]+\.md|README\.md|LICENSE|package\.json)$/.test(f),
    );
    assert.deepEqual(other, []);
    assert.ok(!corsica.files.some((f) => f.endsWith('.png')), 'no screenshot');
    assert.ok(!corsica.files.some((f) => /proxy(\.d)?\.c?[jt]s$/.test(f)), 'no proxy entry');
    // The browser extension is built into dist/ too, for developers and the stores, never for npm.
    assert.deepEqual(
      corsica.files.filter((f) => f.startsWith('dist/extension')),
      [],
    );
  });

  it("carries the licence of every package bundled into its files (esbuild's record of the build)", () => {
    const notices = readFileSync(join(app, 'node_modules/corsica/dist/THIRD-PARTY-NOTICES'), 'utf8');
    const bundled = bundledPackages(checkout) as Map<string, { dir: string }>;
    assert.ok(bundled.size > 0);
    for (const [name, { dir: packageDir }] of bundled)
      assert.ok(
        notices.includes(licenceText(join(checkout, packageDir))),
        `${name}: no licence in the notices`,
      );
  });

  it('every link in the shipped README and docs resolves inside the package or is a public URL', () => {
    const broken: string[] = [];
    for (const doc of corsica.files.filter((f) => f.endsWith('.md'))) {
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
        if (!corsica.files.includes(inPackage)) broken.push(`${doc}: ${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('installs with no runtime dependency: the app gets corsica alone', () => {
    assert.deepEqual(installed(), ['corsica']);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/corsica/package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
  });

  it('`corsica proxy` without corsica-proxy says how to get it and exits 2', async () => {
    const result = await run(join(app, 'node_modules/.bin/corsica'), ['proxy', '--port', '8080'], {
      cwd: app,
    }).catch((err: { code: number; stderr: string }) => err);
    assert.equal((result as { code: number }).code, 2);
    const stderr = (result as { stderr: string }).stderr;
    assert.match(
      stderr,
      /corsica proxy: the proxy is its own package, corsica-proxy, and it is not installed here/,
    );
    assert.match(stderr, /npm install corsica-proxy\n/);
    assert.match(stderr, /npx corsica-proxy --port 8080\n/);
  });
});

describe('corsica-proxy, packed from the same checkout and installed beside corsica', () => {
  before(async () => {
    await install(app, proxy.path);
    linkFromRepository(app, APP_PACKAGES);
  });

  it('ships its build, README and LICENSE, and nothing else', () => {
    for (const needed of [
      'LICENSE',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.cjs',
      'dist/cli.js',
    ])
      assert.ok(proxy.files.includes(needed), needed);
    assert.deepEqual(
      proxy.files.filter((f) => !/^(dist\/[^/]+|README\.md|LICENSE|package\.json)$/.test(f)),
      [],
    );
  });

  it('brings its network stack as packages of their own, which npm audit and npm update see', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/corsica-proxy/package.json'), 'utf8'));
    for (const name of ['undici', 'ioredis', 'prom-client', 'rate-limiter-flexible', 'ipaddr.js']) {
      assert.ok(name in manifest.dependencies, `${name} is a dependency`);
      assert.ok(installed().includes(name), `${name} is installed`);
    }
  });

  it('@arethetypeswrong/cli finds no problem on any entry of either package', async () => {
    for (const tarball of [corsica.path, proxy.path]) {
      const { stdout } = await run(join(BIN, 'attw'), [tarball, '--format', 'json']).catch(
        (err: { stdout: string }) => err,
      );
      const report = JSON.parse(stdout) as { analysis: { problems: unknown[] } };
      assert.deepEqual(report.analysis.problems, [], tarball);
    }
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
import { createProxy, ProxyConfigError } from 'corsica-proxy';
void [withCors, honoCors, koaCors, fastifyCors, simulateFetch, createProxy, ProxyConfigError];
`,
      },
    );
  });

  it('bundler resolution (Vite, Next.js, esbuild)', async () => {
    await typeCheck(
      'ts-bundler',
      { module: 'esnext', moduleResolution: 'bundler', esModuleInterop: true },
      {
        'app.ts': `${EXPRESS_TS("import cors from 'corsica/node';")}
import 'corsica/public-suffix-list';
import { createProxy, type ProxyOptions } from 'corsica-proxy';
const options: ProxyOptions = { allowOrigin: ['https://app.example.com'] };
void createProxy(options);
`,
      },
    );
  });
});

/** What test/fixtures/package-smoke.mjs sees on every tested Node. */
const SMOKE = {
  entries: Object.fromEntries(ENTRIES.map((e) => [e, [true, true]])),
  express: '200 https://b.example.com',
  fetch: 'https://app.example.com',
  proxy: '200 * ok',
  check: 'allowed',
  corsicaProxyCommand: '200 corsica proxy exit 0',
  corsicaProxy: '200 corsica proxy exit 0',
};

const found = await nodeBinaries();

describe('the installed packages at run time, on every tested Node', () => {
  for (const line of ['20', '22', '24', '26'] as const) {
    it(`Node ${line}: every entry (require and import), the middleware over HTTP, the proxy, both commands`, {
      skip: 'skip' in found ? found.skip : false,
    }, async () => {
      const node = (found as { binaries: NodeBinaries }).binaries[line];
      copyFileSync(join(ROOT, 'test/fixtures/package-smoke.mjs'), join(app, 'smoke.mjs'));
      const { stdout } = await run(node, ['smoke.mjs', JSON.stringify(ENTRIES)], { cwd: app });
      assert.deepEqual(JSON.parse(stdout), SMOKE);
    });
  }

  it('npx corsica --help runs from the fresh app and lists every command', async () => {
    const { stdout } = await run('npx', ['--no-install', 'corsica', '--help'], { cwd: app });
    assert.match(stdout, /Usage: corsica \[options\] \[command\]/);
    for (const command of ['check', 'explain', 'audit', 'proxy', 'lint', 'playground'])
      assert.match(stdout, new RegExp(`\\n\\s+${command}\\b`), command);
  });
});

describe('the published declarations', () => {
  it('every exported function and class has a doc comment, and no internal type is published', () => {
    const undocumented: string[] = [];
    const declarations = [
      ...corsica.files.filter((f) => /^dist\/[a-z]+\.d\.ts$/.test(f)).map((f) => `corsica/${f}`),
      'corsica-proxy/dist/index.d.ts',
    ];
    for (const file of declarations) {
      const path = join(app, 'node_modules', file);
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
