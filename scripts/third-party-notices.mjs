// Writes dist/THIRD-PARTY-NOTICES: the licence of every third-party package bundled into corsica's
// dist/ files (MIT, ISC and Apache-2.0 all require their notice to travel with the code), each
// package's licence file as the package itself ships it. Which packages are bundled comes from
// esbuild's own record of each build's inputs (dist/.meta/*.json, written by tsup.config.ts), not
// from a list that could drift: a package is listed exactly when some of its bytes are in dist/.
// A small script rather than esbuild-plugin-license or rollup-plugin-license: the record spans
// several tsup builds (each plugin instance would see one), and the test reads the same record.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The package an input of the build belongs to: its directory and name, or null for our sources. */
export function packageOf(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return null;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return { name, dir: `${input.slice(0, at)}node_modules/${name}` };
}

/** Every bundled package, with the dist/ files that carry some of its bytes. */
export function bundledPackages(root = ROOT) {
  const found = new Map();
  const metaDir = join(root, 'dist/.meta');
  for (const file of readdirSync(metaDir)) {
    const meta = JSON.parse(readFileSync(join(metaDir, file), 'utf8'));
    for (const [output, { inputs }] of Object.entries(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
        const pkg = packageOf(input);
        if (pkg === null || bytesInOutput === 0) continue;
        const entry = found.get(pkg.name) ?? { dir: pkg.dir, outputs: new Set() };
        entry.outputs.add(output);
        found.set(pkg.name, entry);
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
    ...sections,
  ].join('\n');
  writeFileSync(join(ROOT, 'dist/THIRD-PARTY-NOTICES'), text);
  console.log(`dist/THIRD-PARTY-NOTICES: ${packages.map(([name]) => name).join(', ')}`);
}
