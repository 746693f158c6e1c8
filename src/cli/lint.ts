// `corsica lint <file>`: validates an options object and prints every problem with its fix.

import { access, readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { lintOptions } from '../policy/index.js';
import type { CorsProblem } from '../policy/types.js';
import { UsageError } from './usage.js';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Loads the options from a .json file or from the default export of a .js/.mjs/.cjs module. */
export async function loadOptions(file: string): Promise<unknown> {
  const path = resolve(file);
  const ext = extname(path);
  if (ext === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      );
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') {
    if (!(await exists(path))) throw new UsageError(`cannot read ${file}: no such file`);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (err) {
      // The module exists: what is missing is something it imports (a package not installed).
      const code = (err as NodeJS.ErrnoException).code;
      const missing = /Cannot find (?:package|module) '([^']+)'/.exec((err as Error).message)?.[1];
      throw new UsageError(
        code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
          ? `cannot load ${file}: it imports ${missing === undefined ? 'a module' : `'${missing}'`}, which is not installed (run npm install in its project)`
          : `cannot load ${file}: ${(err as Error).message}`,
      );
    }
    // A CommonJS module's exports are its default; an ES module must have a default export.
    const options = ext === '.cjs' || 'module.exports' in mod ? (mod.default ?? mod) : mod.default;
    if (options === undefined)
      throw new UsageError(
        `${file} has no default export; lint reads the options object from it (export default { origin: ... }). It exports: ${Object.keys(mod).join(', ') || 'nothing'}.`,
      );
    if (typeof options === 'function') {
      throw new UsageError(
        `${file} exports a function; lint needs the options object itself (export the object your delegate returns).`,
      );
    }
    return options;
  }
  throw new UsageError(`${file}: expected a .json, .js, .mjs or .cjs file`);
}

const LABEL: Record<CorsProblem['severity'], (s: string) => string> = {
  error: (s) => pc.red(pc.bold(s)),
  warning: (s) => pc.yellow(pc.bold(s)),
  hint: (s) => pc.cyan(s),
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatReport(file: string, problems: readonly CorsProblem[]): string {
  if (problems.length === 0) return `${pc.green('✔')} ${file}: no problems found.`;
  const lines = [pc.underline(file)];
  for (const p of problems) {
    lines.push(`  ${LABEL[p.severity](p.severity.padEnd(7))} ${pc.bold(p.path)}  ${p.message}`);
    lines.push(`  ${' '.repeat(7)} ${pc.dim('fix:')} ${p.fix}  ${pc.dim(p.code)}`);
  }
  const count = (s: string) => problems.filter((p) => p.severity === s).length;
  lines.push(
    '',
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('hint'), 'hint')}`,
  );
  return lines.join('\n');
}

/** Returns the exit code: 1 when there is an error, 0 otherwise. */
export async function lint(file: string, json: boolean): Promise<number> {
  const problems = lintOptions(await loadOptions(file));
  const failed = problems.some((p) => p.severity === 'error');
  process.stdout.write(
    `${json ? JSON.stringify({ file, ok: !failed, problems }, null, 2) : formatReport(file, problems)}\n`,
  );
  return failed ? 1 : 0;
}
