import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

// Two packages from one source tree (the README's "How corsica is packaged"):
// - corsica (dist/): the policy, the adapters, the browser model and the command line, with no
//   runtime dependency. What the command line uses (commander, picocolors) and the Public Suffix
//   List (tldts) are bundled; scripts/third-party-notices.mjs writes their licences into
//   dist/THIRD-PARTY-NOTICES from what these builds record in dist/.meta/.
// - corsica-proxy (packages/corsica-proxy/dist/): the proxy and its command, whose network code
//   (undici, ioredis...) stays external: real dependencies that npm update and npm audit see.
// `CORSICA_BUILD=corsica` or `=corsica-proxy` builds one of them (each package's prepack); unset,
// both (scripts/build.mjs).

/** Bundled into corsica; devDependencies of the root, so that corsica declares no dependency. */
const BUNDLED = [
  // Loaded by `corsica audit --openapi` only, in a chunk of its own (a dynamic import).
  '@readme/openapi-parser',
  'commander',
  'picocolors',
  'tldts',
];

const PROXY_DIR = 'packages/corsica-proxy';
const PROXY_DEPENDENCIES = Object.keys(
  (JSON.parse(readFileSync(`${PROXY_DIR}/package.json`, 'utf8')) as { dependencies: Record<string, string> })
    .dependencies,
);

const MIDDLEWARE = {
  index: 'src/index.ts',
  node: 'src/adapters/node/index.ts',
  fastify: 'src/adapters/fastify/index.ts',
  koa: 'src/adapters/koa/index.ts',
  hono: 'src/adapters/hono/index.ts',
  fetch: 'src/adapters/fetch/index.ts',
};
const BROWSER = { browser: 'src/entries/browser.ts' };
/** The middleware is built compact unless CORSICA_MINIFY=0 (see its config below). */
const COMPACT = process.env.CORSICA_MINIFY !== '0';

/**
 * Keeps esbuild's record of what went into each output file (<dist>/.meta/<name>.json, not
 * packed): the third-party notices are written from it, and test/package/notices.test.ts holds
 * both packages to it.
 */
const recordInputs = (name: string, dist = 'dist'): Plugin => ({
  name: 'corsica-record-inputs',
  setup(build) {
    const file = `${dist}/.meta/${name}-${build.initialOptions.format}.json`;
    build.onEnd((result) => {
      if (result.metafile === undefined) return;
      mkdirSync(`${dist}/.meta`, { recursive: true });
      writeFileSync(file, JSON.stringify(result.metafile));
    });
  },
});

/**
 * In CommonJS, `import.meta.url` (src/syntax/public-suffix.ts requires the list beside it from there)
 * becomes `__filename`, which createRequire takes as well: no shim code in the output.
 */
const commonJsFileUrl: Options['esbuildOptions'] = (options, { format }) => {
  if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': '__filename' };
};

const common: Options = {
  target: 'node20',
  noExternal: BUNDLED,
  // Only loaded from the sources, to compile the playground's page script (built below).
  external: ['esbuild'],
};

const CORSICA: Options[] = [
  // The middleware: ES modules that must load anywhere (corsica/fetch on Cloudflare Workers,
  // Deno, edge runtimes: no banner, no node:module, nothing that calls require()), and CommonJS.
  // One config for both formats, so that their declarations come from one TypeScript run.
  {
    ...common,
    // Each entry is one file with the policy bundled in, no shared chunk: every file a require()
    // reads costs a cold start (bench/require-time.ts), and chunks made `require('corsica/node')`
    // read five. What the copies must share (CorsConfigError for `instanceof`, the once-per-process
    // warnings) is keyed by global symbols in src/policy/problems.ts.
    entry: MIDDLEWARE,
    format: ['esm', 'cjs'],
    dts: { entry: MIDDLEWARE },
    splitting: false,
    // Compacted: V8 parses every byte of a file a require() reads, so a cold start pays for
    // whitespace and comments (bench/require-time.ts). Names are kept (a middleware's name in
    // Express's router stack, the error's class in a log, frames of a stack trace: esbuild's
    // keepNames would cost at load what the renaming saves), and lines are short, because Node
    // prints the line that threw an uncaught CorsConfigError. CORSICA_MINIFY=0 builds them as
    // written (docs/packaging.md).
    minifyWhitespace: COMPACT,
    minifySyntax: COMPACT,
    esbuildPlugins: [recordInputs('middleware')],
    esbuildOptions(options, context) {
      commonJsFileUrl(options, context);
      options.lineLimit = 160;
    },
    // `require('corsica/node')` must return the middleware factory itself, as `require('cors')`
    // does, with the named exports hung on it (so must the other entries with a default export).
    footer: ({ format }) =>
      format === 'cjs'
        ? {
            js: "if (typeof module.exports.default === 'function') module.exports = Object.assign(module.exports.default, module.exports);",
          }
        : undefined,
  },
  // The browser model shares no state with the policy (the two halves never import each other).
  {
    ...common,
    entry: BROWSER,
    format: ['esm', 'cjs'],
    dts: { entry: BROWSER },
    esbuildPlugins: [recordInputs('browser')],
  },
  // The command line, for Node only: commander is CommonJS and calls require(), which ES modules
  // get from node:module. Each command is its own chunk, loaded when it runs.
  {
    ...common,
    // lint-child: the process `corsica lint` loads an options module in (forked by its path).
    entry: { cli: 'src/cli/index.ts', 'lint-child': 'src/cli/lint-child.ts' },
    format: ['esm'],
    splitting: true,
    minify: true,
    keepNames: true,
    esbuildPlugins: [recordInputs('cli')],
    // Its own chunk names: a library entry never loads one of these (they import node:module).
    esbuildOptions(options) {
      options.chunkNames = 'node-[name]-[hash]';
    },
    banner: {
      js: "import { createRequire as __corsicaCreateRequire } from 'node:module'; const require = __corsicaCreateRequire(import.meta.url);",
    },
  },
  // The Public Suffix List, alone in one file that every build above requires on first use
  // (src/syntax/public-suffix.ts): `require('corsica/node')` never reads it unless a configuration
  // has a subdomain pattern, and a bundle for an edge runtime carries it only when the app
  // imports 'corsica/public-suffix-list'.
  {
    entry: { 'public-suffix-list': 'src/syntax/public-suffix-list.cjs' },
    format: ['cjs'],
    target: 'node20',
    noExternal: ['tldts'],
    esbuildPlugins: [recordInputs('public-suffix-list')],
  },
  // The playground page's script, for the browser: served by `corsica playground` from dist/.
  {
    entry: { 'page-script': 'src/playground/page-script.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    esbuildPlugins: [recordInputs('page-script')],
  },
];

/** corsica-proxy bundles corsica's own code it uses (the policy) and no third-party code. */
const proxyCommon: Options = {
  target: 'node20',
  platform: 'node',
  outDir: `${PROXY_DIR}/dist`,
  external: PROXY_DEPENDENCIES,
};

const PROXY: Options[] = [
  // The library, both formats from one declarations run.
  {
    ...proxyCommon,
    entry: { index: 'src/proxy/index.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/proxy/index.ts' } },
    esbuildOptions: commonJsFileUrl,
    esbuildPlugins: [recordInputs('index', `${PROXY_DIR}/dist`)],
  },
  // The command (a file of its own, the library's code bundled in: no declarations to share).
  {
    ...proxyCommon,
    entry: { cli: 'src/cli/proxy-command.ts' },
    format: ['esm'],
    esbuildPlugins: [recordInputs('cli', `${PROXY_DIR}/dist`)],
  },
  // The Public Suffix List's loader, with tldts left to the package's dependencies.
  {
    ...proxyCommon,
    entry: { 'public-suffix-list': 'src/syntax/public-suffix-list.cjs' },
    format: ['cjs'],
    esbuildPlugins: [recordInputs('public-suffix-list', `${PROXY_DIR}/dist`)],
  },
];

const which = process.env.CORSICA_BUILD;
export default defineConfig([
  ...(which === undefined || which === 'corsica' ? CORSICA : []),
  ...(which === undefined || which === 'corsica-proxy' ? PROXY : []),
]);
