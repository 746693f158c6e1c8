// `--version` prints the version in the package's own package.json, for both commands: a release
// changes it in one place. Each built command is also run from a copy whose package.json says
// another version, which it must print (a version written into the code would not follow).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runCli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PROXY = join(ROOT, 'packages/corsica-proxy');
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

const dir = mkdtempSync(join(tmpdir(), 'corsica-version-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A copy of a built package (its dist/ and a package.json of `version`), able to load its
 * dependencies from the repository's node_modules; returns the path of its command.
 */
function copyOf(name: 'corsica' | 'corsica-proxy', from: string, version: string): string {
  const to = join(dir, name);
  cpSync(join(from, 'dist'), join(to, 'dist'), {
    recursive: true,
    filter: (path) => !/[\\/]dist[\\/](extension|\.meta)/.test(path),
  });
  const manifest = { name, version, type: 'module', exports: { './package.json': './package.json' } };
  writeFileSync(join(to, 'package.json'), JSON.stringify(manifest));
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
  return join(to, 'dist/cli.js');
}

async function version(command: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [command, '--version'], {
    encoding: 'utf8',
  });
  return stdout.trim();
}

describe('--version', () => {
  it("corsica --version and corsica proxy --version print their package.json's versions", async () => {
    assert.equal((await runCli(['--version'])).stdout.trim(), versionOf(ROOT));
    assert.equal((await runCli(['proxy', '--version'])).stdout.trim(), versionOf(PROXY));
  });

  it('a package.json of another version is what --version prints, for both commands', async () => {
    assert.equal(await version(copyOf('corsica', ROOT, '7.6.5')), '7.6.5');
    assert.equal(await version(copyOf('corsica-proxy', PROXY, '7.6.4')), '7.6.4');
  });
});
