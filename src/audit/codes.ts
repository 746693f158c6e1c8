// Every finding `corsica audit` reports, in one closed table: its severity, the seed article's
// pitfall where it is one, what the probe saw, what an attacker (or a browser) does with it, and
// the fix in corsica, cors, @fastify/cors and nginx terms. The types and docs/audit.md come from
// here (test/audit/vocabulary.test.ts holds the page to it). The taxonomy is issue 16's; the
// probes that prove each class are in probes.ts, the rules in rules.ts.

import type { Site } from './probes.js';

/**
 * `exploitable`: another site can read answers meant for the site (or make the browser send
 * requests it should not); `broken`: browsers refuse the answer, so the API does not work
 * cross-origin; `info`: worth knowing, not a hole.
 */
export type FindingSeverity = 'exploitable' | 'broken' | 'info';

/** The same change in each tool's terms. */
export interface FindingFix {
  readonly summary: string;
  readonly corsica: string;
  readonly cors: string;
  readonly fastify: string;
  readonly nginx: string;
}

interface FindingInfo {
  readonly severity: FindingSeverity;
  /** The seed article's pitfall (1 to 7) the finding is an instance of. */
  readonly pitfall?: number;
  /** What the probe saw, in one sentence. */
  readonly when: string;
  /** What an attacker can do with it (exploitable), or what breaks (broken), or why it matters. */
  readonly impact: string;
  readonly fix: FindingFix;
}

// The fixes are templates: `{site}` is the site's origin, `{site-re}` the same as the inside of a
// JavaScript RegExp, `{scheme}`, `{domain}` and `{domain-re}` its scheme and registrable domain.
// fixForSite fills them in with what the user gave (--origin, or the URL's), so that a pasted fix
// never names a domain the user did not (an `admin.example.com` once trusted a stranger).
const LIST = "origin: ['{site}' /* and each other origin you trust, by name */]";
const NGINX_MAP =
  'map $http_origin $cors_origin { default ""; "{site}" $http_origin; } add_header Access-Control-Allow-Origin $cors_origin always; add_header Vary Origin always;';

/** A fix that is the same list of exact origins everywhere. */
function exactList(summary: string): FindingFix {
  return {
    summary,
    corsica: `cors({ ${LIST}, credentials: true })  // corsica/node; patterns like '{scheme}://*.{domain}' match on dot boundaries only`,
    cors: `cors({ ${LIST}, credentials: true })  // or anchored, escaped RegExps: /^{site-re}$/`,
    fastify: `fastify.register(cors, { ${LIST}, credentials: true })`,
    nginx: NGINX_MAP,
  };
}

export const FINDING_CLASSES = {
  // Exploitable: another site reads what only the site should.
  'reflected-any-origin-with-credentials': {
    severity: 'exploitable',
    pitfall: 1,
    when: 'any origin, even one unrelated to the site, is echoed in `Access-Control-Allow-Origin` with `Access-Control-Allow-Credentials: true`',
    impact:
      "any web page a logged-in user visits reads this API's answers with the user's cookies: account data, CSRF tokens, anything",
    fix: exactList('Allow the origins you trust by name instead of echoing the request’s Origin.'),
  },
  'null-origin-trusted': {
    severity: 'exploitable',
    when: 'the origin `null` is allowed (`Access-Control-Allow-Origin: null`)',
    impact:
      'any site can send `Origin: null` from a sandboxed iframe (`<iframe sandbox="allow-scripts">`), a data: URL or a file, and read the answers',
    fix: {
      summary: "Never allow 'null': it is the origin of sandboxed and local documents of any site.",
      corsica: "remove 'null' from origin (corsica refuses it unless allowNullOrigin: true)",
      cors: "remove 'null' from the origin list, and from any origin function that lets a missing or 'null' origin through",
      fastify: "remove 'null' from origin",
      nginx: 'drop the "null" entry from the map of allowed origins',
    },
  },
  'prefix-match': {
    severity: 'exploitable',
    when: 'an origin that merely starts with the site’s (`https://www.example.com.attacker.net`) is allowed: `startsWith`, or a RegExp without `$`',
    impact:
      'the attacker registers a domain that begins with the site’s name (www.example.com.attacker.net is any domain’s subdomain) and reads the answers from a page there',
    fix: exactList('Compare the whole origin: an exact list, or a RegExp anchored with ^ and $.'),
  },
  'suffix-match': {
    severity: 'exploitable',
    when: 'an origin that merely ends with the site’s domain (`https://attackerexample.com`) is allowed: `endsWith` without a dot, or `/example\\.com$/`',
    impact: 'the attacker registers attackerexample.com and reads the answers from a page there',
    fix: exactList(
      "Match subdomains on a dot boundary: corsica's '{scheme}://*.{domain}', or /^{scheme}:\\/\\/([a-z0-9-]+\\.)*{domain-re}$/.",
    ),
  },
  'substring-match': {
    severity: 'exploitable',
    when: 'an origin that is a piece of the site’s (`https://www.example.co`, `https://xample.com`) is allowed: `allowed.includes(origin)` or `indexOf`',
    impact:
      'the attacker registers a truncated name (example.co, xample.com) and reads the answers from a page there',
    fix: exactList('Compare origins for equality (a Set or an exact list), never with includes or indexOf.'),
  },
  'unescaped-dot': {
    severity: 'exploitable',
    when: 'an origin with a letter where the site’s host has a dot (`https://wwwxexample.com`) is allowed: a RegExp written `www.example.com`',
    impact: 'the attacker registers wwwxexample.com and reads the answers from a page there',
    fix: exactList('Escape every dot in an origin RegExp (\\.), or use exact strings.'),
  },
  'unanchored-regexp': {
    severity: 'exploitable',
    when: 'an origin that contains the site’s host anywhere (`https://attackerexample.com.attacker.net`) is allowed: a RegExp without `^` and `$`, or `origin.includes(...)`',
    impact: 'the attacker puts the site’s name inside a domain of their own and reads the answers from it',
    fix: exactList('Anchor the RegExp at both ends (/^{site-re}$/), or use exact strings.'),
  },
  'special-characters': {
    severity: 'exploitable',
    when: 'an origin with a character browsers accept in hosts after the site’s host (`https://example.com_.attacker.net`; Safari also sends `` ` ``, `}`, `{`...) is allowed',
    impact:
      'a check that assumes the host ends at the first character outside [a-z0-9.-] lets the attacker’s domain through; the attacker’s page reads the answers',
    fix: exactList('Compare the whole origin for equality, or end the RegExp with $.'),
  },
  'any-subdomain-with-credentials': {
    severity: 'exploitable',
    when: 'a subdomain nobody declared (`https://corsicaprobe.example.com`) is allowed with credentials',
    impact:
      'one cross-site scripting flaw or one dangling DNS record (subdomain takeover) on any subdomain lets an attacker read every user’s data here',
    fix: exactList('List the subdomains that need access, instead of trusting every one with credentials.'),
  },
  'http-origin-trusted': {
    severity: 'exploitable',
    when: 'the `http:` origin of an `https:` site (`http://example.com`) is allowed',
    impact:
      'anyone on the user’s network (public Wi-Fi) injects a script into the plain-http page and reads the https answers through it',
    fix: exactList('Allow https: origins only (plain http: only for localhost during development).'),
  },
  'third-party-hosting-trusted': {
    severity: 'exploitable',
    pitfall: 1,
    when: 'an origin where anyone can publish pages (`https://corsicaprobe.github.io`, `https://codepen.io`, a Public Suffix List private domain) is allowed',
    impact: 'the attacker publishes a page there for free and reads the answers from it',
    fix: {
      summary:
        'Allow your own pages’ exact origins ({site}, and your page on the hosting service by its full name), never a whole hosting service or code playground.',
      corsica:
        "origin: ['{site}']  // corsica refuses a pattern on a hosting service (*.github.io) with credentials (ORIGIN_PUBLIC_SUFFIX)",
      cors: "origin: ['{site}']  // not /\\.github\\.io$/",
      fastify: "origin: ['{site}']",
      nginx: 'list "{site}" in the map of allowed origins, not a regex on a hosting domain',
    },
  },
  'preflight-reflects-any': {
    severity: 'exploitable',
    when: 'preflights echo any origin, method and header, while the actual answers to that origin carry no CORS grant',
    impact:
      'the browser believes the preflight and sends any site’s PUT, DELETE or JSON POST with the user’s cookies: cross-site request forgery on every state-changing route, although the attacker cannot read the answer',
    fix: {
      summary:
        'Answer preflights with the same origin check as the actual requests (one CORS layer, not an OPTIONS special case).',
      corsica: `app.use(cors({ ${LIST} }))  // one middleware answers both`,
      cors: `app.use(cors({ ${LIST} }))  // and remove any app.options('*', ...) that echoes req.headers.origin`,
      fastify: `fastify.register(cors, { ${LIST} })`,
      nginx:
        'use the same map $http_origin for the OPTIONS branch; never add_header Access-Control-Allow-Origin $http_origin',
    },
  },
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
    when: 'preflights carry CORS headers but the actual answers do not',
    impact:
      'the preflight passes, then the browser refuses the actual answer: every preflighted request (JSON, Authorization, PUT...) fails, often only on error answers',
    fix: {
      summary: 'Add the CORS headers to every answer, errors included, not only to OPTIONS.',
      corsica: 'app.use(cors(options))  // before the routes, so every answer gets the headers',
      cors: "app.use(cors(options))  // not only app.options('*', cors())",
      fastify: 'fastify.register(cors, options)  // hooks every route',
      nginx: 'add_header ... always; outside the if ($request_method = OPTIONS) block (always: errors too)',
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

const regexpText = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A fix of the table with its placeholders filled in from the site the user gave. */
export function fixForSite(fix: FindingFix, site: Site): FindingFix {
  const fill = (text: string) =>
    text
      .replaceAll('{site-re}', regexpText(site.origin))
      .replaceAll('{site}', site.origin)
      .replaceAll('{scheme}', site.scheme)
      .replaceAll('{domain-re}', regexpText(site.domain))
      .replaceAll('{domain}', site.domain);
  return {
    summary: fill(fix.summary),
    corsica: fill(fix.corsica),
    cors: fill(fix.cors),
    fastify: fill(fix.fastify),
    nginx: fill(fix.nginx),
  };
}

/** A finding's class: one of the table's keys. */
export type FindingClass = keyof typeof FINDING_CLASSES;

/** The table's row for a class, typed as a row. */
export function classInfo(c: FindingClass): FindingInfo {
  return FINDING_CLASSES[c];
}

const SEVERITY_TITLES: Readonly<Record<FindingSeverity, string>> = {
  exploitable: 'Exploitable',
  broken: 'Broken',
  info: 'Info',
};

/** The vocabulary as markdown tables, one per severity: docs/audit.md holds exactly this text. */
export function vocabularyMarkdown(): string {
  const out: string[] = [];
  for (const severity of ['exploitable', 'broken', 'info'] as const) {
    out.push(
      `### ${SEVERITY_TITLES[severity]}`,
      '',
      '| class | pitfall | when | impact |',
      '|---|---|---|---|',
    );
    for (const [name, info] of Object.entries(FINDING_CLASSES) as [FindingClass, FindingInfo][])
      if (info.severity === severity)
        out.push(`| \`${name}\` | ${info.pitfall ?? ''} | ${info.when} | ${info.impact} |`);
    out.push('');
  }
  return out.join('\n');
}
