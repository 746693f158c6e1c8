// Writes dist/THIRD-PARTY-NOTICES: the licence of every third-party package bundled into corsica's
// dist/ files (MIT, ISC and Apache-2.0 all require their notice to travel with the code), each
// package's licence file as the package itself ships it. Which packages are bundled comes from
// esbuild's own record of each build's inputs (dist/.meta/*.json, written by tsup.config.ts), not
// from a list that could drift: a package is listed exactly when some of its bytes are in dist/.
// A small script rather than esbuild-plugin-license or rollup-plugin-license: the record spans
// several tsup builds (each plugin instance would see one), and the test reads the same record.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The package name a path starts with (`@scope/name` or `name`). */
const nameAt = (path) => {
  const parts = path.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

/** The package an input of the build belongs to: its directory and name, or null for our sources. */
export function packageOf(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return null;
  const name = nameAt(input.slice(at + 'node_modules/'.length));
  return { name, dir: `${input.slice(0, at)}node_modules/${name}` };
}

/**
 * Where Node finds package `name` from directory `from` (inside root): its node_modules, then each
 * parent's. null when it is not installed.
 */
function findPackage(root, from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = dir === '.' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (existsSync(join(root, candidate, 'package.json'))) return candidate;
    if (dir === '.') return null;
  }
}

/**
 * The packages a bundled file carries inside it, from its source map: a package that publishes a
 * bundle (@readme/openapi-parser does) holds its own dependencies' code, which esbuild's record
 * cannot see. Each `node_modules/a/node_modules/b` chain of a source is found hop by hop, as Node
 * would find it from the bundling package.
 */
function inlinedPackages(root, input, pkg) {
  const map = join(root, `${input}.map`);
  if (!existsSync(map)) return [];
  const found = new Map();
  for (const source of JSON.parse(readFileSync(map, 'utf8')).sources ?? []) {
    const at = source.indexOf('node_modules/');
    if (at === -1) continue;
    let dir = pkg.dir;
    for (const hop of source.slice(at + 'node_modules/'.length).split('/node_modules/')) {
      const name = nameAt(hop);
      const next = findPackage(root, dir, name);
      if (next === null)
        throw new Error(
          `${input} inlines ${name} (its source map names it), which is not installed: its licence cannot be bundled`,
        );
      if (name !== pkg.name) found.set(name, next);
      dir = next;
    }
  }
  return [...found].map(([name, dir]) => ({ name, dir }));
}

/** Every bundled package, with the dist/ files that carry some of its bytes. */
export function bundledPackages(root = ROOT) {
  const found = new Map();
  const add = ({ name, dir }, output) => {
    const entry = found.get(name) ?? { dir, outputs: new Set() };
    entry.outputs.add(output);
    found.set(name, entry);
  };
  const metaDir = join(root, 'dist/.meta');
  for (const file of readdirSync(metaDir)) {
    const meta = JSON.parse(readFileSync(join(metaDir, file), 'utf8'));
    for (const [output, { inputs }] of Object.entries(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
        const pkg = packageOf(input);
        if (pkg === null || bytesInOutput === 0) continue;
        add(pkg, output);
        for (const inlined of inlinedPackages(root, input, pkg)) add(inlined, output);
      }
    }
  }
  return found;
}

/** The licence file a package ships (LICENSE, LICENCE, COPYING, with any extension). */
export function licenceText(dir) {
  const name = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.[a-z]+)?$/i.test(f));
  if (name === undefined) throw new Error(`${dir} ships no licence file: its notice cannot be bundled`);
  return readFileSync(join(dir, name), 'utf8').trim();
}

const RULE = '='.repeat(80);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const packages = [...bundledPackages()].sort(([a], [b]) => a.localeCompare(b));
  const sections = packages.map(([name, { dir, outputs }]) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    return [
      RULE,
      `${name} ${manifest.version} (${manifest.license})`,
      `bundled in: ${[...outputs].sort().join(', ')}`,
      RULE,
      '',
      licenceText(join(ROOT, dir)),
      '',
    ].join('\n');
  });
  const text = [
    'Third-party software bundled in corsica',
    '',
    'corsica declares no runtime dependency: the code of the packages below is bundled into its',
    'dist/ files, each listed here with the files that carry it and its licence as the package',
    'ships it. (corsica-proxy bundles none: its dependencies are installed as packages.)',
    '',
    "corsica's table of names with public suffixes under them, derived from the Public Suffix List",
    "(Mozilla Public License 2.0), carries that licence's notice in the file that holds it,",
    'dist/public-suffix-list.cjs.',
    '',
    ...sections,
  ].join('\n');
  writeFileSync(join(ROOT, 'dist/THIRD-PARTY-NOTICES'), text);
  console.log(`dist/THIRD-PARTY-NOTICES: ${packages.map(([name]) => name).join(', ')}`);
}
