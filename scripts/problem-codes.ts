// Writes docs/problem-codes.md from the code tables: node --import tsx scripts/problem-codes.ts > docs/problem-codes.md
import { PROBLEM_CODES } from '../src/policy/codes.js';
import { PROXY_PROBLEM_CODES } from '../src/proxy/codes.js';

const rows = Object.entries(PROBLEM_CODES) as [
  string,
  { severity: string; pitfall?: number; when: string },
][];
const out: string[] = [];
out.push('# Problem codes', '');
out.push('Every problem `createPolicy`, `lintOptions` and `corsica lint --json` report carries one of these');
out.push('codes, and no other: the set is closed, and `src/policy/codes.ts` is its one source (a test holds');
out.push(
  'this page to it). Errors make `createPolicy` throw `CorsConfigError`; warnings are emitted once per',
);
out.push('process (`process.emitWarning`, type `CorsicaWarning`) and can be silenced by code with the');
out.push('`silence` option; hints change nothing at run time and are shown by `corsica lint`. The pitfall');
out.push('column names one of [the seven pitfalls](pitfalls.md).', '');
for (const severity of ['error', 'warning', 'hint']) {
  out.push(`## ${severity === 'error' ? 'Errors' : severity === 'warning' ? 'Warnings' : 'Hints'}`, '');
  out.push('| code | pitfall | when |', '|---|---|---|');
  for (const [code, info] of rows)
    if (info.severity === severity) out.push(`| \`${code}\` | ${info.pitfall ?? ''} | ${info.when} |`);
  out.push('');
}
out.push('## Proxy', '');
out.push('`createProxy` and `corsica proxy` report every problem in their options at start-up, each with');
out.push('one of these codes (problems in `allowOrigin` carry the codes above).', '');
out.push('| code | when |', '|---|---|');
for (const [code, when] of Object.entries(PROXY_PROBLEM_CODES)) out.push(`| \`${code}\` | ${when} |`);
out.push('');
process.stdout.write(out.join('\n'));
