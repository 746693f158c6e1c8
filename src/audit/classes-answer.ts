// The broken and info classes of audit's closed table (codes.ts): answers browsers refuse, parts
// of the protocol missing, and what is worth knowing. The rules that find them are in
// answer-rules.ts.

import type { FindingInfo } from './codes.js';
import { LIST, NGINX_MAP } from './fix-templates.js';

export const ANSWER_CLASSES = {
  // Broken: browsers refuse the answer.
  'wildcard-with-credentials': {
    severity: 'broken',
    pitfall: 7,
    when: '`Access-Control-Allow-Origin: *` together with `Access-Control-Allow-Credentials: true`',
    impact:
      'browsers refuse every credentialed request ("The value of the Access-Control-Allow-Origin header must not be the wildcard * when the request\'s credentials mode is include")',
    fix: {
      summary: 'Either drop credentials (a public API) or name the origins you allow.',
      corsica: `cors({ ${LIST}, credentials: true })  // corsica refuses '*' with credentials at start-up`,
      cors: `cors({ ${LIST}, credentials: true })`,
      fastify: `fastify.register(cors, { ${LIST}, credentials: true })`,
      nginx: NGINX_MAP,
    },
  },
  'several-origins': {
    severity: 'broken',
    pitfall: 2,
    when: 'more than one origin in `Access-Control-Allow-Origin`, in one line (`a, b` or `a b`) or in two lines (often the app and a gateway both adding it)',
    impact: 'browsers refuse the answer: the header holds exactly one origin or `*`',
    fix: {
      summary:
        'Echo the one allowed origin that asked, and add the header in one place only (the app or the gateway).',
      corsica: `cors({ ${LIST} })  // echoes the matching origin`,
      cors: `cors({ ${LIST} })`,
      fastify: `fastify.register(cors, { ${LIST} })`,
      nginx: `${NGINX_MAP} and proxy_hide_header Access-Control-Allow-Origin; if the app sets it too`,
    },
  },
  'literal-wildcard-pattern': {
    severity: 'broken',
    pitfall: 3,
    when: 'a pattern sent literally (`Access-Control-Allow-Origin: https://*.example.com`)',
    impact: 'browsers compare the header with the origin byte for byte and never match a pattern',
    fix: {
      summary: 'Match the pattern on the server and echo the concrete origin.',
      corsica:
        "cors({ origin: '{scheme}://*.{domain}' })  // matched on dot boundaries, the concrete origin echoed",
      cors: 'cors({ origin: /^{scheme}:\\/\\/([a-z0-9-]+\\.)*{domain-re}$/ })',
      fastify: 'fastify.register(cors, { origin: /^{scheme}:\\/\\/([a-z0-9-]+\\.)*{domain-re}$/ })',
      nginx:
        'map $http_origin $cors_origin { default ""; "~^{scheme}://([a-z0-9-]+\\.)*{domain-re}$" $http_origin; }',
    },
  },
  'origin-without-scheme': {
    severity: 'broken',
    pitfall: 4,
    when: 'an origin without its scheme (`Access-Control-Allow-Origin: example.com`)',
    impact: 'browsers refuse the answer: the origin they compare is scheme://host[:port]',
    fix: {
      summary: 'Write the origin as browsers send it: {site} (with the port if not the default).',
      corsica: "cors({ origin: '{site}' })  // corsica refuses an origin without its scheme at start-up",
      cors: "cors({ origin: '{site}' })",
      fastify: "fastify.register(cors, { origin: '{site}' })",
      nginx: 'add_header Access-Control-Allow-Origin "{site}" always;',
    },
  },
  'origin-trailing-slash': {
    severity: 'broken',
    pitfall: 4,
    when: 'an origin with a trailing slash or a path (`Access-Control-Allow-Origin: https://example.com/`)',
    impact: 'browsers refuse the answer: an origin has no path, not even /',
    fix: {
      summary: 'Drop the trailing slash: {site}.',
      corsica: "cors({ origin: '{site}' })  // corsica refuses a trailing slash at start-up",
      cors: "cors({ origin: '{site}' })",
      fastify: "fastify.register(cors, { origin: '{site}' })",
      nginx: 'add_header Access-Control-Allow-Origin "{site}" always;',
    },
  },
  'preflight-only-cors': {
    severity: 'broken',
    when: 'preflights carry CORS headers but the actual answers do not, often only the errors: a 401 from authentication that runs before CORS, or nginx `add_header` without `always`',
    impact:
      'the preflight passes, then the browser refuses the actual answer: every preflighted request (JSON, Authorization, PUT...) fails, and a page cannot read a 401 (an expired session looks like a network failure)',
    fix: {
      summary:
        'Add the CORS headers to every answer, errors included: run CORS before authentication, so that its 401 carries them, not only on OPTIONS.',
      corsica:
        'app.use(cors(options))  // before authentication and the routes, so every answer, a 401 included, gets the headers',
      cors: "app.use(cors(options))  // before authentication, not only app.options('*', cors())",
      fastify:
        'fastify.register(cors, options)  // before the hooks that authenticate, so their 401 gets the headers',
      nginx:
        'add_header ... always; (always: the 401 and other errors too), outside the if ($request_method = OPTIONS) block',
    },
  },
  'actual-only-cors': {
    severity: 'broken',
    when: 'actual answers carry CORS headers but preflights get none (no OPTIONS route, or authentication before CORS)',
    impact:
      'simple GETs work, but every preflighted request (JSON POST, Authorization, PUT, DELETE) is refused before it is sent',
    fix: {
      summary: 'Answer OPTIONS preflights with the CORS headers, before authentication and routing.',
      corsica: 'app.use(cors(options))  // answers preflights itself, before your routes and auth',
      cors: "app.use(cors(options)), or app.options('*', cors(options)) beside app.get(path, cors(options), ...)",
      fastify: 'fastify.register(cors, options)  // registers the OPTIONS handler',
      nginx: 'if ($request_method = OPTIONS) { add_header Access-Control-Allow-Methods ...; return 204; }',
    },
  },
  'declared-preflight-refused': {
    severity: 'broken',
    when: 'the preflight a browser sends for an operation the API declares (its method and request headers, from --openapi) is refused: no OPTIONS answer with CORS headers, or a method or header missing from the grant',
    impact:
      'the site’s pages cannot call that operation at all: the browser stops at the preflight and never sends the request',
    fix: {
      summary:
        'Answer the preflights of every route the API declares, granting its methods and request headers, before authentication and routing.',
      corsica:
        "app.use(cors({ origin: ['{site}'], methods: [/* every declared method */], allowedHeaders: [/* every declared header */] }))",
      cors: "app.use(cors(options)) before the routes (not cors() on one route's handler: Express then answers OPTIONS itself, without CORS headers)",
      fastify: 'fastify.register(cors, options)  // registers the OPTIONS handler for every route',
      nginx:
        'if ($request_method = OPTIONS) { add_header Access-Control-Allow-Methods "<declared methods>" always; add_header Access-Control-Allow-Headers "<declared headers>" always; return 204; }',
    },
  },
  'vary-origin-missing-cached': {
    severity: 'broken',
    pitfall: 5,
    when: 'an answer whose `Access-Control-Allow-Origin` depends on the Origin has no `Vary: Origin` and is marked for shared caches (`Cache-Control: public`, `s-maxage`, `max-age`)',
    impact:
      'a CDN or shared cache stores the grant of the first origin that asks and serves it to every other: the other front-ends’ pages are refused (or read a grant meant for another origin) until it expires',
    fix: {
      summary:
        'Send Vary: Origin on every answer that depends on the Origin, or keep those answers out of shared caches (Cache-Control: private).',
      corsica: 'nothing to do: corsica always sends it (check that no proxy or CDN strips it)',
      cors: "res.vary('Origin') (cors sends it except for a fixed origin string)",
      fastify: 'nothing to do: @fastify/cors sends it (do not overwrite Vary in a later hook)',
      nginx: 'add_header Vary Origin always;',
    },
  },
  // Info: worth knowing.
  'reflected-any-origin': {
    severity: 'info',
    pitfall: 1,
    when: 'any origin is echoed, without credentials',
    impact:
      'every site can read these answers without cookies: fine for public data (then answer `*`), a leak for anything behind IP-based or intranet trust',
    fix: {
      summary: "Answer '*' if the data is public; otherwise list the origins you trust.",
      corsica: "cors({ origin: '*' })  // or an exact list",
      cors: "cors({ origin: '*' })",
      fastify: "fastify.register(cors, { origin: '*' })",
      nginx: 'add_header Access-Control-Allow-Origin * always;',
    },
  },
  'vary-origin-missing': {
    severity: 'info',
    pitfall: 5,
    when: 'an answer whose `Access-Control-Allow-Origin` depends on the Origin has no `Vary: Origin`',
    impact:
      'a shared cache or CDN may serve one origin’s answer to another: CORS errors for users, or cache poisoning that hands a page another origin’s grant',
    fix: {
      summary: 'Send Vary: Origin on every answer that depends on the Origin (refusals included).',
      corsica: 'nothing to do: corsica always sends it',
      cors: "res.vary('Origin') (cors sends it except for a fixed origin string)",
      fastify: 'nothing to do: @fastify/cors sends it (do not overwrite Vary in a later hook)',
      nginx: 'add_header Vary Origin always;',
    },
  },
  'headers-not-exposed': {
    severity: 'info',
    pitfall: 6,
    when: 'the answer carries headers a client would want to read (`X-Total-Count`, `Link`, `ETag`...) that `Access-Control-Expose-Headers` does not list',
    impact: 'pages cannot read them: response.headers.get() returns null cross-origin',
    fix: {
      summary: 'List the headers pages need in Access-Control-Expose-Headers.',
      corsica: "cors({ ..., exposedHeaders: ['X-Total-Count', 'Link'] })",
      cors: "cors({ ..., exposedHeaders: ['X-Total-Count', 'Link'] })",
      fastify: "fastify.register(cors, { ..., exposedHeaders: ['X-Total-Count', 'Link'] })",
      nginx: 'add_header Access-Control-Expose-Headers "X-Total-Count, Link" always;',
    },
  },
  'public-wildcard': {
    severity: 'info',
    pitfall: 1,
    when: '`Access-Control-Allow-Origin: *` without credentials',
    impact:
      'every site can read these answers, without cookies: right for a public API, and nothing more is exposed than to curl',
    fix: {
      summary: 'Nothing to fix if the data is public; otherwise list the origins that may read it.',
      corsica: "cors({ origin: '*' })  // the default",
      cors: 'cors()  // the default',
      fastify: "fastify.register(cors, { origin: '*' })",
      nginx: 'add_header Access-Control-Allow-Origin * always;',
    },
  },
} as const satisfies Record<string, FindingInfo>;
