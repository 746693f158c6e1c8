// An app bundled for Cloudflare Workers as wrangler bundles it (esbuild, ES module, platform
// neutral, the workerd/worker/browser export conditions, no nodejs_compat), with 'corsica/...'
// resolved to this package's built files (dist/). Used by test/package/edge.test.ts and
// bench/edge-size.ts.

import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

export interface WorkersBundle {
  readonly code: string;
  /** Bytes of the (minified, when asked) bundle, and gzipped. */
  readonly bytes: number;
  readonly gzipped: number;
  /** The files esbuild put into it, relative to the repository. */
  readonly inputs: readonly string[];
}

export async function bundleForWorkers(
  source: string,
  options: { minify?: boolean } = {},
): Promise<WorkersBundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'worker.mjs', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    minify: options.minify === true,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0]!;
  const meta: Metafile = result.metafile;
  return {
    code: output.text,
    bytes: output.contents.byteLength,
    gzipped: gzipSync(output.contents).byteLength,
    inputs: Object.keys(meta.inputs),
  };
}

/** True when the bundle carries the Public Suffix List (its file or tldts itself). */
export const carriesPublicSuffixList = (bundle: WorkersBundle) =>
  bundle.inputs.some((input) => /public-suffix-list|node_modules\/tldts/.test(input));
