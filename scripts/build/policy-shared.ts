// Built as dist/policy-shared.cjs (tsup.config.ts): the policy's modules whose state every
// CommonJS entry must share (the CorsConfigError class, the once-per-process warnings), with the
// code table they read.
export * from '../../src/policy/codes.js';
export * from '../../src/policy/problems.js';
