// The classes of audit's closed table (codes.ts) for `--policy`: where the live server does not
// answer as the policy it is meant to follow. The rules are in conformance.ts.

import type { FindingInfo } from './codes.js';

/** The fix of every drift: deploy the policy, and find what changes its answers on the way. */
const FIX_HINT =
  'Find what answers instead of the policy: a gateway, CDN or proxy in front, or an older deploy';

export const DRIFT_CLASSES = {
  'policy-drift-allows-more': {
    severity: 'exploitable',
    when: 'the live server lets an origin read its answers (or pass a preflight) that the policy given with `--policy` refuses',
    impact:
      'pages the policy keeps out read the API: a gateway or CDN adds its own CORS headers (`*`, an echoed origin), or the code deployed is not the policy reviewed',
    fix: {
      summary: `${FIX_HINT}, and remove the CORS headers it adds: one layer answers CORS, with the policy.`,
      corsica:
        "app.use(cors(policy))  // the policy file's options, and no other layer setting Access-Control-* headers",
      cors: 'app.use(cors(policy)), and remove any res.setHeader("Access-Control-Allow-Origin", ...) elsewhere',
      fastify: 'fastify.register(cors, policy), and no hook that sets Access-Control-* headers',
      nginx:
        'proxy_hide_header Access-Control-Allow-Origin; (and the other Access-Control-* headers) when the app answers CORS',
    },
  },
  'policy-drift-allows-less': {
    severity: 'broken',
    when: 'an origin, method or request header the policy given with `--policy` allows is refused by the live server',
    impact:
      'pages the policy lets in are refused: a deploy that lost a route’s OPTIONS handler or runs older options, or a proxy that strips the CORS headers',
    fix: {
      summary: `${FIX_HINT}, and let the policy answer every route, preflights included.`,
      corsica: 'app.use(cors(policy))  // before the routes: it answers every preflight',
      cors: "app.use(cors(policy))  // not cors() on some routes only, and app.options('*', cors(policy)) if routes come first",
      fastify: 'fastify.register(cors, policy)  // registers the OPTIONS handler for every route',
      nginx:
        'pass OPTIONS to the app (or answer it with the policy’s methods and headers), and keep its Access-Control-* headers',
    },
  },
  'policy-drift-vary-stripped': {
    severity: 'broken',
    pitfall: 5,
    when: 'the policy answers with `Vary: Origin` but the live answer has none: something between the app and the client strips it',
    impact:
      'a shared cache serves one origin’s grant to another: the other origins’ pages are refused, or read a grant meant for someone else',
    fix: {
      summary: `${FIX_HINT}, and keep the app’s Vary header through it.`,
      corsica:
        'nothing to change in the app: corsica sends Vary: Origin; configure the proxy or CDN to pass it',
      cors: 'nothing to change in the app: cors sends Vary: Origin; configure the proxy or CDN to pass it',
      fastify:
        'nothing to change in the app: @fastify/cors sends Vary: Origin; configure the proxy or CDN to pass it',
      nginx: 'do not proxy_hide_header Vary; add_header Vary Origin always; if nginx answers CORS itself',
    },
  },
} as const satisfies Record<string, FindingInfo>;
