// `corsica lint <file>` and `corsica lint --options '{...}'`: validates an options object and
// prints every problem with its fix. A JSON file is read as data. A JavaScript module has to run to
// give its options, and lint never runs an application: the module is loaded in a child process
// (src/cli/lint-child.ts) that is refused a port, a connection and a process, and is killed after a
// timeout; a module that tries any of these is refused with the way to lint its options instead.

import { fork } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { lintOptions } from '../policy/index.js';
import type { CorsProblem } from '../policy/types.js';
import type { LintChildMessage, LintChildRequest } from './lint-child.js';
import { UsageError } from './usage.js';

/** How long a module may take to load before lint gives up on it and kills its process. */
export const DEFAULT_LOAD_TIMEOUT_MS = 10_000;

/** What to do instead of linting an application, in every refusal. */
const INSTEAD =
  "Put the options in a module of their own (export default { origin: ... }, or module.exports = { ... }) that the app imports, and lint that; or lint them inline: corsica lint --options '{ origin: [...] }'.";

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
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

/** The child's entry: beside this module when built (dist/), the TypeScript source under tsx. */
async function childEntry(): Promise<string> {
  const built = fileURLToPath(new URL('./lint-child.js', import.meta.url));
  return (await exists(built)) ? built : fileURLToPath(new URL('./lint-child.ts', import.meta.url));
}

/** Loads options in the child process and returns its answer, or a UsageError on a timeout. */
async function inChild(request: LintChildRequest, what: string, timeout: number): Promise<LintChildMessage> {
  const child = fork(await childEntry(), [], {
    // Under tsx (the sources), the child needs the same loader; the built command passes none.
    execArgv: process.execArgv,
    // The module's own output is not lint's: only the IPC message counts.
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise((resolveMessage, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new UsageError(
          `${what} did not finish loading within ${timeout} ms, so it is not a module that only exports options (it waits on something: a connection, a timer, a loop). ${INSTEAD}`,
        ),
      );
    }, timeout);
    let answered = false;
    child.once('message', (message: LintChildMessage) => {
      answered = true;
      clearTimeout(timer);
      // The answer is all lint needs: whatever the module left running goes with its process.
      child.kill('SIGKILL');
      resolveMessage(message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!answered)
        reject(
          new UsageError(
            `cannot load ${what}: its process ended (${signal ?? `exit code ${code}`}) before giving options`,
          ),
        );
    });
    child.send(request);
  });
}

/** The problems of options loaded by the child, or a UsageError saying why there are none. */
function problemsFrom(message: LintChildMessage, what: string): readonly CorsProblem[] {
  switch (message.kind) {
    case 'problems':
      return message.problems;
    case 'runs-app':
      throw new UsageError(
        `${what} is an application, not an options module: loading it tried to ${message.what}, and lint never runs an application. ${INSTEAD}`,
      );
    case 'missing-import':
      // The module exists: what is missing is something it imports (a package not installed).
      throw new UsageError(
        `cannot load ${what}: it imports ${message.name === null ? 'a module' : `'${message.name}'`}, which is not installed (run npm install in its project)`,
      );
    case 'load-failed':
      throw new UsageError(
        what === '--options'
          ? `--options is not a JSON or JavaScript object literal: ${message.message}`
          : `cannot load ${what}: ${message.message}`,
      );
    case 'function':
      throw new UsageError(
        `${what} exports a function; lint needs the options object itself (export the object your delegate returns).`,
      );
    case 'no-options':
      throw new UsageError(
        message.commonJs
          ? `${what} exports nothing (module.exports is empty), so there are no options to lint; lint reads the options object from module.exports = { origin: ... }. ${INSTEAD}`
          : `${what} has no default export; lint reads the options object from it (export default { origin: ... }). It exports: ${message.exported.join(', ') || 'nothing'}.`,
      );
  }
}

/** An options file read: a JSON file's value, or a module the child loaded, with its problems. */
type OptionsFile =
  | { readonly kind: 'json'; readonly options: unknown }
  | { readonly kind: 'module'; readonly path: string; readonly problems: readonly CorsProblem[] };

/** Reads a .json file, or loads a module in the child (an application is refused there). */
async function readOptionsFile(file: string, timeout: number): Promise<OptionsFile> {
  const ext = extname(file);
  if (ext === '.json') return { kind: 'json', options: await readJson(file) };
  if (ext !== '.js' && ext !== '.mjs' && ext !== '.cjs')
    throw new UsageError(`${file}: expected a .json, .js, .mjs or .cjs file`);
  const path = resolve(file);
  if (!(await exists(path))) throw new UsageError(`cannot read ${file}: no such file`);
  return { kind: 'module', path, problems: problemsFrom(await inChild({ file: path }, file, timeout), file) };
}

/**
 * The options object of a file, for `corsica audit --policy`, which compiles it. A module is first
 * loaded in lint's child process, so that an application is refused exactly as lint refuses it;
 * only a module the child found to be options is then imported here (its RegExps and functions do
 * not cross a process boundary).
 */
export async function loadOptions(file: string, timeout = DEFAULT_LOAD_TIMEOUT_MS): Promise<unknown> {
  const read = await readOptionsFile(file, timeout);
  if (read.kind === 'json') return read.options;
  // Node gives a CommonJS module's exports as its default, as the child read it.
  return ((await import(pathToFileURL(read.path).href)) as { default?: unknown }).default;
}

/** Where the options come from: a file, or the text of `--options`. */
export type LintInput = { readonly file: string } | { readonly options: string };

/** The problems of the options `input` names; a UsageError when there are no options to lint. */
export async function lintInput(
  input: LintInput,
  timeout = DEFAULT_LOAD_TIMEOUT_MS,
): Promise<readonly CorsProblem[]> {
  if ('options' in input) {
    // JSON is data: read here. Anything else is a JavaScript expression (unquoted keys, RegExps).
    try {
      return lintOptions(JSON.parse(input.options));
    } catch {
      return problemsFrom(await inChild({ source: input.options }, '--options', timeout), '--options');
    }
  }
  const read = await readOptionsFile(input.file, timeout);
  return read.kind === 'json' ? lintOptions(read.options) : read.problems;
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
export async function lint(input: LintInput, json: boolean, timeout?: number): Promise<number> {
  const problems = await lintInput(input, timeout);
  const failed = problems.some((p) => p.severity === 'error');
  const file = 'file' in input ? input.file : null;
  process.stdout.write(
    `${json ? JSON.stringify({ file, ok: !failed, problems }, null, 2) : formatReport(file ?? '--options', problems)}\n`,
  );
  return failed ? 1 : 0;
}
