// What an app gets when it installs corsica for its middleware, beside `cors`: the
// packages npm puts in node_modules and the bytes they take on disk; and what a proxy operator gets
// with corsica-proxy. Both come from the packed tarballs of this build (npm run build first); cors
// from the npm registry.
// Run: node --import tsx bench/install-size.ts

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Bytes of every file below `dir` (what `du --apparent-size` counts). */
function bytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    total += s.isDirectory() ? bytes(path) : s.size;
  }
  return total;
}

/** The packages in node_modules, scoped ones included (`.bin` and `.package-lock.json` are not). */
function packages(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@'))
      for (const inner of readdirSync(join(dir, name))) found.push(`${name}/${inner}`);
    else found.push(name);
  }
  for (const p of [...found]) {
    try {
      found.push(...packages(join(dir, p, 'node_modules')));
    } catch {
      // no nested node_modules
    }
  }
  return found;
}

function install(spec: string): { packages: number; bytes: number } {
  const app = mkdtempSync(join(tmpdir(), 'corsica-size-'));
  try {
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', spec], {
      cwd: app,
      stdio: 'ignore',
    });
    const modules = join(app, 'node_modules');
    return { packages: packages(modules).length, bytes: bytes(modules) };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

const packDir = mkdtempSync(join(tmpdir(), 'corsica-pack-'));
/** Packs this build as it is (--ignore-scripts: no rebuild by prepack); the tarball's path. */
const pack = (...workspace: string[]) =>
  join(
    packDir,
    (
      JSON.parse(
        execFileSync(
          'npm',
          ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir, ...workspace],
          {
            cwd: ROOT,
            encoding: 'utf8',
          },
        ),
      )[0] as { filename: string }
    ).filename,
  );
const rows = [
  ['corsica (this build)', install(pack())],
  ['corsica-proxy (this build)', install(pack('--workspace', 'corsica-proxy'))],
  ['cors 2.8.6', install('cors@2.8.6')],
] as const;
rmSync(packDir, { recursive: true, force: true });
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log('| install | packages | on disk |\n|---|---:|---:|');
for (const [name, r] of rows) console.log(`| ${name} | ${r.packages} | ${kib(r.bytes)} |`);
