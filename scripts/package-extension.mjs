// `npm run package:extension`: builds the extension and writes the zips the stores take to
// dist/extension-store/: Firefox's built and linted by Mozilla's web-ext (a lint error or warning
// fails the run), Chromium's zipped by the same tool.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildExtension } from './build-extension.mjs';

const ROOT = join(import.meta.dirname, '..');
const WEB_EXT = join(ROOT, 'node_modules/.bin/web-ext');
const STORE = join(ROOT, 'dist/extension-store');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

const folders = await buildExtension(join(ROOT, 'dist'));
const run = (args) =>
  execFileSync(WEB_EXT, args, { stdio: 'inherit', env: { ...process.env, WEB_EXT_NO_UPDATE_CHECK: '1' } });
run(['lint', '--source-dir', folders.firefox, '--warnings-as-errors', '--no-input']);
for (const [browser, dir] of Object.entries(folders)) {
  run([
    'build',
    '--source-dir',
    dir,
    '--artifacts-dir',
    STORE,
    '--filename',
    `corsica-${browser}-${version}.zip`,
    '--overwrite-dest',
    '--no-input',
  ]);
}
console.log(`store packages in ${STORE}`);
