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
  // One build per format for every entry, so that they share chunks: `corsica` and `corsica/node`
  // must hand out the same CorsConfigError class and the same once-only warning registry.
  splitting: true,
  noExternal: BUNDLED,
  // Only loaded from the sources, to compile the playground's page script (built below).
  external: ['esbuild'],
};

export default defineConfig([
  {
    ...common,
    entry: { ...LIBRARY, cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: { entry: LIBRARY },
    // Bundled CommonJS code (undici, ioredis...) calls require(): give ES modules a real one.
    banner: {
      js: "import { createRequire as __corsicaCreateRequire } from 'node:module'; const require = __corsicaCreateRequire(import.meta.url);",
    },
  },
  {
    ...common,
    entry: LIBRARY,
    format: ['cjs'],
    dts: { entry: LIBRARY },
    // `require('corsica/node')` must return the middleware factory itself, as `require('cors')`
    // does, with the named exports hung on it. Only that entry has a default export.
    footer: {
      js: "if (typeof module.exports.default === 'function') module.exports = Object.assign(module.exports.default, module.exports);",
    },
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
