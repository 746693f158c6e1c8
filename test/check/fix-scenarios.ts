// Servers misconfigured the way people do, one per fix `corsica check` can print: the request
// that fails on them, the failure it gets, and what the pasted fix must keep. Run by
// test/check/fixes-pasted.test.ts and fixes-pasted-codes.test.ts (test/helpers/check-fix-run.ts);
// fixes-pasted-codes.test.ts also checks that every failure code has one.

import corsPackage from 'cors';
import { corsica, JSON_POST, PAGE, type Scenario } from '../helpers/check-fix-run.js';
import { expressBehind } from '../helpers/pasted-fix.js';

/** The failures people meet first: origins, credentials and lists. */
export const FIRST_SCENARIOS: readonly Scenario[] = [
  {
    name: 'a refused Authorization header: the fix keeps the origin, credentials and methods',
    broken: (app) => app.use(corsica({ origin: PAGE, credentials: true, allowedHeaders: ['Content-Type'] })),
    flags: [...JSON_POST, '--header', 'Authorization: Bearer t', '--credentials'],
    code: 'HeaderDisallowedByPreflightResponse',
    keeps: [{ on: 'preflight', header: 'access-control-allow-methods', names: ['PUT', 'PATCH', 'DELETE'] }],
    // The note about '*' is for servers that sent '*', and this one did not.
    notCause: /A '\*' never covers Authorization/,
  },
  {
    name: 'an origin missing from the list: the fix adds it, with credentials',
    broken: (app) => app.use(corsica({ origin: ['https://admin.example.com'], credentials: true })),
    flags: ['--credentials'],
    code: 'MissingAllowOriginHeader',
  },
  {
    name: "cors's fixed origin is another one: the fix keeps it beside the page's",
    broken: (app) => app.use(corsPackage({ origin: 'https://app.example.com' })),
    flags: [],
    code: 'AllowOriginMismatch',
    kept: 'https://app.example.com',
  },
  {
    name: "the default '*' with credentials: the fix names the origin, and keeps the exposed headers",
    broken: (app) => app.use(corsPackage({ exposedHeaders: ['X-Total-Count'] })),
    flags: ['--credentials'],
    code: 'WildcardOriginNotAllowed',
    keeps: [{ on: 'actual', header: 'access-control-expose-headers', names: ['x-total-count'] }],
  },
  {
    name: 'a method missing: the fix keeps the methods, headers and max-age the preflight showed',
    broken: (app) =>
      app.use(
        corsica({ origin: [PAGE], methods: ['GET', 'POST'], allowedHeaders: ['X-Api-Key'], maxAge: 600 }),
      ),
    flags: ['--method', 'DELETE', '--header', 'X-Api-Key: k'],
    code: 'MethodDisallowedByPreflightResponse',
    keeps: [
      { on: 'preflight', header: 'access-control-allow-methods', names: ['GET', 'POST', 'DELETE'] },
      { on: 'preflight', header: 'access-control-allow-headers', names: ['x-api-key'] },
      { on: 'preflight', header: 'access-control-max-age', names: ['600'] },
    ],
  },
  {
    name: 'authentication before CORS answers the preflight 401: the fix goes first',
    broken: (app) => {
      app.use(expressBehind('auth') as never);
      app.use(corsica({ origin: [PAGE] }));
    },
    behind: 'auth',
    flags: ['--method', 'PUT', '--header', 'Authorization: Bearer t'],
    code: 'PreflightMissingAllowOriginHeader',
    cause: /answered 401 by authentication that runs before CORS/,
    words: { nginx: /before auth_request; .*"always" keeps it on 4xx answers/ },
  },
  {
    name: "Express's own answer to OPTIONS (CORS only on the POST route): its own cause",
    broken: (app) => {
      app.post('/api/items', corsica({ origin: PAGE }), (_req, res) => {
        res.json({ ok: true });
      });
    },
    ownRoutes: true,
    flags: JSON_POST,
    code: 'PreflightMissingAllowOriginHeader',
    cause:
      /answered 200 with Allow: POST and no CORS header: the framework answered OPTIONS itself .* No CORS middleware runs on OPTIONS for this path/,
  },
];

const PUT = ['--method', 'PUT', '--header', 'Content-Type: application/json', '--data', '{}'];
const OTHER = 'https://admin.example.com';

/** Every other failure code, and each cause a status gives a missing allow-origin. */
export const CODE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'cookies sent, credentials not allowed: the fix allows them for the origin',
    broken: (app) => app.use(corsica({ origin: PAGE })),
    flags: ['--credentials'],
    code: 'InvalidAllowCredentials',
  },
  {
    name: 'cookies sent with a preflighted request, credentials not allowed on the preflight',
    broken: (app) => app.use(corsica({ origin: PAGE })),
    flags: [...PUT, '--credentials'],
    code: 'PreflightInvalidAllowCredentials',
  },
  {
    name: "two CORS layers (cors's '*' and a hand-written echo): the fix sends one origin",
    broken: (app) => {
      app.use(corsPackage());
      app.use((req, res, next) => {
        res.append('Access-Control-Allow-Origin', req.headers.origin ?? '*');
        next();
      });
    },
    flags: [],
    code: 'MultipleAllowOriginValues',
  },
  {
    name: 'an origin list written as one string: the fix keeps both origins, as a list',
    broken: (app) => app.use(corsPackage({ origin: `${OTHER},${PAGE}` })),
    flags: PUT,
    code: 'PreflightMultipleAllowOriginValues',
    kept: OTHER,
  },
  {
    name: 'an origin written without its scheme (a bare host name): the fix writes the origin',
    broken: (app) => app.use(corsPackage({ origin: 'app.example.com' })),
    flags: [],
    code: 'InvalidAllowOriginValue',
  },
  {
    name: 'an origin written without its scheme, on the preflight',
    broken: (app) => app.use(corsPackage({ origin: 'app.example.com' })),
    flags: PUT,
    code: 'PreflightInvalidAllowOriginValue',
  },
  {
    name: "cors's fixed origin is another one, on the preflight: the fix keeps it",
    broken: (app) => app.use(corsPackage({ origin: OTHER, methods: ['GET', 'PUT'] })),
    flags: PUT,
    code: 'PreflightAllowOriginMismatch',
    kept: OTHER,
  },
  {
    name: "the default '*' with credentials, on the preflight",
    broken: (app) => app.use(corsPackage()),
    flags: [...PUT, '--credentials'],
    code: 'PreflightWildcardOriginNotAllowed',
  },
  {
    name: 'methods written as one string with spaces: the fix writes a list',
    broken: (app) => app.use(corsPackage({ origin: PAGE, methods: 'GET POST PUT' })),
    flags: PUT,
    code: 'InvalidAllowMethodsPreflightResponse',
  },
  {
    name: 'allowed headers written with semicolons: the fix writes a list',
    broken: (app) => app.use(corsPackage({ origin: PAGE, allowedHeaders: 'Content-Type; Authorization' })),
    flags: [...JSON_POST, '--header', 'Authorization: Bearer t'],
    code: 'InvalidAllowHeadersPreflightResponse',
  },
  {
    name: 'preflightContinue hands the preflight to authentication, which answers 401',
    broken: (app) => {
      app.use(corsPackage({ origin: PAGE, preflightContinue: true }));
      app.use(expressBehind('auth') as never);
    },
    behind: 'auth',
    flags: ['--method', 'PUT', '--header', 'Authorization: Bearer t'],
    code: 'PreflightInvalidStatus',
  },
  {
    name: 'a canonical-URL redirect before CORS redirects the preflight: the request goes to the final URL',
    broken: (app) => {
      app.use(expressBehind('redirects') as never);
      app.use(corsica({ origin: PAGE }));
    },
    behind: 'redirects',
    flags: PUT,
    code: 'PreflightDisallowedRedirect',
    cause: /answered with a redirect \(status 302\)/,
    words: {
      corsica:
        /^Request the URL the server redirects to; mount cors\(\) before any redirecting middleware\.$/,
      cors: /^Request the URL the server redirects to; mount cors\(\) before any redirecting middleware\.$/,
      fastify:
        /^Request the URL the server redirects to \(mind trailing slashes: ignoreTrailingSlash: true\)\.$/,
      hono: /^Request the URL the server redirects to; mount cors\(\) with app\.use\('\*', \.\.\.\) before any redirecting middleware\.$/,
    },
  },
  {
    name: 'the same redirected preflight as Firefox words it (no allow-origin): the fix puts CORS first',
    broken: (app) => {
      app.use(expressBehind('redirects') as never);
      app.use(corsica({ origin: PAGE }));
    },
    behind: 'redirects',
    flags: [...PUT, '--browser', 'firefox'],
    code: 'PreflightMissingAllowOriginHeader',
    blocked: 'Firefox blocked (CORSMissingAllowOrigin2)',
    cause: /The preflight \(OPTIONS\) was answered with a 302 redirect, without CORS headers/,
  },
  // Authentication answering the preflight 401 before CORS is in FIRST_SCENARIOS.
  ...(['auth', 'redirects', 'missing', 'fails'] as const).flatMap((behind): Scenario[] => {
    const broken: Scenario['broken'] = (app) => {
      app.use(expressBehind(behind) as never);
      app.use(corsica({ origin: PAGE }));
    };
    const status = { auth: 401, redirects: 302, missing: 404, fails: 500 }[behind];
    const request: Scenario = {
      name: `the request answered ${status} before CORS ran: the fix puts CORS first`,
      broken,
      behind,
      flags: [],
      code: 'MissingAllowOriginHeader',
      cause: new RegExp(`(answered|with a|failed with) ${status}`),
      // nginx's line says which directive, and "always", but not the whole configuration.
      words: { nginx: /^add_header Access-Control-Allow-Origin \.\.\. always;/ },
    };
    const preflight: Scenario = {
      name: `the preflight answered ${status} before CORS ran: the fix puts CORS first`,
      broken,
      behind,
      flags: PUT,
      code: 'PreflightMissingAllowOriginHeader',
      cause: new RegExp(`The preflight \\(OPTIONS\\) (was answered|failed with) ${status}`),
      ...(behind === 'fails' ? { words: { nginx: /"always" keeps it on 5xx answers/ } } : {}),
    };
    // A redirected preflight is PreflightDisallowedRedirect (above), and an unauthenticated one is
    // in FIRST_SCENARIOS.
    return behind === 'auth' || behind === 'redirects' ? [request] : [request, preflight];
  }),
];

/** Fixes that are words in every tool: check prints them from a real server all the same. */
export const WORDS_SCENARIOS: readonly Scenario[] = [
  {
    name: 'a redirect to a URL with user:password@: every line says to change the Location',
    broken: (app) => {
      app.use(corsica({ origin: PAGE }));
      app.use((_req, res) => res.redirect(302, 'http://deploy:hunter2@127.0.0.1/api/items'));
    },
    ownRoutes: true,
    flags: [],
    code: 'RedirectContainsCredentials',
    cause: /a URL with a user name or password/,
    words: {
      corsica: /^Not a CORS option: change the Location header the server sends\.$/,
      cors: /^Not a CORS option: change the Location header the server sends\.$/,
      fastify: /^Not a CORS option: change the Location header the server sends\.$/,
      hono: /^Not a CORS option: change the Location header the server sends\.$/,
      nginx: /^return 301 https:\/\/host\/path; {2}# no user:password@ in the target$/,
    },
  },
];
