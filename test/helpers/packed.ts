// Both packages as npm publishes them: packed from a clean copy of this checkout (the files git
// tracks or would track, as a fresh clone has them: no dist/, no build output), so that each
// package's `prepack` must build it; then installed into a fresh app. The copy takes the working
// tree rather than HEAD, so that uncommitted work is what gets tested. Its node_modules is a link
// to this repository's: `npm ci` there would take about two minutes, and the build only reads it.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');

export interface Tarball {
  readonly path: string;
  /** The packed paths, sorted. */
  readonly files: readonly string[];
}

/** A clean copy of the checkout in `dir`/checkout. */
async function cleanCopy(dir: string): Promise<string> {
  const checkout = join(dir, 'checkout');
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split('\0')) {
    // A file deleted in the working tree is still in the index until the deletion is committed.
    if (file === '' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    cpSync(join(ROOT, file), join(checkout, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  return checkout;
}

async function pack(checkout: string, dir: string, workspace?: string): Promise<Tarball> {
  const args = [
    'pack',
    '--json',
    '--pack-destination',
    dir,
    ...(workspace ? ['--workspace', workspace] : []),
  ];
  const { stdout } = await run('npm', args, { cwd: checkout, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { path: join(dir, info!.filename), files: info!.files.map((f) => f.path).sort() };
}

/** Packs corsica and corsica-proxy from a clean copy in `dir` (the two builds run side by side). */
export async function packBoth(dir: string): Promise<{ checkout: string; corsica: Tarball; proxy: Tarball }> {
  const checkout = await cleanCopy(dir);
  const [corsica, proxy] = await Promise.all([pack(checkout, dir), pack(checkout, dir, 'corsica-proxy')]);
  return { checkout, corsica, proxy };
}

/** Installs tarballs into `app` (npm's cache first: the dependencies are those this repository installed). */
export async function install(app: string, ...tarballs: string[]): Promise<void> {
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], { cwd: app });
}

/** Links packages of this repository's node_modules into the app (frameworks and types it uses). */
export function linkFromRepository(app: string, names: readonly string[]): void {
  for (const name of names) {
    const link = join(app, 'node_modules', name);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    try {
      symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
    } catch {
      // a package this repository does not have (an optional @types one): not needed then
    }
  }
}
