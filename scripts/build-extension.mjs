// Builds the browser extension (src/extension) with esbuild: one bundle of scripts and pages for
// both browsers, the shared model (src/browser) and advice (src/check) bundled in from source, and
// a manifest per browser where they must differ (Chromium's background service worker, Firefox's
// background scripts and its add-on id). Writes <out>/extension (Chromium, loadable with
// --load-extension) and <out>/extension-firefox. Usage: node scripts/build-extension.mjs [--out dist]

import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src/extension');

/** Every port of the loopback names: what the extension watches from the start (src/extension/site.ts). */
const LOOPBACK_HOSTS = ['*://localhost/*', '*://127.0.0.1/*', '*://[::1]/*'];

/** The manifest for one browser. */
export function manifestFor(browser, version) {
  const icons = { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 128: 'icons/128.png' };
  const common = {
    manifest_version: 3,
    name: 'corsica: CORS explained',
    version,
    description:
      'Explains every CORS failure where it happens: the browser’s verdict, the cause in the server’s terms, and the fix. Observes only; sends nothing anywhere.',
    // webRequest: to see each request, its preflight and their headers (observing only, never
    // blocking). storage: records in storage.session, gone with the browser session. activeTab:
    // the popup learns the current tab's site, to offer watching it.
    permissions: ['webRequest', 'storage', 'activeTab'],
    host_permissions: LOOPBACK_HOSTS,
    optional_host_permissions: ['*://*/*'],
    action: { default_popup: 'popup.html', default_title: 'corsica: CORS in this tab', default_icon: icons },
    devtools_page: 'devtools.html',
    icons,
  };
  if (browser === 'firefox') {
    return {
      ...common,
      background: { scripts: ['background.js'] },
      browser_specific_settings: {
        gecko: {
          id: 'corsica@corsica',
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        // Firefox for Android knows data_collection_permissions from 142 on.
        gecko_android: { strict_min_version: '142.0' },
      },
    };
  }
  return { ...common, background: { service_worker: 'background.js' }, minimum_chrome_version: '116' };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The icon: a round badge with a check mark, drawn at `size` pixels (RGBA PNG). */
export function icon(size) {
  const rows = [];
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - r;
      const dy = y + 0.5 - r;
      const inside = dx * dx + dy * dy <= r * r;
      // The check mark: two strokes, from (0.28, 0.52) to (0.44, 0.68) to (0.74, 0.34) of the size.
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      const near = (ax, ay, bx, by) => {
        const t = Math.max(
          0,
          Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
        );
        return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) < 0.07;
      };
      const mark = near(0.28, 0.52, 0.44, 0.68) || near(0.44, 0.68, 0.74, 0.34);
      row.push(...(inside ? (mark ? [255, 255, 255, 255] : [0x1a, 0x73, 0xe8, 255]) : [0, 0, 0, 0]));
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Builds both unpacked extensions under `out`; returns their folders. */
export async function buildExtension(out = join(ROOT, 'dist')) {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const staging = join(out, 'extension-build');
  rmSync(staging, { recursive: true, force: true });
  const pages = readdirSync(join(SRC, 'pages'));
  await build({
    entryPoints: [
      join(SRC, 'background.ts'),
      ...pages.filter((f) => f.endsWith('.ts')).map((f) => join(SRC, 'pages', f)),
    ],
    outdir: staging,
    entryNames: '[name]',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome116', 'firefox140'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const f of pages.filter((f) => !f.endsWith('.ts')))
    copyFileSync(join(SRC, 'pages', f), join(staging, f));
  // The licence of every package bundled in (the popup uses tldts for a page's registrable domain).
  const notices = [
    ['corsica', join(ROOT, 'LICENSE')],
    ['tldts', join(ROOT, 'node_modules/tldts/LICENSE')],
    ['tldts-core', join(ROOT, 'node_modules/tldts-core/LICENSE')],
  ].map(([name, file]) => `${name}\n${'='.repeat(name.length)}\n\n${readFileSync(file, 'utf8').trim()}\n`);
  writeFileSync(join(staging, 'LICENSES.txt'), notices.join('\n'));
  mkdirSync(join(staging, 'icons'));
  for (const size of [16, 32, 48, 128]) writeFileSync(join(staging, 'icons', `${size}.png`), icon(size));
  const folders = {};
  for (const [browser, name] of [
    ['chromium', 'extension'],
    ['firefox', 'extension-firefox'],
  ]) {
    const dir = join(out, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(staging, { recursive: true, withFileTypes: true })) {
      if (!f.isFile()) continue;
      const from = join(f.parentPath ?? f.path, f.name);
      const to = join(dir, from.slice(staging.length + 1));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(browser, version), null, 2)}\n`);
    folders[browser] = dir;
  }
  rmSync(staging, { recursive: true, force: true });
  return folders;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const out = at === -1 ? join(ROOT, 'dist') : resolve(process.argv[at + 1]);
  const folders = await buildExtension(out);
  console.log(`extension: ${folders.chromium} (Chromium), ${folders.firefox} (Firefox)`);
}
