// corsica's policy engine: options in, decisions out. Adapters translate frameworks to and from it.
// Only what the README documents is exported here: every export is a promise.
export { createPolicy, type Policy } from './policy.js';
export { CorsConfigError } from './problems.js';
export type * from './types.js';

import type { CorsProblem } from './types.js';
import { validateOptions } from './validate.js';

/** Every problem in `options`: errors, warnings and hints, each with its fix. Never throws. */
export function lintOptions(options: unknown): readonly CorsProblem[] {
  return validateOptions(options).problems;
}
