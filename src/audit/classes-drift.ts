// The classes of audit's closed table (codes.ts) for `--policy`: where the live server does not
// answer as the policy it is meant to follow. The rules are in conformance.ts.

import type { FindingInfo } from './codes.js';

export const DRIFT_CLASSES = {
  'policy-drift-allows-more': {
    severity: 'exploitable',
    when: 'the live server lets an origin read its answers (or pass a preflight) that the policy given with `--policy` refuses',
    impact:
      'pages the policy keeps out read the API: a gateway or CDN adds its own CORS headers (`*`, an echoed origin), or the code deployed is not the policy reviewed',
  },
  'policy-drift-allows-less': {
    severity: 'broken',
    when: 'an origin, method or request header the policy given with `--policy` allows is refused by the live server',
    impact:
      'pages the policy lets in are refused: a deploy that lost a route’s OPTIONS handler or runs older options, or a proxy that strips the CORS headers',
  },
  'policy-drift-vary-stripped': {
    severity: 'broken',
    pitfall: 5,
    when: 'the policy answers with `Vary: Origin` but the live answer has none: something between the app and the client strips it',
    impact:
      'a shared cache serves one origin’s grant to another: the other origins’ pages are refused, or read a grant meant for someone else',
  },
} as const satisfies Record<string, FindingInfo>;
