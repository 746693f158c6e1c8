// The builds an A/B benchmark compares: this checkout (built here), another checkout already built,
// or any commit, built by the benchmark itself in a temporary `git worktree` that shares this
// checkout's node_modules and is removed afterwards. Each build is loaded from its own dist/, so a
// comparison is of the code at two commits as users get it, under the same harness.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A built corsica: where its proxy module is, what to call it, and how to clean up after it. */
export interface Build {
  readonly label: string;
  /** The checkout's root: its package.json, dist/ and node_modules. */
  readonly dir: string;
  /** file: URL of its proxy module (corsica-proxy's dist/index.js, or dist/proxy.js before it). */
  readonly proxyModule: string;
  readonly dispose: () => void;
}

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const git = (args: readonly string[], cwd = ROOT) =>
  execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function npmBuild(dir: string): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The built proxy of a checkout: the corsica-proxy package's, or corsica/proxy's before the split. */
function proxyFile(dir: string): string | undefined {
  return [join(dir, 'packages', 'corsica-proxy', 'dist', 'index.js'), join(dir, 'dist', 'proxy.js')].find(
    (file) => existsSync(file),
  );
}

function builtIn(dir: string, label: string, dispose: () => void): Build {
  const file = proxyFile(dir);
  if (file === undefined) throw new Error(`${dir} has no built proxy: build it first (npm run build)`);
  return { label, dir, proxyModule: pathToFileURL(file).href, dispose };
}

/** A checkout's commit, with `+changes` when tracked files differ from it (dist/ is not tracked). */
export function describe(dir: string): string {
  try {
    const head = git(['rev-parse', '--short', 'HEAD'], dir);
    return git(['status', '--porcelain', '--untracked-files=no'], dir) === '' ? head : `${head}+changes`;
  } catch {
    return dir;
  }
}

/** This checkout as it is on disk, built first unless `build` is false. */
export function thisCheckout(build: boolean): Build {
  if (build) npmBuild(ROOT);
  return builtIn(ROOT, `this checkout (${describe(ROOT)})`, () => {});
}

/** Another checkout, already built, with its node_modules. */
export function otherCheckout(dir: string): Build {
  return builtIn(resolve(dir), `${dir} (${describe(resolve(dir))})`, () => {});
}

/**
 * `commit` built in a temporary worktree (removed by `dispose`). With `keep`, the build stays in
 * the temporary directory under the commit's hash and the next run reuses it.
 */
export function commitBuild(commit: string, keep: boolean): Build {
  const sha = git(['rev-parse', '--verify', `${commit}^{commit}`]);
  const label = `${commit} (${sha.slice(0, 7)})`;
  const dir = keep ? join(tmpdir(), `corsica-bench-${sha}`) : mkdtempSync(join(tmpdir(), 'corsica-bench-'));
  const remove = () => {
    try {
      git(['worktree', 'remove', '--force', dir]);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      git(['worktree', 'prune']);
    }
  };
  if (keep && proxyFile(dir) !== undefined) return builtIn(dir, label, () => {});
  // git makes the worktree's directory itself.
  rmSync(dir, { recursive: true, force: true });
  console.log(`building ${label} in ${dir}...`);
  git(['worktree', 'add', '--detach', dir, sha]);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    npmBuild(dir);
  } catch (err) {
    remove();
    throw err;
  }
  return builtIn(dir, label, keep ? () => {} : remove);
}

/**
 * The two builds the environment names: A is BENCH_A (a commit) or this checkout (built unless
 * BENCH_BUILD=0); B is BENCH_BASELINE (a commit) or BENCH_OTHER (a built checkout).
 */
export function buildsFromEnv(): [Build, Build] {
  const keep = process.env.BENCH_KEEP === '1';
  const { BENCH_A, BENCH_BASELINE, BENCH_OTHER } = process.env;
  if (BENCH_BASELINE === undefined && BENCH_OTHER === undefined)
    throw new Error(
      'set BENCH_BASELINE=<commit> (built in a temporary worktree) or BENCH_OTHER=<built checkout>',
    );
  const a =
    BENCH_A !== undefined ? commitBuild(BENCH_A, keep) : thisCheckout(process.env.BENCH_BUILD !== '0');
  try {
    return [
      a,
      BENCH_BASELINE !== undefined ? commitBuild(BENCH_BASELINE, keep) : otherCheckout(BENCH_OTHER!),
    ];
  } catch (err) {
    a.dispose();
    throw err;
  }
}
