import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

// corsica installs with no runtime dependency (issue 14): what the proxy and the command line use
// (undici, ioredis, prom-client, commander...) is bundled into the files that use it, so an app
// that installs corsica for its middleware gets one package, and `npx corsica` still works.
// They are devDependencies, which tsup bundles anyway; the list says it on purpose.
const BUNDLED = [
  'commander',
  'ioredis',
  'ipaddr.js',
  'picocolors',
  'prom-client',
  'rate-limiter-flexible',
  'tldts',
  'undici',
];

const LIBRARY = {
  index: 'src/index.ts',
  node: 'src/adapters/node/index.ts',
  browser: 'src/browser/index.ts',
  proxy: 'src/proxy/index.ts',
  fastify: 'src/adapters/fastify/index.ts',
  koa: 'src/adapters/koa/index.ts',
  hono: 'src/adapters/hono/index.ts',
  fetch: 'src/adapters/fetch/index.ts',
};

const common: Options = {
  target: 'node20',
  // The entries of one build share chunks: `corsica` and `corsica/node` must hand out the same
  // CorsConfigError class and the same once-only warning registry.
  splitting: true,
  noExternal: BUNDLED,
  // Only loaded from the sources, to compile the playground's page script (built below).
  external: ['esbuild'],
};

/** Shared by every CommonJS entry, built from scripts/build/policy-shared.ts. */
const SHARED_ENTRY = resolve('scripts/build/policy-shared.ts');
const SHARED = new Set([resolve('src/policy/problems.ts'), resolve('src/policy/codes.ts')]);

/**
 * The policy holds state every entry must share: the CorsConfigError class (`instanceof` across
 * `corsica` and `corsica/node`) and the once-per-process warning registry (src/policy/problems.ts).
 * The entries take it, with the code table it reads, from one file (dist/policy-shared.cjs, or .js
 * for the ES modules) and bundle the rest of the policy into themselves instead of sharing
 * chunks: each file a require() reads costs a cold start (bench/require-time.ts: 0.3 to 0.7 ms on
 * Node 22), and chunks made `require('corsica/node')` read five.
 */
const sharedPolicy = (extension: '.js' | '.cjs'): Plugin => ({
  name: 'corsica-shared-policy',
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const inside = args.importer === SHARED_ENTRY || SHARED.has(args.importer);
      return SHARED.has(target) && !inside
        ? { path: `./policy-shared${extension}`, external: true }
        : undefined;
    });
  },
});

/** The library entries for every runtime: web-platform and Node code, nothing that needs require(). */
const { proxy: _proxy, browser: _browser, ...MIDDLEWARE } = LIBRARY;
const BROWSER = { browser: LIBRARY.browser };

export default defineConfig([
  // ES modules that must load anywhere (corsica/fetch on Cloudflare Workers, Deno, edge runtimes):
  // no banner, no node:module. Nothing they bundle calls require().
  {
    ...common,
    entry: { ...MIDDLEWARE, 'policy-shared': SHARED_ENTRY },
    format: ['esm'],
    dts: { entry: MIDDLEWARE },
    splitting: false,
    esbuildPlugins: [sharedPolicy('.js')],
  },
  // The browser model shares no state with the policy (the two halves never import each other).
  {
    ...common,
    entry: BROWSER,
    format: ['esm', 'cjs'],
    dts: { entry: BROWSER },
    shims: true,
  },
  // The proxy and the command line, for Node only: what they bundle (undici, ioredis...) is
  // CommonJS and calls require(), which ES modules get from node:module.
  {
    ...common,
    entry: { proxy: LIBRARY.proxy, cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: { entry: { proxy: LIBRARY.proxy } },
    // Mostly bundled third-party code (undici alone is 1.3 MB): minified, names kept for stack traces.
    minify: true,
    keepNames: true,
    // Its own chunk names: a portable entry must never load one of these (they import node:module).
    esbuildOptions(options) {
      options.chunkNames = 'node-[name]-[hash]';
    },
    banner: {
      js: "import { createRequire as __corsicaCreateRequire } from 'node:module'; const require = __corsicaCreateRequire(import.meta.url);",
    },
  },
  {
    ...common,
    entry: { ...MIDDLEWARE, 'policy-shared': SHARED_ENTRY },
    format: ['cjs'],
    dts: { entry: MIDDLEWARE },
    splitting: false,
    esbuildPlugins: [sharedPolicy('.cjs')],
    // import.meta.url for CommonJS: src/spec/public-suffix.ts requires the list beside it with it.
    shims: true,
    // `require('corsica/node')` must return the middleware factory itself, as `require('cors')`
    // does, with the named exports hung on it (so must the other entries with a default export).
    footer: {
      js: "if (typeof module.exports.default === 'function') module.exports = Object.assign(module.exports.default, module.exports);",
    },
  },
  // `require('corsica/proxy')`: its own file (not minified: tsup's CommonJS output of minified
  // undici does not parse; the tarball test requires every CommonJS entry).
  {
    ...common,
    entry: { proxy: LIBRARY.proxy },
    format: ['cjs'],
    dts: { entry: { proxy: LIBRARY.proxy } },
    shims: true,
  },
  // The Public Suffix List, alone in one file that every build above requires on first use
  // (src/spec/public-suffix.ts): `require('corsica/node')` never reads it unless a configuration
  // has a subdomain pattern.
  {
    entry: { 'public-suffix-list': 'src/spec/public-suffix-list.cjs' },
    format: ['cjs'],
    target: 'node20',
    noExternal: ['tldts'],
    splitting: false,
  },
  // The playground page's script, for the browser: served by `corsica playground` from dist/.
  {
    entry: { 'page-script': 'src/playground/page-script.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    splitting: false,
  },
]);
