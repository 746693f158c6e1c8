// The fix of each class `corsica audit` reports, written for the site the user gave (--origin, or
// the URL's), so that a pasted fix never names a domain the user did not (an `admin.example.com`
// once trusted a stranger). A fix that is a configuration goes through options-text.ts, as every
// other fix does, and is run in each real tool by test/advice/audit-fixes-*.test.ts; where a tool
// has no option for the change, its line says so in words.

import {
  configFix,
  escapeRegExp,
  type Fix,
  nginxActual,
  nginxWhole,
  type OptionsSpec,
  type ToolNotes,
} from './options-text.js';

/** The site the fixes are written for. */
export interface FixSite {
  /** Its serialized origin: `https://www.example.com`. */
  readonly origin: string;
  readonly scheme: string;
  readonly host: string;
  /** Its registrable domain: `example.com`. */
  readonly domain: string;
}

/** What one finding adds to its class's fix. */
export interface AuditFixDetail {
  /** headers-not-exposed: the headers the answer carries that pages cannot read, and its grant. */
  readonly exposed?: readonly string[];
  readonly public?: boolean;
  readonly credentials?: boolean;
  /**
   * The methods the site's preflights asked for (declared-preflight-refused: the refused ones), so
   * that a fix about preflights grants them: the peers' defaults differ (@fastify/cors: GET, HEAD
   * and POST only).
   */
  readonly methods?: readonly string[];
  readonly headers?: readonly string[];
}

type Writer = (site: FixSite, detail: AuditFixDetail) => Fix;

/** The site's origin, with a comment standing for the other origins the user trusts. */
const trusted = (s: FixSite, credentials: boolean): OptionsSpec => ({
  origin: { names: [s.origin], rest: 'each other origin you trust, by name' },
  ...(credentials ? { credentials: true } : {}),
});

/** The site's origin and the methods its preflights asked for, when a fix is about preflights. */
const preflighted = (s: FixSite, d: AuditFixDetail): OptionsSpec => ({
  ...trusted(s, false),
  ...(d.methods === undefined || d.methods.length === 0
    ? {}
    : { methods: { names: d.methods, rest: 'the other methods your routes take' } }),
});

/** A fix that writes `spec` for every tool. */
const config =
  (
    summary: (s: FixSite) => string,
    spec: (s: FixSite, d: AuditFixDetail) => OptionsSpec,
    notes: (s: FixSite) => ToolNotes = () => ({}),
    nginx: (spec: OptionsSpec) => string = nginxActual,
  ): Writer =>
  (s, d) => {
    const options = spec(s, d);
    return configFix(summary(s), options, nginx(options), notes(s));
  };

/** The fix of every trust mistake: the origins the user trusts, by name, with credentials. */
const exactList = (summary: (s: FixSite) => string, notes?: (s: FixSite) => ToolNotes): Writer =>
  config(
    summary,
    (s) => trusted(s, true),
    (s) => ({
      corsica: `patterns like '${s.scheme}://*.${s.domain}' match on dot boundaries only`,
      cors: `or anchored, escaped RegExps: /^${escapeRegExp(s.origin)}$/`,
      ...notes?.(s),
    }),
  );

const said = (text: string) => () => text;

/** The drift fixes: the policy file's options, and no other layer answering CORS. */
function policyFix(summary: string, notes: ToolNotes, nginx: string): Writer {
  const then = (tool: keyof ToolNotes) => `; ${notes[tool] ?? notes.all}`;
  return () => ({
    summary,
    corsica: `app.use(cors(policy))  // import cors from 'corsica/node'; policy: the options of the --policy file${then('corsica')}`,
    cors: `app.use(cors(policy))  // import cors from 'cors'${then('cors')}`,
    fastify: `await fastify.register(cors, policy)  // import cors from '@fastify/cors'${then('fastify')}`,
    // hono/cors reads the same options under its own names.
    hono: `app.use('*', cors({ origin: policy.origin, allowMethods: policy.methods, allowHeaders: policy.allowedHeaders, exposeHeaders: policy.exposedHeaders, credentials: policy.credentials, maxAge: policy.maxAge }))  // import { cors } from 'hono/cors'${then('hono')}`,
    nginx,
  });
}

const DRIFT = 'Find what answers instead of the policy: a gateway, CDN or proxy in front, or an older deploy';

const VARY_NOTES: ToolNotes = {
  corsica: 'it sends Vary: Origin on every answer (check that no proxy or CDN strips it)',
  cors: 'it sends Vary: Origin for a list (not for one fixed origin string)',
  fastify: 'it sends Vary: Origin (do not overwrite Vary in a later hook)',
  hono: 'it sends Vary: Origin for a list',
};

/** One writer per class of audit's table (src/audit/classes-*.ts). */
export const AUDIT_FIXES = {
  'reflected-any-origin-with-credentials': exactList(
    said('Allow the origins you trust by name instead of echoing the request’s Origin.'),
  ),
  'null-origin-trusted': exactList(
    said(
      "Never allow 'null': it is the origin of sandboxed and local documents of any site; list the origins you trust by name.",
    ),
    () => ({ corsica: "corsica refuses 'null' unless allowNullOrigin: true" }),
  ),
  'prefix-match': exactList(
    said('Compare the whole origin: an exact list, or a RegExp anchored with ^ and $.'),
  ),
  'suffix-match': exactList(
    (s) =>
      `Match subdomains on a dot boundary: corsica's '${s.scheme}://*.${s.domain}', or /^${s.scheme}:\\/\\/([a-z0-9-]+\\.)*${escapeRegExp(s.domain)}$/.`,
  ),
  'substring-match': exactList(
    said('Compare origins for equality (a Set or an exact list), never with includes or indexOf.'),
  ),
  'unescaped-dot': exactList(said('Escape every dot in an origin RegExp (\\.), or use exact strings.')),
  'unanchored-regexp': exactList(
    (s) => `Anchor the RegExp at both ends (/^${escapeRegExp(s.origin)}$/), or use exact strings.`,
  ),
  'special-characters': exactList(said('Compare the whole origin for equality, or end the RegExp with $.')),
  'any-subdomain-with-credentials': exactList(
    said('List the subdomains that need access, instead of trusting every one with credentials.'),
  ),
  'http-origin-trusted': exactList(
    said('Allow https: origins only (plain http: only for localhost during development).'),
  ),
  'third-party-hosting-trusted': exactList(
    (s) =>
      `Allow your own pages’ exact origins (${s.origin}, and your page on the hosting service by its full name), never a whole hosting service or code playground.`,
    () => ({
      corsica:
        'corsica refuses a pattern on a hosting service (*.github.io) with credentials (ORIGIN_PUBLIC_SUFFIX)',
      cors: 'not /\\.github\\.io$/',
    }),
  ),
  'localhost-trusted-with-credentials': exactList(
    said(
      'Keep development origins (localhost, 127.0.0.1) out of the production allow-list: add them only when the server runs in development.',
    ),
  ),
  'private-network-access-granted': (s, d) => {
    const fix = config(
      said(
        'Answer Access-Control-Allow-Private-Network only to the public origins you trust, by name, never with * or an echoed origin.',
      ),
      () => ({ ...trusted(s, false), privateNetwork: true }),
      () => ({ corsica: 'granted to the listed origins only' }),
      nginxWhole,
    )(s, d);
    // The peers have no option for it: a line that said otherwise would not run.
    const ifListed = 'Access-Control-Allow-Private-Network: true only when the Origin is in your list';
    return {
      ...fix,
      cors: `cors has no option for it: in a middleware after cors(), set ${ifListed}`,
      fastify: `@fastify/cors has no option for it: in an onSend hook, set ${ifListed}`,
      hono: `hono/cors has no option for it: in a middleware after cors(), set ${ifListed}`,
    };
  },
  'intranet-open-to-any-origin': exactList(
    said(
      'List the origins of the internal pages that call it; never * or an echoed origin on an API that trusts its network.',
    ),
  ),
  'preflight-reflects-any': config(
    said(
      'Answer preflights with the same origin check as the actual requests (one CORS layer, not an OPTIONS special case).',
    ),
    preflighted,
    () => ({
      all: 'one middleware answers both',
      cors: "and remove any app.options('*', ...) that echoes req.headers.origin",
    }),
    nginxWhole,
  ),
  'wildcard-with-credentials': config(
    said('Either drop credentials (a public API) or name the origins you allow.'),
    (s) => trusted(s, true),
    () => ({ corsica: "corsica refuses '*' with credentials at start-up" }),
  ),
  'several-origins': config(
    said(
      'Echo the one allowed origin that asked, and add the header in one place only (the app or the gateway).',
    ),
    (s) => trusted(s, false),
    () => ({ all: 'it echoes the matching origin' }),
    (spec) =>
      `${nginxActual(spec)} proxy_hide_header Access-Control-Allow-Origin;  # when the app behind nginx sets it too`,
  ),
  'literal-wildcard-pattern': config(
    said('Match the pattern on the server and echo the concrete origin.'),
    (s) => ({
      // A pattern never matches the apex: the site itself is listed when it is the apex.
      origin: { names: [...(s.host === s.domain ? [s.origin] : []), `${s.scheme}://*.${s.domain}`] },
    }),
    () => ({ corsica: 'matched on dot boundaries, the concrete origin echoed' }),
  ),
  'origin-without-scheme': config(
    (s) => `Write the origin as browsers send it: ${s.origin} (with the port if not the default).`,
    (s) => ({ origin: { names: [s.origin] } }),
    () => ({ corsica: 'corsica refuses an origin without its scheme at start-up' }),
  ),
  'origin-trailing-slash': config(
    (s) => `Drop the trailing slash: ${s.origin}.`,
    (s) => ({ origin: { names: [s.origin] } }),
    () => ({ corsica: 'corsica refuses a trailing slash at start-up' }),
  ),
  'preflight-only-cors': config(
    said(
      'Add the CORS headers to every answer, errors included: run CORS before authentication, so that its 401 carries them, not only on OPTIONS.',
    ),
    preflighted,
    () => ({
      all: 'before authentication and the routes, so every answer, a 401 included, gets the headers',
      cors: "before authentication, not only app.options('*', cors())",
      fastify: 'before the hooks that authenticate, so their 401 gets the headers',
    }),
    (spec) => `${nginxWhole(spec)}  # always: the 401 and other errors too`,
  ),
  'actual-only-cors': config(
    said('Answer OPTIONS preflights with the CORS headers, before authentication and routing.'),
    preflighted,
    () => ({
      all: 'it answers preflights itself: before your routes and auth',
      fastify: 'it registers the OPTIONS handler',
    }),
    nginxWhole,
  ),
  'declared-preflight-refused': config(
    said(
      'Answer the preflights of every route the API declares, granting its methods and request headers, before authentication and routing.',
    ),
    (s, d) => ({
      ...trusted(s, false),
      methods: { names: d.methods ?? [], rest: 'every other method the API declares' },
      allowedHeaders: { names: d.headers ?? [], rest: 'every request header the API declares' },
    }),
    () => ({
      all: 'before the routes, for every route',
      cors: "before the routes (not cors() on one route's handler: Express then answers OPTIONS itself, without CORS headers)",
    }),
    nginxWhole,
  ),
  'vary-origin-missing-cached': config(
    said(
      'Send Vary: Origin on every answer that depends on the Origin, or keep those answers out of shared caches (Cache-Control: private).',
    ),
    (s) => trusted(s, false),
    () => VARY_NOTES,
  ),
  'reflected-any-origin': config(
    said("Answer '*' if the data is public; otherwise list the origins you trust."),
    () => ({ origin: '*' }),
    () => ({ all: 'or an exact list' }),
  ),
  'vary-origin-missing': config(
    said('Send Vary: Origin on every answer that depends on the Origin (refusals included).'),
    (s) => trusted(s, false),
    () => VARY_NOTES,
  ),
  'headers-not-exposed': config(
    said('List the headers pages need in Access-Control-Expose-Headers.'),
    (s, d) => ({
      ...(d.public === true ? { origin: '*' as const } : trusted(s, d.credentials === true)),
      exposedHeaders: { names: d.exposed ?? ['X-Total-Count', 'Link'] },
    }),
  ),
  'public-wildcard': config(
    said('Nothing to fix if the data is public; otherwise list the origins that may read it.'),
    (s) => trusted(s, false),
  ),
  'policy-drift-allows-more': policyFix(
    `${DRIFT}, and remove the CORS headers it adds: one layer answers CORS, with the policy.`,
    {
      all: 'and no other layer setting Access-Control-* headers',
      cors: 'and remove any res.setHeader("Access-Control-Allow-Origin", ...) elsewhere',
    },
    'proxy_hide_header Access-Control-Allow-Origin; (and the other Access-Control-* headers) when the app answers CORS',
  ),
  'policy-drift-allows-less': policyFix(
    `${DRIFT}, and let the policy answer every route, preflights included.`,
    {
      all: 'before the routes: it answers every preflight',
      cors: "not cors() on some routes only, and app.options('*', cors(policy)) if routes come first",
    },
    'pass OPTIONS to the app (or answer it with the policy’s methods and headers), and keep its Access-Control-* headers',
  ),
  'policy-drift-vary-stripped': policyFix(
    `${DRIFT}, and keep the app’s Vary header through it.`,
    { all: 'it sends Vary: Origin: configure the proxy or CDN to pass it' },
    'do not proxy_hide_header Vary; add_header Vary Origin always; if nginx answers CORS itself',
  ),
} as const satisfies Record<string, Writer>;

/** A class audit's table can report. */
export type AuditFixClass = keyof typeof AUDIT_FIXES;

/** The fix of a finding of class `c`, for the site the user gave. */
export function auditFix(c: AuditFixClass, site: FixSite, detail: AuditFixDetail = {}): Fix {
  return AUDIT_FIXES[c](site, detail);
}
