// corsica's policy engine: options in, decisions out. Adapters translate frameworks to and from it.
export { ACAC, ACAH, ACAM, ACAO, ACAPN, ACEH, ACMA } from './answers.js';
export { createPolicy, type Policy } from './policy.js';
export { CorsConfigError, formatProblem } from './problems.js';
export type * from './types.js';
export { DEFAULT_METHODS, type ResolvedConfig, type TokenList, validateOptions } from './validate.js';
export { mergeVary } from './vary.js';

import type { CorsProblem } from './types.js';
import { validateOptions } from './validate.js';

/** Every problem in `options`: errors, warnings and hints, each with its fix. Never throws. */
export function lintOptions(options: unknown): readonly CorsProblem[] {
  return validateOptions(options).problems;
}
