// Cause and fix for each CORS failure, written for the person who has to change the server: the
// corsica option, and the same change for `cors`/Express, @fastify/cors, hono/cors and nginx. A fix
// written as options is a whole configuration (fix-config.ts): what the server's answers showed
// plus what the request needs, so that pasted alone in place of the server's own, it keeps what the
// server had.

import { baseCode, type CorsFailureCore } from '../browser/codes.js';
import { measuredOn } from '../browser/engines.js';
import { type FixNeeds, fixConfig } from './fix-config.js';
import type { AdviceContext } from './granted.js';
import { configFix, type Fix, nginxActual, nginxWhole, type OptionsSpec, q } from './options-text.js';

export type { Fix } from './options-text.js';

/**
 * A fix written as options: the same configuration for corsica, cors, @fastify/cors and hono/cors
 * (options-text.ts writes each), with a note on where to put it after each import comment.
 */
const optionsFix = (summary: string, spec: OptionsSpec, nginx: string, note = '', fastifyNote = note) =>
  configFix(summary, spec, nginx, { all: note, fastify: fastifyNote });

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

/** What every fix builder gets besides the failure: the values most of them write into their text. */
interface FixInput {
  readonly f: CorsFailureCore;
  readonly ctx: AdviceContext;
  readonly origin: string;
  /** The whole configuration: the server's, as its answers showed it, plus the fix. */
  readonly config: OptionsSpec;
  /** "The preflight (OPTIONS) response" or "The response". */
  readonly onPreflight: string;
  /** The configuration in nginx: the preflight block that answers this request, then every answer's headers. */
  readonly preflightNginx: string;
  /**
   * The configuration in nginx for where the failure was found: the whole configuration for a
   * failed preflight (every answer's headers alone leave the preflight without its lists, so the
   * next preflight fails on the method), every answer's headers otherwise.
   */
  readonly nginx: string;
}

type CauseAndFix = { cause: string; fix: Fix };

/**
 * No Access-Control-Allow-Origin on an answer whose status says why: the most common causes of
 * "No 'Access-Control-Allow-Origin' header" are not a missing origin in a list but an answer that
 * never reached the CORS middleware. Null when the status is 2xx or unknown.
 */
function missingAllowOriginByStatus({ f, ctx, preflightNginx, config }: FixInput): CauseAndFix | null {
  const status = ctx.status;
  if (status === undefined || (status >= 200 && status < 300)) return null;
  const preflight = f.code.startsWith('Preflight');
  const what = preflight ? 'The preflight (OPTIONS)' : 'The request';
  const before = (summary: string, note: string, nginx: string): Fix =>
    optionsFix(
      summary,
      config,
      nginx,
      note,
      'its onRequest hook runs before your auth hooks and answers preflights',
    );
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

/** The path of a URL, for an `app.options(path, ...)` in a fix; '/' when it is not a URL. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/**
 * A preflight answered 2xx with `Allow` and no CORS header: the framework answered OPTIONS itself
 * (Express does, for a path with routes but no OPTIONS route), so no CORS middleware ran for it.
 */
function frameworkAnsweredOptions({ ctx, preflightNginx, config }: FixInput): CauseAndFix | null {
  if (ctx.allowWithoutCors === undefined) return null;
  const path = pathOf(ctx.url);
  return {
    cause: `The preflight (OPTIONS) was answered ${ctx.status ?? 200} with Allow: ${ctx.allowWithoutCors} and no CORS header: the framework answered OPTIONS itself (Express does for a path that has routes but no OPTIONS route). No CORS middleware runs on OPTIONS for this path: it is mounted on the route's own method (app.post('${path}', cors(), ...)) or after the routes.`,
    fix: optionsFix(
      `Let the CORS middleware answer OPTIONS for ${path}: mount it app-wide, before the routes (or add app.options('${path}', cors(...)) beside the route).`,
      config,
      preflightNginx,
      'app-wide, before the routes, so that it answers OPTIONS',
      'it answers OPTIONS for every route',
    ),
  };
}

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

const missingAllowOrigin = (input: FixInput): CauseAndFix => {
  const { f, ctx, origin, config, onPreflight, nginx } = input;
  return (
    (f.code.startsWith('Preflight') ? frameworkAnsweredOptions(input) : null) ??
    missingAllowOriginByStatus(input) ?? {
      cause: `${onPreflight} has no Access-Control-Allow-Origin header: the server did not grant ${q(origin)} access. Either CORS is not set up for this route, the origin is not in the server's allowed list, or an answer that skipped the CORS middleware (authentication refusing ${f.code.startsWith('Preflight') ? 'the preflight, which never carries credentials' : 'the request'}, an error, a missing route) came back instead.`,
      fix: optionsFix(
        `Allow the origin ${origin}${ctx.credentialed ? ' with credentials' : ''}, and make sure the CORS middleware answers before authentication and error handlers.`,
        config,
        nginx,
      ),
    }
  );
};

const allowOriginMismatch = ({ f, origin, config, onPreflight, nginx }: FixInput): CauseAndFix => ({
  cause: `${onPreflight} allows ${q(f.hint)}, but the page's origin is ${q(origin)}; the two must be equal byte for byte.${mismatchHint(f.hint, origin)}`,
  fix: optionsFix(`Allow exactly ${origin}.`, config, nginx),
});

function invalidList({ f, preflightNginx, config }: FixInput): CauseAndFix {
  const header = f.code === 'InvalidAllowMethodsPreflightResponse' ? 'Methods' : 'Headers';
  return {
    cause: `The preflight's Access-Control-Allow-${header} is not a comma-separated list of names (HTTP tokens), so the browser discards the whole answer.`,
    fix: optionsFix(
      `Send a plain list such as ${header === 'Methods' ? "'GET, POST, PUT'" : "'Content-Type, Authorization'"}.`,
      config,
      preflightNginx,
    ),
  };
}

function methodRefused({ f, ctx, preflightNginx, config }: FixInput): CauseAndFix {
  const lower =
    ctx.method !== ctx.method.toUpperCase()
      ? ` Methods compare case-sensitively and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT: ${q(ctx.method)} is sent as written, so write it in the page as ${q(ctx.method.toUpperCase())} or list ${q(ctx.method)}.`
      : '';
  return {
    cause: `The preflight's Access-Control-Allow-Methods does not include ${f.hint === '' ? "the request's method (the message does not name it)" : f.hint}.${lower}`,
    fix: optionsFix(
      `Add ${f.hint === '' ? "your request's method (replace <METHOD>)" : f.hint} to the allowed methods.`,
      config,
      preflightNginx,
    ),
  };
}

function headerRefused({ f, ctx, preflightNginx, config }: FixInput): CauseAndFix {
  const refused = f.refused ?? [];
  const which =
    refused.length > 1
      ? `The request sends headers the preflight's Access-Control-Allow-Headers does not list: ${refused.join(', ')} (Chromium names one of them).`
      : `The request sends the header ${f.hint}, and the preflight's Access-Control-Allow-Headers does not list it.`;
  // Only when the server sent '*': otherwise the note explains a mistake nobody made.
  const authorization =
    f.hint === 'authorization' && ctx.granted?.headersWildcard === true
      ? ` A '*' never covers Authorization under the standard; ${measuredOn('chromium')}, ${measuredOn('firefox')} (with a deprecation warning) and ${measuredOn('webkit')} still let it through, so a browser that refuses it follows the standard.`
      : '';
  return {
    cause: which + authorization,
    fix: optionsFix(
      `Add ${(f.refused ?? [f.hint]).join(', ')} to the allowed headers.`,
      config,
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
  MultipleAllowOriginValues: ({ f, config, onPreflight, nginx }) => ({
    cause: `${onPreflight} names several origins (${q(f.hint)}). The header takes exactly one origin or '*': a list, or two header lines (often the application and a proxy both adding CORS headers), is refused.`,
    fix: optionsFix(
      "Send one origin: the request's own, when it is allowed. With a list of allowed origins, corsica (like cors and @fastify/cors) echoes the one that matched. Make sure only one layer adds CORS headers.",
      config,
      nginx,
    ),
  }),
  InvalidAllowOriginValue: allowOriginMismatch,
  AllowOriginMismatch: allowOriginMismatch,
  WildcardOriginNotAllowed: ({ config, onPreflight, nginx }) => ({
    cause: `The request carries credentials (credentials: 'include'), and ${onPreflight.toLowerCase()} answers Access-Control-Allow-Origin: *. Browsers never give credentialed responses to '*'.`,
    fix: optionsFix(`Name the origin instead of '*', and allow credentials.`, config, nginx),
  }),
  InvalidAllowCredentials: ({ f, config, onPreflight, nginx }) => ({
    cause: `The request carries credentials (credentials: 'include'), so ${onPreflight.toLowerCase()} must say Access-Control-Allow-Credentials: true (exactly, lower case); it says ${f.hint === '' ? 'nothing' : q(f.hint)}.`,
    fix: optionsFix(
      'Allow credentials for this origin, or send the request without credentials.',
      config,
      nginx,
    ),
  }),
  PreflightInvalidStatus: ({ ctx, preflightNginx, config }) => ({
    cause: `The preflight (OPTIONS) got status ${ctx.status ?? 'non-2xx'}, but a preflight needs a 2xx answer. Usually no route answers OPTIONS, or authentication rejects it: preflights never carry cookies or Authorization.`,
    fix: optionsFix(
      'Answer OPTIONS preflights with 204 before any authentication or routing.',
      config,
      preflightNginx,
      'first, before auth; it ends preflights with 204',
      'it registers an OPTIONS handler for every route',
    ),
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

/** What a failure needs beyond the request's own method and headers: the name its message quotes. */
function needsOf(f: CorsFailureCore, code: string): FixNeeds {
  // Firefox's message names no method: a placeholder, never an empty ''.
  if (code === 'MethodDisallowedByPreflightResponse')
    return { methods: [f.hint === '' ? '<METHOD>' : f.hint] };
  if (code === 'HeaderDisallowedByPreflightResponse') return { headers: f.refused ?? [f.hint] };
  // A list the browser could not parse is not the server's to keep.
  if (code === 'InvalidAllowMethodsPreflightResponse') return { unreadable: 'methods' };
  if (code === 'InvalidAllowHeadersPreflightResponse') return { unreadable: 'headers' };
  return {};
}

/** Cause and fix for a failure in context. */
export function fixFor(f: CorsFailureCore, ctx: AdviceContext): CauseAndFix {
  const code = baseCode(f.code);
  if (ctx.tainted === true && (code === 'AllowOriginMismatch' || code === 'MissingAllowOriginHeader'))
    return taintedOriginFix(f);
  const config = fixConfig(ctx, needsOf(f, code));
  const build = FIXES[code] ?? FIXES.CorsDisabledScheme!;
  const preflight = f.code.startsWith('Preflight');
  const preflightNginx = nginxWhole(config);
  return build({
    f,
    ctx,
    origin: ctx.origin,
    config,
    onPreflight: preflight ? 'The preflight (OPTIONS) response' : 'The response',
    preflightNginx,
    nginx: preflight ? preflightNginx : nginxActual(config),
  });
}
