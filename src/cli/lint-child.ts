// The process `corsica lint` loads an options module in (src/cli/lint.ts forks it). Loading a
// JavaScript module runs its top level, so lint runs it here, apart from the command, and refuses
// everything an application does that an options module never needs: listening on a port, opening a
// connection, starting a process. The first such call ends this process at once, before the call
// does anything; the parent also kills it after its timeout, so that a module that never finishes
// loading leaves nothing behind. What comes back is the problems found, or why there are none.

import childProcess from 'node:child_process';
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import workerThreads from 'node:worker_threads';
import { lintOptions } from '../policy/index.js';
import type { CorsProblem } from '../policy/types.js';

/** What the child tells the parent: the problems, or what kept lint from reading options. */
export type LintChildMessage =
  | { readonly kind: 'problems'; readonly problems: readonly CorsProblem[] }
  | { readonly kind: 'runs-app'; readonly what: string }
  | { readonly kind: 'missing-import'; readonly name: string | null }
  | { readonly kind: 'load-failed'; readonly message: string }
  | { readonly kind: 'no-options'; readonly exported: readonly string[]; readonly commonJs: boolean }
  | { readonly kind: 'function' };

/** What the parent sends: a file to load, or the text of `--options`. */
export type LintChildRequest = { readonly file: string } | { readonly source: string };

function reply(message: LintChildMessage): void {
  // Exit once the message is out: the module may have left timers or handles that would keep us up.
  process.send!(message, () => process.exit(0));
}

/** Ends the process before `what` happens: an options module never needs it. */
function refuse(what: string): never {
  reply({ kind: 'runs-app', what });
  // The message goes out asynchronously; nothing of the module runs meanwhile.
  throw new Error(`corsica lint: refused to ${what}`);
}

function guard(): void {
  net.Server.prototype.listen = () => refuse('listen on a port (it starts a server)');
  net.Socket.prototype.connect = () => refuse('open a network connection');
  const cp = childProcess as unknown as Record<string, unknown>;
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
    cp[name] = () => refuse('start a process');
  // A worker has a network module of its own, which no guard here reaches.
  (workerThreads as { Worker: unknown }).Worker = function Worker() {
    refuse('start a worker thread');
  };
  // ES modules that import these by name see the guarded functions too.
  syncBuiltinESMExports();
}

/** Whether a .js file is CommonJS: the nearest package.json's "type" says, as Node reads it. */
function isCommonJs(file: string): boolean {
  const ext = extname(file);
  if (ext === '.cjs') return true;
  if (ext === '.mjs') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return pkg.type !== 'module';
    } catch {
      // no package.json here (or an unreadable one): look further up
    }
    if (dirname(dir) === dir) return true;
  }
}

async function load(request: LintChildRequest): Promise<LintChildMessage> {
  const url =
    'file' in request
      ? pathToFileURL(request.file).href
      : `data:text/javascript,${encodeURIComponent(`export default (${request.source}\n);`)}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const name = /Cannot find (?:package|module) '([^']+)'/.exec((err as Error).message)?.[1] ?? null;
      return { kind: 'missing-import', name };
    }
    return { kind: 'load-failed', message: (err as Error).message };
  }
  const commonJs = 'file' in request && isCommonJs(request.file);
  // A CommonJS module's exports are its default; an ES module must have a default export.
  const options = mod.default;
  const exported = Object.keys(mod).filter((k) => k !== 'default' && k !== 'module.exports');
  // A CommonJS file that assigns nothing still "exports" an empty object: that is an application
  // file, or an options file that forgot module.exports, never the default options.
  const empty =
    options !== null &&
    typeof options === 'object' &&
    Object.getPrototypeOf(options) === Object.prototype &&
    Object.keys(options).length === 0;
  if (options === undefined || (commonJs && empty)) return { kind: 'no-options', exported, commonJs };
  if (typeof options === 'function') return { kind: 'function' };
  return { kind: 'problems', problems: lintOptions(options) };
}

process.once('message', (request: LintChildRequest) => {
  guard();
  load(request).then(reply, (err: unknown) =>
    reply({ kind: 'load-failed', message: err instanceof Error ? err.message : String(err) }),
  );
});
