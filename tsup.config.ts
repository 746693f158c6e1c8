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

/** The library entries for every runtime: web-platform and Node code, nothing that needs require(). */
const { proxy: _proxy, ...PORTABLE } = LIBRARY;

export default defineConfig([
  // ES modules that must load anywhere (corsica/fetch on Cloudflare Workers, Deno, edge runtimes):
  // no banner, no node:module. Nothing they bundle calls require().
  {
    ...common,
    entry: PORTABLE,
    format: ['esm'],
    dts: { entry: PORTABLE },
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
    entry: PORTABLE,
    format: ['cjs'],
    dts: { entry: PORTABLE },
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
