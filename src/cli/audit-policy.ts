// `corsica audit --policy <file>`: the options file `corsica lint` reads, compiled into the policy
// the live server is meant to follow. The audit compares answers (src/audit/conformance.ts); this
// file loads the options with lint's loader, compiles them with the server side's createPolicy, and
// hands the audit what it asks for: the origins to probe and the policy's own answer to each probe.

import { AuditInputError, type IntendedPolicy, type PolicyRequest } from '../audit/index.js';
import { CorsConfigError, type CorsOptions, createPolicy, type Decision } from '../policy/index.js';
import { loadOptions } from './lint.js';
import { UsageError } from './usage.js';

/** cors's default methods, which corsica keeps. */
const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((v) => v.trim()) : [];

/** The origins an options object allows by name; a pattern gives one origin it matches. */
function namedOrigins(origin: unknown): string[] {
  const out: string[] = [];
  for (const o of Array.isArray(origin) ? origin : [origin]) {
    if (typeof o !== 'string' || o === '*' || o === '') continue;
    // `https://*.example.com` is any subdomain, `http://localhost:*` any port: one of each.
    out.push(o.replace('://*.', '://corsicaprobe.').replace(/:\*$/, ':3000'));
  }
  return out;
}

/** A decision's headers as name/value lines, Vary included. */
function linesOf(d: Decision): [string, string][] {
  const lines: [string, string][] = [];
  for (let i = 0; i + 1 < d.headers.length; i += 2) lines.push([d.headers[i]!, d.headers[i + 1]!]);
  if (d.vary !== null) lines.push(['Vary', d.vary]);
  return lines;
}

/** The intended policy of an options object, named `source` in messages. */
export function intendedPolicy(options: CorsOptions, source: string): IntendedPolicy {
  let policy: ReturnType<typeof createPolicy>;
  try {
    policy = createPolicy(options);
  } catch (err) {
    if (err instanceof CorsConfigError)
      throw new AuditInputError(
        `${source} cannot be the policy: ${err.problems.map((p) => p.message).join('; ')} (corsica lint ${source} says more)`,
      );
    throw err;
  }
  return {
    source,
    origins: namedOrigins(options.origin),
    methods: options.methods === undefined ? DEFAULT_METHODS : list(options.methods).map(String),
    headers: list(options.allowedHeaders).map(String),
    async answer(request: PolicyRequest) {
      const decision = await policy.decide(request);
      return { status: decision.kind === 'preflight' ? decision.status : 0, headers: linesOf(decision) };
    },
  };
}

/** The policy of an options file, loaded as `corsica lint` loads it. */
export async function policyFile(file: string): Promise<IntendedPolicy> {
  let options: unknown;
  try {
    options = await loadOptions(file);
  } catch (err) {
    if (err instanceof UsageError) throw new AuditInputError(`--policy: ${err.message}`);
    throw err;
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new AuditInputError(
      `--policy: ${file} must hold an options object (export default { origin: ... })`,
    );
  return intendedPolicy(options as CorsOptions, file);
}
