// Cause and fix for each CORS failure, written for the person who has to change the server: the
// corsica option, and the same change for `cors`/Express, @fastify/cors, hono/cors and nginx.

import { baseCode, type CorsFailureCore, type FailureContext } from './codes.js';

export interface Fix {
  /** One sentence: what to change. */
  readonly summary: string;
  /** The corsica options that fix it. */
  readonly corsica: string;
  /** The same for the `cors` package with Express. */
  readonly cors: string;
  /** The same for @fastify/cors. */
  readonly fastify: string;
  /** The same for Hono's own hono/cors (its option names: allowHeaders, allowMethods, exposeHeaders). */
  readonly hono: string;
  /** The same in an nginx server block. */
  readonly nginx: string;
}

/** The names of both lists, each once (compared case-insensitively), first spelling kept. */
function union(...lists: (readonly string[] | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const list of lists)
    for (const name of list ?? []) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** hono/cors names three options otherwise than cors: the same options in its words. */
const honoOptions = (options: string) =>
  options
    .replace(/\ballowedHeaders:/g, 'allowHeaders:')
    .replace(/\bmethods:/g, 'allowMethods:')
    .replace(/\bexposedHeaders:/g, 'exposeHeaders:');

const honoUse = (options: string) => `app.use('*', cors({ ${honoOptions(options)} }))`;

/** A fix written as options: the same literal serves corsica, cors and @fastify/cors (hono/cors renamed). */
function optionsFix(summary: string, options: string, nginx: string): Fix {
  return {
    summary,
    corsica: `app.use(cors({ ${options} }))  // import cors from 'corsica/node'`,
    cors: `app.use(cors({ ${options} }))  // import cors from 'cors'`,
    fastify: `await fastify.register(cors, { ${options} })  // import cors from '@fastify/cors'`,
    hono: `${honoUse(options)}  // import { cors } from 'hono/cors'`,
    nginx,
  };
}

const nginxOrigin = (origin: string, credentials: boolean) =>
  [
    `add_header Access-Control-Allow-Origin "${origin}" always;`,
    ...(credentials ? ['add_header Access-Control-Allow-Credentials "true" always;'] : []),
    'add_header Vary "Origin" always;',
  ].join(' ');

function nginxPreflight(
  origin: string,
  credentials: boolean,
  method: string,
  headers: readonly string[],
): string {
  const lines = [
    'if ($request_method = OPTIONS) {',
    `add_header Access-Control-Allow-Origin "${origin}";`,
    ...(credentials ? ['add_header Access-Control-Allow-Credentials "true";'] : []),
    `add_header Access-Control-Allow-Methods "${method}";`,
    ...(headers.length > 0 ? [`add_header Access-Control-Allow-Headers "${headers.join(', ')}";`] : []),
    'add_header Access-Control-Max-Age "600";',
    'add_header Vary "Origin";',
    'return 204; }',
  ];
  return lines.join(' ');
}

/** The origin option with this origin added: the server's other origins are not known here, so they are kept by a comment, never dropped. */
function originOptions(ctx: FailureContext): string {
  return `origin: [/* the origins you allow now, */ ${q(ctx.origin)}]${ctx.credentialed ? ', credentials: true' : ''}`;
}

/** A list option with `add` appended to what the server sent, or to a placeholder for what it has. */
function extended(known: readonly string[] | undefined, add: readonly string[], methods = false): string {
  if (known === undefined || known.length === 0)
    return `[/* what you allow now, */ ${add.map(q).join(', ')}]`;
  // Methods compare case-sensitively (PATCH is not patch); header names do not.
  const merged = methods ? [...new Set([...known, ...add])] : union(known, add);
  return `[${merged.map(q).join(', ')}]`;
}

/** Why a wrong allow-origin value does not match: the near misses people make. */
function mismatchHint(value: string, origin: string): string {
  if (value === `${origin}/`) return ' It has a trailing slash; an origin never has one.';
  if (value.toLowerCase() === origin) return ' It differs only in case; origins compare byte for byte.';
  try {
    const a = new URL(value);
    const b = new URL(origin);
    if (a.hostname === b.hostname && a.protocol !== b.protocol) return ' The scheme differs (http vs https).';
    if (a.hostname === b.hostname && a.port !== b.port) return ' The port differs.';
    if (a.origin !== value && a.origin === origin)
      return ' It has a path or a default port; an origin is only scheme://host[:port].';
  } catch {
    // not a URL: the general cause says enough
  }
  return '';
}

/**
 * No Access-Control-Allow-Origin on an answer whose status says why: the most common causes of
 * "No 'Access-Control-Allow-Origin' header" are not a missing origin in a list but an answer that
 * never reached the CORS middleware. Null when the status is 2xx or unknown.
 */
function missingAllowOriginByStatus(
  f: CorsFailureCore,
  ctx: FailureContext,
  allowOrigin: string,
  preflightNginx: string,
): { cause: string; fix: Fix } | null {
  const status = ctx.status;
  if (status === undefined || (status >= 200 && status < 300)) return null;
  const preflight = f.code.startsWith('Preflight');
  const what = preflight ? 'The preflight (OPTIONS)' : 'The request';
  const before = (summary: string, note: string, nginx: string): Fix => ({
    summary,
    corsica: `app.use(cors({ ${allowOrigin} }))  // import cors from 'corsica/node'; ${note}`,
    cors: `app.use(cors({ ${allowOrigin} }))  // import cors from 'cors'; ${note}`,
    fastify: `await fastify.register(cors, { ${allowOrigin} })  // import cors from '@fastify/cors'; its onRequest hook runs before your auth hooks and answers preflights`,
    hono: `${honoUse(allowOrigin)}  // import { cors } from 'hono/cors'; ${note}`,
    nginx,
  });
  if (status === 401 || status === 403 || status === 407) {
    return {
      cause: preflight
        ? `The preflight (OPTIONS) was answered ${status} by authentication that runs before CORS. A preflight never carries cookies or Authorization, so it can never pass authentication: the CORS middleware must answer it first.`
        : `The request was answered ${status} without CORS headers: authentication refused it before the CORS middleware ran (or an error handler dropped the CORS headers), so the browser hides the ${status} from the page.`,
      fix: before(
        'Run the CORS middleware before authentication: it answers preflights itself, and its headers stay on every answer, refusals included.',
        'first, before app.use(auth)',
        `${preflight ? 'if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin $http_origin; ... return 204; }  # before auth_request; ' : ''}add_header Access-Control-Allow-Origin ... always;  # "always" keeps it on 4xx answers`,
      ),
    };
  }
  if (status >= 300 && status < 400) {
    return {
      cause: preflight
        ? `The preflight (OPTIONS) was answered with a ${status} redirect, without CORS headers. Browsers never follow redirects on preflights (a trailing-slash, http-to-https or login redirect breaks every preflighted request).`
        : `The request was answered with a ${status} redirect without CORS headers: the browser checks CORS on the redirect itself before following it.`,
      fix: before(
        'Request the final URL directly, and let the CORS middleware answer before anything that redirects.',
        'first, before redirecting middleware',
        preflight
          ? preflightNginx
          : 'add_header Access-Control-Allow-Origin ... always;  # on the redirect too',
      ),
    };
  }
  if (status >= 500) {
    return {
      cause: `${what} failed with ${status}, and the error answer has no CORS headers, so the browser shows a CORS error instead of the ${status}. The real problem is the server error (see the server's log); CORS only hides it.`,
      fix: before(
        `Fix the ${status} on the server, and keep CORS headers on error answers: set them before the handlers run (corsica does, from the middleware), never only on success.`,
        'first: headers set before the handler stay on its error answers',
        'add_header Access-Control-Allow-Origin ... always;  # "always" keeps it on 5xx answers',
      ),
    };
  }
  return {
    cause: preflight
      ? `The preflight (OPTIONS) was answered ${status}: no route answers OPTIONS for this URL, and no CORS middleware answered the preflight first.`
      : `The request was answered ${status} without CORS headers: that answer (a missing route, a refusal) came from code that runs without the CORS middleware.`,
    fix: before(
      'Mount the CORS middleware for every route (app-wide), so that it answers preflights itself and its headers are on every answer.',
      'app-wide, before the routes',
      preflight ? preflightNginx : 'add_header Access-Control-Allow-Origin ... always;',
    ),
  };
}

/** What every fix builder gets besides the failure: the values most of them write into their text. */
interface FixInput {
  readonly f: CorsFailureCore;
  readonly ctx: FailureContext;
  readonly origin: string;
  /** The origin option with the page's origin added (credentials too when the request had them). */
  readonly allowOrigin: string;
  /** "The preflight (OPTIONS) response" or "The response". */
  readonly onPreflight: string;
  /** The nginx preflight block that answers this request. */
  readonly preflightNginx: string;
}

type CauseAndFix = { cause: string; fix: Fix };

/** A fix that is not a CORS option at all: the same sentence for corsica, cors and @fastify/cors. */
function notAnOption(summary: string, change: string, nginx: string): Fix {
  return { summary, corsica: change, cors: change, fastify: change, hono: change, nginx };
}

function taintedOriginFix(f: CorsFailureCore): CauseAndFix {
  return {
    cause: `A redirect took the request from one other origin to another, so the browser sent Origin: null (a "tainted" origin), and ${f.code.startsWith('Preflight') ? 'the preflight response' : 'the response'} did not allow 'null'.`,
    fix: {
      summary: 'Request the final URL directly instead of going through a cross-origin redirect chain.',
      corsica:
        'Request the final URL; only if you must, allow the tainted origin with origin: [...], allowNullOrigin: true.',
      cors: "Request the final URL; cors would need origin: 'null' (which any sandboxed page can send).",
      fastify:
        "Request the final URL; @fastify/cors would need origin: 'null' (which any sandboxed page can send).",
      hono: "Request the final URL; hono/cors would need origin: 'null' (which any sandboxed page can send).",
      nginx: 'Avoid the redirect chain; allowing "null" lets any sandboxed page in.',
    },
  };
}

const missingAllowOrigin = ({ f, ctx, origin, allowOrigin, onPreflight, preflightNginx }: FixInput) =>
  missingAllowOriginByStatus(f, ctx, allowOrigin, preflightNginx) ?? {
    cause: `${onPreflight} has no Access-Control-Allow-Origin header: the server did not grant ${q(origin)} access. Either CORS is not set up for this route, the origin is not in the server's allowed list, or an answer that skipped the CORS middleware (authentication refusing ${f.code.startsWith('Preflight') ? 'the preflight, which never carries credentials' : 'the request'}, an error, a missing route) came back instead.`,
    fix: optionsFix(
      `Allow the origin ${origin}${ctx.credentialed ? ' with credentials' : ''}, and make sure the CORS middleware answers before authentication and error handlers.`,
      allowOrigin,
      f.code.startsWith('Preflight') ? preflightNginx : nginxOrigin(origin, ctx.credentialed),
    ),
  };

const allowOriginMismatch = ({ f, ctx, origin, allowOrigin, onPreflight }: FixInput): CauseAndFix => ({
  cause: `${onPreflight} allows ${q(f.hint)}, but the page's origin is ${q(origin)}; the two must be equal byte for byte.${mismatchHint(f.hint, origin)}`,
  fix: optionsFix(`Allow exactly ${origin}.`, allowOrigin, nginxOrigin(origin, ctx.credentialed)),
});

function invalidList({ f, ctx, preflightNginx }: FixInput): CauseAndFix {
  const header = f.code === 'InvalidAllowMethodsPreflightResponse' ? 'Methods' : 'Headers';
  return {
    cause: `The preflight's Access-Control-Allow-${header} is not a comma-separated list of names (HTTP tokens), so the browser discards the whole answer.`,
    fix: optionsFix(
      `Send a plain list such as ${header === 'Methods' ? "'GET, POST, PUT'" : "'Content-Type, Authorization'"}.`,
      header === 'Methods'
        ? `methods: ['GET', 'POST', ${q(ctx.method)}]`
        : `allowedHeaders: [${(ctx.requestHeaders ?? []).map(q).join(', ')}]`,
      preflightNginx,
    ),
  };
}

function methodRefused({ f, ctx, preflightNginx }: FixInput): CauseAndFix {
  const lower =
    ctx.method !== ctx.method.toUpperCase()
      ? ` Methods compare case-sensitively and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT: ${q(ctx.method)} is sent as written, so write it in the page as ${q(ctx.method.toUpperCase())} or list ${q(ctx.method)}.`
      : '';
  // Firefox's message names no method: a placeholder, never an empty ''.
  const method = f.hint === '' ? '<METHOD>' : f.hint;
  return {
    cause: `The preflight's Access-Control-Allow-Methods does not include ${f.hint === '' ? "the request's method (the message does not name it)" : f.hint}.${lower}`,
    fix: optionsFix(
      `Add ${f.hint === '' ? "your request's method (replace <METHOD>)" : f.hint} to the allowed methods.`,
      `methods: ${extended(ctx.allowedMethods, [method], true)}`,
      preflightNginx,
    ),
  };
}

function headerRefused({ f, ctx, preflightNginx }: FixInput): CauseAndFix {
  const refused = f.refused ?? [];
  const which =
    refused.length > 1
      ? `The request sends headers the preflight's Access-Control-Allow-Headers does not list: ${refused.join(', ')} (Chromium names one of them).`
      : `The request sends the header ${f.hint}, and the preflight's Access-Control-Allow-Headers does not list it.`;
  const authorization =
    f.hint === 'authorization'
      ? " A '*' never covers Authorization under the standard; Chromium 156, Firefox 153 ESR (with a deprecation warning) and WebKitGTK 2.50 still let it through, so a browser that refuses it follows the standard."
      : '';
  return {
    cause: which + authorization,
    fix: optionsFix(
      `Add ${(f.refused ?? [f.hint]).join(', ')} to the allowed headers.`,
      `allowedHeaders: ${extended(ctx.allowedHeaders, union(ctx.requestHeaders, [f.hint]))}`,
      preflightNginx,
    ),
  };
}

/**
 * One builder per failure (preflight variants share their base code's builder). A flat table, so
 * that every code's sentence is found by its name.
 */
const FIXES: Record<string, (input: FixInput) => CauseAndFix> = {
  MissingAllowOriginHeader: missingAllowOrigin,
  MultipleAllowOriginValues: ({ f, origin, allowOrigin, onPreflight }) => ({
    cause: `${onPreflight} names several origins (${q(f.hint)}). The header takes exactly one origin or '*': a list, or two header lines (often the application and a proxy both adding CORS headers), is refused.`,
    fix: optionsFix(
      "Send one origin: the request's own, when it is allowed. With a list of allowed origins, corsica (like cors and @fastify/cors) echoes the one that matched. Make sure only one layer adds CORS headers.",
      allowOrigin,
      `map $http_origin $cors_origin { default ""; "${origin}" $http_origin; } ... add_header Access-Control-Allow-Origin $cors_origin always; add_header Vary "Origin" always;`,
    ),
  }),
  InvalidAllowOriginValue: allowOriginMismatch,
  AllowOriginMismatch: allowOriginMismatch,
  WildcardOriginNotAllowed: ({ origin, onPreflight }) => ({
    cause: `The request carries credentials (credentials: 'include'), and ${onPreflight.toLowerCase()} answers Access-Control-Allow-Origin: *. Browsers never give credentialed responses to '*'.`,
    fix: optionsFix(
      `Name the origin instead of '*', and allow credentials.`,
      `origin: [${q(origin)}], credentials: true`,
      nginxOrigin(origin, true),
    ),
  }),
  InvalidAllowCredentials: ({ f, origin, onPreflight }) => ({
    cause: `The request carries credentials (credentials: 'include'), so ${onPreflight.toLowerCase()} must say Access-Control-Allow-Credentials: true (exactly, lower case); it says ${f.hint === '' ? 'nothing' : q(f.hint)}.`,
    fix: optionsFix(
      'Allow credentials for this origin, or send the request without credentials.',
      `origin: [${q(origin)}], credentials: true`,
      nginxOrigin(origin, true),
    ),
  }),
  PreflightInvalidStatus: ({ ctx, preflightNginx }) => ({
    cause: `The preflight (OPTIONS) got status ${ctx.status ?? 'non-2xx'}, but a preflight needs a 2xx answer. Usually no route answers OPTIONS, or authentication rejects it: preflights never carry cookies or Authorization.`,
    fix: {
      summary: 'Answer OPTIONS preflights with 204 before any authentication or routing.',
      corsica: 'app.use(cors({ ... }))  // first, before auth; it ends preflights with 204',
      cors: 'app.use(cors({ ... }))  // first, before auth (cors ends preflights with 204)',
      fastify: 'await fastify.register(cors, { ... })  // registers an OPTIONS handler for every route',
      hono: "app.use('*', cors({ ... }))  // first, before auth: hono/cors ends preflights with 204",
      nginx: preflightNginx,
    },
  }),
  PreflightDisallowedRedirect: ({ ctx, preflightNginx }) => ({
    cause: `The preflight (OPTIONS) was answered with a redirect (status ${ctx.status ?? '3xx'}). Browsers never follow redirects on preflights: a trailing-slash, http-to-https or login redirect breaks every preflighted request.`,
    fix: {
      summary: 'Call the final URL directly, and answer OPTIONS where it is sent instead of redirecting it.',
      corsica: 'Request the URL the server redirects to; mount cors() before any redirecting middleware.',
      cors: 'Request the URL the server redirects to; mount cors() before any redirecting middleware.',
      fastify: 'Request the URL the server redirects to (mind trailing slashes: ignoreTrailingSlash: true).',
      hono: "Request the URL the server redirects to; mount cors() with app.use('*', ...) before any redirecting middleware.",
      nginx: preflightNginx,
    },
  }),
  InvalidAllowMethodsPreflightResponse: invalidList,
  InvalidAllowHeadersPreflightResponse: invalidList,
  MethodDisallowedByPreflightResponse: methodRefused,
  HeaderDisallowedByPreflightResponse: headerRefused,
  RedirectContainsCredentials: ({ f }) => ({
    cause: `A redirect sent the request to ${q(f.location ?? f.hint)}, a URL with a user name or password; browsers refuse that for cross-origin requests.`,
    fix: notAnOption(
      'Redirect to a URL without user:password@.',
      'Not a CORS option: change the Location header the server sends.',
      'return 301 https://host/path;  # no user:password@ in the target',
    ),
  }),
  CorsDisabledScheme: () => ({
    cause:
      'CORS works only for http: and https: URLs; this request goes to another scheme (or comes from a file: page).',
    fix: notAnOption(
      'Serve both the page and the API over http(s), e.g. with a local dev server.',
      'Not a CORS option: open the page from http://localhost instead of file://.',
      'Not a CORS setting: serve the page over http(s).',
    ),
  }),
};

/** Cause and fix for a failure in context. */
export function fixFor(f: CorsFailureCore, ctx: FailureContext): CauseAndFix {
  const code = baseCode(f.code);
  if (ctx.tainted === true && (code === 'AllowOriginMismatch' || code === 'MissingAllowOriginHeader'))
    return taintedOriginFix(f);
  const preflightNginx = nginxPreflight(ctx.origin, ctx.credentialed, ctx.method, ctx.requestHeaders ?? []);
  const build = FIXES[code] ?? FIXES.CorsDisabledScheme!;
  return build({
    f,
    ctx,
    origin: ctx.origin,
    allowOrigin: originOptions(ctx),
    onPreflight: f.code.startsWith('Preflight') ? 'The preflight (OPTIONS) response' : 'The response',
    preflightNginx,
  });
}
