// The code the playground shows for the current policy: the same policy for corsica, cors/Express,
// Fastify, Hono and nginx (written by options-text.ts, as every fix is), and the page's fetch.
// "The same" is checked, not hoped for: each peer's option text is evaluated and run in the real
// package, and the nginx text in a real nginx, by test/playground/snippets.test.ts.

import { nginxText, type OptionsSpec, optionsText } from './options-text.js';

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

const list = (v: string | readonly string[] | undefined) =>
  v === undefined ? undefined : { names: typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [...v] };

/**
 * The form's options as the peers must be given them: corsica's default methods spelled out,
 * because the peers' defaults differ (@fastify/cors allows only GET, HEAD and POST).
 */
export function snippetSpec(o: SnippetOptions, defaultMethods: readonly string[]): OptionsSpec {
  const origin =
    o.origin === undefined || o.origin === '*'
      ? '*'
      : o.origin === true
        ? true
        : { names: o.origin === false ? [] : typeof o.origin === 'string' ? [o.origin] : [...o.origin] };
  const [methods, allowedHeaders, exposedHeaders] = [o.methods, o.allowedHeaders, o.exposedHeaders].map(list);
  return {
    origin,
    ...(o.credentials === true ? { credentials: true } : {}),
    methods: methods ?? { names: defaultMethods },
    ...(allowedHeaders === undefined ? {} : { allowedHeaders }),
    ...(exposedHeaders === undefined ? {} : { exposedHeaders }),
    ...(o.maxAge === undefined ? {} : { maxAge: o.maxAge }),
  };
}

/** The policy as nginx directives for a `location` block, the map (if any) for the http block. */
export function nginxLines(spec: OptionsSpec): string[] {
  const t = nginxText(spec);
  return [
    ...(t.http.length === 0 ? [] : ['# map in the http block:', ...t.http]),
    ...t.actual,
    'if ($request_method = OPTIONS) {',
    ...t.preflight.map((l) => `  ${l}`),
    '  return 204;',
    '}',
  ];
}

/** Every snippet, as the page shows them. */
export function snippets(
  o: SnippetOptions,
  request: SnippetRequest,
  api: string,
  defaultMethods: readonly string[],
): string {
  const init: Record<string, unknown> = { method: request.method };
  if (request.headers.length > 0) init.headers = Object.fromEntries(request.headers);
  if (request.credentials) init.credentials = 'include';
  if (request.body !== null) init.body = request.body;
  const spec = snippetSpec(o, defaultMethods);
  const corsOptions = optionsText(spec, 'cors');
  return [
    '// corsica (Express, Connect, node:http)',
    "import cors from 'corsica/node';",
    // The form's options are corsica's own: shown as typed.
    `app.use(cors(${JSON.stringify(o)}));`,
    '',
    '// cors + Express (patterns written as RegExps: cors compares strings whole)',
    "import cors from 'cors';",
    `app.use(cors({ ${corsOptions} }));`,
    '',
    '// Fastify',
    `await fastify.register(import('@fastify/cors'), { ${corsOptions} });`,
    '',
    '// Hono',
    "import { cors } from 'hono/cors';",
    `app.use('*', cors({ ${optionsText(spec, 'hono')} }));`,
    '',
    '# nginx (in the location block)',
    ...nginxLines(spec),
    '',
    '// the page',
    `await fetch(${JSON.stringify(request.target || `${api}/items`)}, ${JSON.stringify(init)});`,
  ].join('\n');
}
