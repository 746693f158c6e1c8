// The broken and info classes of audit's closed table (codes.ts): answers browsers refuse, parts
// of the protocol missing, and what is worth knowing. The rules that find them are in
// answer-rules.ts.

import type { FindingInfo } from './codes.js';

export const ANSWER_CLASSES = {
  // Broken: browsers refuse the answer.
  'wildcard-with-credentials': {
    severity: 'broken',
    pitfall: 7,
    when: '`Access-Control-Allow-Origin: *` together with `Access-Control-Allow-Credentials: true`',
    impact:
      'browsers refuse every credentialed request ("The value of the Access-Control-Allow-Origin header must not be the wildcard * when the request\'s credentials mode is include")',
  },
  'several-origins': {
    severity: 'broken',
    pitfall: 2,
    when: 'more than one origin in `Access-Control-Allow-Origin`, in one line (`a, b` or `a b`) or in two lines (often the app and a gateway both adding it)',
    impact: 'browsers refuse the answer: the header holds exactly one origin or `*`',
  },
  'literal-wildcard-pattern': {
    severity: 'broken',
    pitfall: 3,
    when: 'a pattern sent literally (`Access-Control-Allow-Origin: https://*.example.com`)',
    impact: 'browsers compare the header with the origin byte for byte and never match a pattern',
  },
  'origin-without-scheme': {
    severity: 'broken',
    pitfall: 4,
    when: 'an origin without its scheme (`Access-Control-Allow-Origin: example.com`)',
    impact: 'browsers refuse the answer: the origin they compare is scheme://host[:port]',
  },
  'origin-trailing-slash': {
    severity: 'broken',
    pitfall: 4,
    when: 'an origin with a trailing slash or a path (`Access-Control-Allow-Origin: https://example.com/`)',
    impact: 'browsers refuse the answer: an origin has no path, not even /',
  },
  'preflight-only-cors': {
    severity: 'broken',
    when: 'preflights carry CORS headers but the actual answers do not, often only the errors: a 401 from authentication that runs before CORS, or nginx `add_header` without `always`',
    impact:
      'the preflight passes, then the browser refuses the actual answer: every preflighted request (JSON, Authorization, PUT...) fails, and a page cannot read a 401 (an expired session looks like a network failure)',
  },
  'actual-only-cors': {
    severity: 'broken',
    when: 'actual answers carry CORS headers but preflights get none (no OPTIONS route, or authentication before CORS)',
    impact:
      'simple GETs work, but every preflighted request (JSON POST, Authorization, PUT, DELETE) is refused before it is sent',
  },
  'declared-preflight-refused': {
    severity: 'broken',
    when: 'the preflight a browser sends for an operation the API declares (its method and request headers, from --openapi) is refused: no OPTIONS answer with CORS headers, or a method or header missing from the grant',
    impact:
      'the site’s pages cannot call that operation at all: the browser stops at the preflight and never sends the request',
  },
  'vary-origin-missing-cached': {
    severity: 'broken',
    pitfall: 5,
    when: 'an answer whose `Access-Control-Allow-Origin` depends on the Origin has no `Vary: Origin` and is marked for shared caches (`Cache-Control: public`, `s-maxage`, `max-age`)',
    impact:
      'a CDN or shared cache stores the grant of the first origin that asks and serves it to every other: the other front-ends’ pages are refused (or read a grant meant for another origin) until it expires',
  },
  // Info: worth knowing.
  'reflected-any-origin': {
    severity: 'info',
    pitfall: 1,
    when: 'any origin is echoed, without credentials',
    impact:
      'every site can read these answers without cookies: fine for public data (then answer `*`), a leak for anything behind IP-based or intranet trust',
  },
  'vary-origin-missing': {
    severity: 'info',
    pitfall: 5,
    when: 'an answer whose `Access-Control-Allow-Origin` depends on the Origin has no `Vary: Origin`',
    impact:
      'a shared cache or CDN may serve one origin’s answer to another: CORS errors for users, or cache poisoning that hands a page another origin’s grant',
  },
  'headers-not-exposed': {
    severity: 'info',
    pitfall: 6,
    when: 'the answer carries headers a client would want to read (`X-Total-Count`, `Link`, `ETag`...) that `Access-Control-Expose-Headers` does not list',
    impact: 'pages cannot read them: response.headers.get() returns null cross-origin',
  },
  'public-wildcard': {
    severity: 'info',
    pitfall: 1,
    when: '`Access-Control-Allow-Origin: *` without credentials',
    impact:
      'every site can read these answers, without cookies: right for a public API, and nothing more is exposed than to curl',
  },
} as const satisfies Record<string, FindingInfo>;
