// What every adapter shares, so that each adapter is its framework's glue and nothing else: writing
// a decision's headers with `Vary` merged into what the app set (never replaced: the Hono copy of
// this loop once dropped an earlier `Vary` on preflights), the reader of node's header objects,
// and the warnings for options a framework's own plugin read more narrowly.

export { nodeHeader } from '../../policy/node-header.js';

import type { Policy } from '../../policy/policy.js';
import { CorsConfigError, emitWarningOnce } from '../../policy/problems.js';
import type { CorsProblem } from '../../policy/types.js';
import { mergeVary } from '../../policy/vary.js';

/** A Vary value as frameworks hand it back. */
type VaryValue = string | readonly string[] | number | null | undefined;

/**
 * Writes CORS headers (a flat name, value list, from the pair at `from` on) through the framework's
 * setter, then merges `vary` into the response's current Vary. The accessors are module-level
 * functions in each adapter, so that a request allocates nothing here.
 */
export function writeCors<T>(
  target: T,
  set: (target: T, name: string, value: string) => void,
  currentVary: (target: T) => VaryValue,
  headers: readonly string[],
  vary: string | null,
  from = 0,
): void {
  for (let i = from; i < headers.length; i += 2) set(target, headers[i]!, headers[i + 1]!);
  if (vary !== null) {
    const merged = mergeVary(currentVary(target), vary);
    if (merged !== null) set(target, 'Vary', merged);
  }
}

/** Emits a warning once per process, unless the policy's `silence` option names its code. */
export function warnUnlessSilenced(policy: Policy, problem: CorsProblem): void {
  const silence = policy.config.silence;
  if (silence !== true && !silence.has(problem.code)) emitWarningOnce(problem);
}

/**
 * Warns about origin rules corsica reads more widely than the framework's own plugin did (patterns
 * and RegExps that the plugin sent or compared as plain strings): a configuration moved over
 * unchanged would otherwise start allowing origins it refused.
 */
export function warnWiderThanPlugin(
  policy: Policy,
  rules: readonly string[],
  plugin: string,
  why: string,
): void {
  for (const rule of rules) {
    warnUnlessSilenced(policy, {
      severity: 'warning',
      code: 'CORSICA_WIDER_THAN_PLUGIN',
      path: 'origin',
      message: `${rule} allows more than one origin in corsica; ${plugin} ${why}, so a configuration moved from ${plugin} allows more here.`,
      fix: `Keep it if that is what you mean, and silence this code; otherwise remove ${rule}.`,
    });
  }
}

/**
 * Options a framework's plugin reads with a key present but unset (`{ methods: undefined }`, often an
 * unset environment variable): corsica would take its default, which may allow more than the plugin
 * did (it crashed, or sent an empty list). Such keys are refused, naming the plugin's behaviour.
 */
export function refuseUnset(
  options: Readonly<Record<string, unknown>>,
  keys: readonly string[],
  plugin: string,
  what: string,
): void {
  const unset = keys.filter((key) => key in options && (options[key] === undefined || options[key] === null));
  if (unset.length === 0) return;
  throw new CorsConfigError(
    unset.map((key) => ({
      severity: 'error',
      code: 'OPTION_UNSET',
      path: key,
      message: `${key} is ${String(options[key])}: ${plugin} ${what}, where corsica would use its default and allow more.`,
      fix: `Remove ${key} to use the default, or give its value.`,
    })),
  );
}
