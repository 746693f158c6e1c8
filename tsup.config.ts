import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // One build for every library entry, so that they share chunks: `corsica` and `corsica/node`
    // must hand out the same CorsConfigError class and the same once-only warning registry.
    entry: {
      index: 'src/index.ts',
      node: 'src/adapters/node/index.ts',
      browser: 'src/browser/index.ts',
      proxy: 'src/proxy/index.ts',
      fastify: 'src/adapters/fastify/index.ts',
      koa: 'src/adapters/koa/index.ts',
      hono: 'src/adapters/hono/index.ts',
      fetch: 'src/adapters/fetch/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    splitting: true,
    // `require('corsica/node')` must return the middleware factory itself, as `require('cors')`
    // does, with the named exports hung on it. Only that entry has a default export.
    footer: ({ format }) =>
      format === 'cjs'
        ? {
            js: "if (typeof module.exports.default === 'function') module.exports = Object.assign(module.exports.default, module.exports);",
          }
        : undefined,
  },
  {
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    target: 'node20',
    splitting: false,
    // Only loaded from the sources, to compile the playground's page script (built below).
    external: ['esbuild'],
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
