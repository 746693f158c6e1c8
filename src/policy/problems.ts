// Collecting configuration problems, the error that lists them, and once-only warnings.

import {
  type ErrorCode,
  type HintCode,
  PROBLEM_CODES,
  type ProblemCode,
  pitfallOf,
  type WarningCode,
} from './codes.js';
import type { CorsProblem } from './types.js';

const PITFALL_NAMES: Readonly<Record<number, string>> = {
  1: 'wildcard overuse',
  2: 'several origins in Access-Control-Allow-Origin',
  3: 'a wildcard inside an origin',
  4: 'an origin without its scheme or port',
  5: 'no Vary: Origin',
  6: 'no Access-Control-Expose-Headers',
  7: 'a wildcard with credentials',
};

export class ProblemList {
  readonly all: CorsProblem[] = [];

  /** Adds a problem; its severity and pitfall come from the code's row in PROBLEM_CODES. */
  add(code: ProblemCode, path: string, message: string, fix: string): void {
    const { severity } = PROBLEM_CODES[code];
    const pitfall = pitfallOf(code);
    const problem: CorsProblem =
      pitfall === undefined
        ? { severity, code, path, message, fix }
        : {
            severity,
            code,
            path,
            message: `${message} (pitfall ${pitfall}: ${PITFALL_NAMES[pitfall]})`,
            fix,
            pitfall,
          };
    this.all.push(problem);
  }
  error(code: ErrorCode, path: string, message: string, fix: string): void {
    this.add(code, path, message, fix);
  }
  warn(code: WarningCode, path: string, message: string, fix: string): void {
    this.add(code, path, message, fix);
  }
  hint(code: HintCode, path: string, message: string, fix: string): void {
    this.add(code, path, message, fix);
  }
  get errors(): CorsProblem[] {
    return this.all.filter((p) => p.severity === 'error');
  }
}

/** One line per problem: `path: message Fix: fix`. */
export function formatProblem(p: CorsProblem): string {
  return `${p.path}: ${p.message} Fix: ${p.fix}`;
}

/**
 * Marks a CorsConfigError made by any copy of this module: each entry point (corsica, corsica/node,
 * corsica/fastify...) bundles the policy into its own file, in CommonJS and in ES modules, so that
 * loading one reads one file (bench/require-time.ts). A global symbol lets `instanceof` answer for
 * every copy, across entries and module formats.
 */
const CONFIG_ERROR = Symbol.for('corsica.CorsConfigError');

/**
 * Thrown by createPolicy for a configuration that can never work. `problems` lists every error
 * found, followed by the warnings (a misspelt option often explains an error).
 */
export class CorsConfigError extends Error {
  /** True for a CorsConfigError thrown by any copy of corsica: any entry, CommonJS or ES module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary test: only CorsConfigError itself (whose parent is Error)
    // answers for every copy. Not `this !== CorsConfigError`: a class that names itself inside its
    // body is renamed by the bundler (`_CorsConfigError`), and its name is what logs show.
    // biome-ignore lint/complexity/noThisInStatic lint/complexity/noUselessThisAlias: `this` is the class instanceof was asked about; named once.
    const asked: object = this;
    if (Object.getPrototypeOf(asked) !== Error)
      return Function.prototype[Symbol.hasInstance].call(asked, value);
    return (
      value instanceof Error &&
      CONFIG_ERROR in value &&
      Array.isArray((value as Partial<CorsConfigError>).problems)
    );
  }

  readonly problems: readonly CorsProblem[];

  constructor(problems: readonly CorsProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    const count = [plural(errors, 'error'), warnings > 0 ? plural(warnings, 'warning') : '']
      .filter(Boolean)
      .join(', ');
    const lines = problems.map(
      (p) => `  - ${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}`,
    );
    super(`Invalid CORS configuration (${count}):\n${lines.join('\n')}`);
    this.name = 'CorsConfigError';
    this.problems = problems;
    Object.defineProperty(this, CONFIG_ERROR, { value: true });
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Warnings already emitted: one registry for every copy of corsica in the process (see CONFIG_ERROR). */
const EMITTED = Symbol.for('corsica.emittedWarnings');
const emitted = sharedRegistry();

/** The process's registry, made by the first copy loaded; a copy's own where globalThis cannot hold it. */
function sharedRegistry(): Set<string> {
  const registries = globalThis as Record<symbol, unknown>;
  const found = registries[EMITTED];
  if (found instanceof Set) return found as Set<string>;
  const own = new Set<string>();
  // Something else in the slot belongs to someone else: left alone.
  if (found !== undefined) return own;
  try {
    registries[EMITTED] = own;
  } catch {
    // A frozen globalThis (SES's harden, Object.freeze): each copy dedupes its own warnings.
  }
  return own;
}

/**
 * Emits each distinct warning once per process: a middleware built per request (cors's delegate
 * form) must not flood the log. Uses process.emitWarning where it exists (Node), else console.warn.
 */
export function emitWarningOnce(problem: CorsProblem): void {
  const key = `${problem.code}\u0000${problem.path}\u0000${problem.message}`;
  if (emitted.has(key)) return;
  emitted.add(key);
  const text = `${formatProblem(problem)} (silence with the option silence: ['${problem.code}'])`;
  const proc = (globalThis as { process?: { emitWarning?: (w: string, o: object) => void } }).process;
  if (typeof proc?.emitWarning === 'function') {
    proc.emitWarning(text, { type: 'CorsicaWarning', code: problem.code });
  } else {
    console.warn(`CorsicaWarning: ${text}`);
  }
}
