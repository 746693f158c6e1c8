// `npm run build` (both packages) and each package's prepack (`node scripts/build.mjs corsica` or
// `corsica-proxy`): a clean dist/, tsup (tsup.config.ts), then for corsica the CommonJS
// declarations (scripts/cjs-types.mjs) and the third-party notices (scripts/third-party-notices.mjs),
// and for `npm run build` the browser extension (scripts/build-extension.mjs).
// Paths are the repository's, wherever npm runs this from.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const which = process.argv[2];
if (which !== undefined && which !== 'corsica' && which !== 'corsica-proxy') {
  console.error(`usage: node scripts/build.mjs [corsica|corsica-proxy], not '${which}'`);
  process.exit(2);
}
const corsica = which !== 'corsica-proxy';
const proxy = which !== 'corsica';

if (corsica) rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
if (proxy) rmSync(join(ROOT, 'packages/corsica-proxy/dist'), { recursive: true, force: true });

// The build's report goes to stderr: `npm pack --json` runs this as prepack, and its stdout is JSON.
const run = (args, env = {}) =>
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, ...env },
  });

const manifest = createRequire(import.meta.url).resolve('tsup/package.json');
const tsup = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.tsup);
run([tsup], which === undefined ? {} : { CORSICA_BUILD: which });
if (corsica) {
  // 'corsica/public-suffix-list' is imported for its effect (it makes the list available to a
  // bundle) and exports nothing a program uses; its declaration says so.
  writeFileSync(
    join(ROOT, 'dist/public-suffix-list.d.cts'),
    "// import 'corsica/public-suffix-list': bundles the Public Suffix List for subdomain patterns.\nexport {};\n",
  );
  run(['scripts/cjs-types.mjs']);
  run(['scripts/third-party-notices.mjs']);
}
// The browser extension (dist/extension*): for developers and the stores, never in the npm
// package, so a package's prepack does not build it.
if (which === undefined) run(['scripts/build-extension.mjs']);
