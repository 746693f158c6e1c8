// The code the playground shows for the current policy: the same policy for corsica, cors/Express,
// Fastify, Hono and nginx, and the page's fetch. "The same" is checked, not hoped for: each peer's
// option text is evaluated and run in the real package, and the nginx text in a real nginx, by
// test/playground/snippets.test.ts. corsica's patterns (`https://*.example.com`,
// `http://localhost:*`) mean nothing to the peers, which compare strings whole: they become
// anchored RegExps (cors, @fastify/cors) or a function (hono/cors).

import { DEFAULT_METHODS } from '../policy/validate.js';

/** The options the playground's form produces (JSON: patterns are strings, never RegExps). */
export interface SnippetOptions {
  readonly origin?: boolean | string | readonly string[];
  readonly methods?: string | readonly string[];
  readonly allowedHeaders?: string | readonly string[];
  readonly exposedHeaders?: string | readonly string[];
  readonly credentials?: boolean;
  readonly maxAge?: number;
}

export interface SnippetRequest {
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly credentials: boolean;
  readonly body: string | null;
  readonly target: string | null;
}

/** corsica's default methods, which the peer snippets must spell out (theirs differ). */
const DEFAULT_METHOD_LIST = DEFAULT_METHODS.split(',');

const list = (v: string | readonly string[] | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : Array.isArray(v)
      ? [...v]
      : String(v)
          .split(',')
          .map((s) => s.trim());

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A corsica pattern as an anchored RegExp source: `*.` any subdomain (never the apex), `:*` any port. */
function patternSource(pattern: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^:/]+)(:\*|:\d+)?$/.exec(pattern);
  if (m === null) return `^${escapeRegExp(pattern)}$`;
  const [, scheme, sub, host, port] = m;
  const subdomains = sub === undefined ? '' : '(?:[a-z0-9-]+\\.)+';
  const portPart = port === undefined ? '' : port === ':*' ? '(?::\\d+)?' : escapeRegExp(port);
  return `^${escapeRegExp(`${scheme}://`)}${subdomains}${escapeRegExp(host!)}${portPart}$`;
}

const isPattern = (origin: string) => origin.includes('*') && origin !== '*';

/** The origin option's exact origins and patterns; null for `'*'`, `true` or no origin option. */
function originParts(origin: SnippetOptions['origin']): { exact: string[]; patterns: string[] } | null {
  if (origin === undefined || origin === '*' || typeof origin === 'boolean') return null;
  const all = typeof origin === 'string' ? [origin] : [...origin];
  return { exact: all.filter((o) => !isPattern(o)), patterns: all.filter(isPattern) };
}

/** The origin option as JS source for cors and @fastify/cors: exact strings and RegExps. */
function corsOriginSource(o: SnippetOptions): string {
  const parts = originParts(o.origin);
  if (parts === null) return JSON.stringify(o.origin ?? '*');
  const items = [
    ...parts.exact.map((e) => JSON.stringify(e)),
    ...parts.patterns.map((p) => `/${patternSource(p)}/`),
  ];
  return `[${items.join(', ')}]`;
}

/** The options for cors and @fastify/cors, as a JS object literal (RegExps included). */
export function corsOptionsSource(o: SnippetOptions): string {
  const fields = [`origin: ${corsOriginSource(o)}`];
  if (o.methods !== undefined) fields.push(`methods: ${JSON.stringify(list(o.methods))}`);
  // @fastify/cors's default methods are GET,HEAD,POST; corsica's are wider: say what corsica means.
  else fields.push(`methods: ${JSON.stringify(DEFAULT_METHOD_LIST)}`);
  if (o.allowedHeaders !== undefined)
    fields.push(`allowedHeaders: ${JSON.stringify(list(o.allowedHeaders))}`);
  if (o.exposedHeaders !== undefined)
    fields.push(`exposedHeaders: ${JSON.stringify(list(o.exposedHeaders))}`);
  if (o.credentials === true) fields.push('credentials: true');
  if (o.maxAge !== undefined) fields.push(`maxAge: ${o.maxAge}`);
  return `{ ${fields.join(', ')} }`;
}

/** The options for hono/cors, as a JS object literal: patterns through an origin function. */
export function honoOptionsSource(o: SnippetOptions): string {
  const parts = originParts(o.origin);
  let origin: string;
  if (parts === null) origin = JSON.stringify(o.origin === true ? '*' : (o.origin ?? '*'));
  else if (parts.patterns.length === 0) origin = JSON.stringify(parts.exact);
  else {
    const tests = [
      ...(parts.exact.length > 0 ? [`${JSON.stringify(parts.exact)}.includes(origin)`] : []),
      ...parts.patterns.map((p) => `/${patternSource(p)}/.test(origin)`),
    ];
    origin = `(origin) => (${tests.join(' || ')} ? origin : null)`;
  }
  const fields = [`origin: ${origin}`];
  fields.push(`allowMethods: ${JSON.stringify(list(o.methods) ?? DEFAULT_METHOD_LIST)}`);
  if (o.allowedHeaders !== undefined) fields.push(`allowHeaders: ${JSON.stringify(list(o.allowedHeaders))}`);
  if (o.exposedHeaders !== undefined) fields.push(`exposeHeaders: ${JSON.stringify(list(o.exposedHeaders))}`);
  if (o.credentials === true) fields.push('credentials: true');
  if (o.maxAge !== undefined) fields.push(`maxAge: ${o.maxAge}`);
  return `{ ${fields.join(', ')} }`;
}

/**
 * The policy as nginx directives for a `location` block. Every add_header is repeated inside the
 * OPTIONS `if`: add_header in a block replaces all the ones it inherits, so the credentials and
 * Vary lines would otherwise vanish from preflights.
 */
export function nginxLines(o: SnippetOptions): string[] {
  const parts = originParts(o.origin);
  const any = parts === null && o.origin !== true;
  const allowOrigin = any ? '"*"' : '$cors_origin';
  const map: string[] = [];
  if (o.origin === true)
    map.push('# map in the http block:', 'map $http_origin $cors_origin { default $http_origin; }');
  else if (parts !== null) {
    const entries = [
      ...parts.exact.map((e) => `"${e}" $http_origin;`),
      ...parts.patterns.map((p) => `"~${patternSource(p)}" $http_origin;`),
    ];
    map.push(
      '# map in the http block:',
      `map $http_origin $cors_origin { default ""; ${entries.join(' ')} }`,
    );
  }
  const common = [`add_header Access-Control-Allow-Origin ${allowOrigin} always;`];
  if (o.credentials === true) common.push('add_header Access-Control-Allow-Credentials "true" always;');
  if (!any) common.push('add_header Vary "Origin" always;');
  const actual = [...common];
  if (o.exposedHeaders !== undefined)
    actual.push(`add_header Access-Control-Expose-Headers "${list(o.exposedHeaders)!.join(', ')}" always;`);
  const headers =
    o.allowedHeaders === undefined
      ? '$http_access_control_request_headers'
      : `"${list(o.allowedHeaders)!.join(', ')}"`;
  const preflight = [
    ...common,
    `add_header Access-Control-Allow-Methods "${(list(o.methods) ?? DEFAULT_METHOD_LIST).join(', ')}" always;`,
    `add_header Access-Control-Allow-Headers ${headers} always;`,
    ...(o.maxAge === undefined ? [] : [`add_header Access-Control-Max-Age "${o.maxAge}" always;`]),
  ];
  return [
    ...map,
    ...actual,
    'if ($request_method = OPTIONS) {',
    ...preflight.map((l) => `  ${l}`),
    '  return 204;',
    '}',
  ];
}

/** Every snippet, as the page shows them. */
export function snippets(o: SnippetOptions, request: SnippetRequest, api: string): string {
  const init: Record<string, unknown> = { method: request.method };
  if (request.headers.length > 0) init.headers = Object.fromEntries(request.headers);
  if (request.credentials) init.credentials = 'include';
  if (request.body !== null) init.body = request.body;
  const corsOptions = corsOptionsSource(o);
  return [
    '// corsica (Express, Connect, node:http)',
    "import cors from 'corsica/node';",
    `app.use(cors(${JSON.stringify(o)}));`,
    '',
    '// cors + Express (patterns written as RegExps: cors compares strings whole)',
    "import cors from 'cors';",
    `app.use(cors(${corsOptions}));`,
    '',
    '// Fastify',
    `await fastify.register(import('@fastify/cors'), ${corsOptions});`,
    '',
    '// Hono',
    "import { cors } from 'hono/cors';",
    `app.use('*', cors(${honoOptionsSource(o)}));`,
    '',
    '# nginx (in the location block)',
    ...nginxLines(o),
    '',
    '// the page',
    `await fetch(${JSON.stringify(request.target || `${api}/items`)}, ${JSON.stringify(init)});`,
  ].join('\n');
}
