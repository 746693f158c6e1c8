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
