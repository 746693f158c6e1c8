// One CORS configuration written for each tool: corsica, `cors` (Express), @fastify/cors,
// hono/cors and nginx. Every fix `check`, `explain` and `audit` print and every snippet the
// playground shows goes through here, so the five texts of one configuration cannot drift apart;
// the tests run each text in its real tool. corsica's patterns (`https://*.example.com`,
// `http://localhost:*`) mean nothing to the peers, which compare strings whole: they become
// anchored RegExps (cors, @fastify/cors), an origin function (hono/cors) or a regex map (nginx).

/** The same change in each tool's terms. */
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

/** A list to write; `rest`: a comment standing for names the writer cannot know. */
export interface NameList {
  readonly names: readonly string[];
  readonly rest?: string;
}

/** A configuration in corsica's vocabulary, which each writer below turns into its tool's. */
export interface OptionsSpec {
  /** `'*'`, `true` (echo any origin), or the origins: exact, or corsica patterns. */
  readonly origin: '*' | true | NameList;
  readonly credentials?: boolean;
  readonly methods?: NameList;
  /** Absent: every tool echoes the requested headers (cors's default, written out for nginx). */
  readonly allowedHeaders?: NameList;
  readonly exposedHeaders?: NameList;
  readonly maxAge?: number | string;
  /** Answer Private Network Access preflights: corsica's option and nginx (the other peers have none). */
  readonly privateNetwork?: boolean;
}

export type Tool = 'corsica' | 'cors' | 'hono';

/** A single-quoted JavaScript string. */
export const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const isPattern = (origin: string) => origin.includes('*') && origin !== '*';

/** A corsica pattern as an anchored RegExp source: `*.` any subdomain (never the apex), `:*` any port. */
export function patternSource(pattern: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^:/]+)(:\*|:\d+)?$/.exec(pattern);
  if (m === null) return `^${escapeRegExp(pattern)}$`;
  const [, scheme, sub, host, port] = m;
  const subdomains = sub === undefined ? '' : '(?:[a-z0-9-]+\\.)+';
  const portPart = port === undefined ? '' : port === ':*' ? '(?::\\d+)?' : escapeRegExp(port);
  return `^${escapeRegExp(`${scheme}://`)}${subdomains}${escapeRegExp(host!)}${portPart}$`;
}

/** A list literal, the comment for the unknown names first. */
function listText(list: NameList, item: (name: string) => string = q): string {
  return `[${list.rest === undefined ? '' : `/* ${list.rest}, */ `}${list.names.map(item).join(', ')}]`;
}

/** The origin option's value in a tool's terms. */
function originText(origin: OptionsSpec['origin'], tool: Tool): string {
  if (origin === '*') return "'*'";
  if (origin === true) return tool === 'hono' ? '(origin) => origin' : 'true';
  if (tool === 'corsica' || !origin.names.some(isPattern)) return listText(origin);
  const regexp = (p: string) => `/${patternSource(p)}/`;
  if (tool === 'cors') return listText(origin, (o) => (isPattern(o) ? regexp(o) : q(o)));
  // hono/cors takes strings or a function: the patterns are tested in one.
  const exact = { names: origin.names.filter((o) => !isPattern(o)), rest: origin.rest } as NameList;
  const tests = [
    ...(exact.names.length > 0 || exact.rest !== undefined ? [`${listText(exact)}.includes(origin)`] : []),
    ...origin.names.filter(isPattern).map((p) => `${regexp(p)}.test(origin)`),
  ];
  return `(origin) => (${tests.join(' || ')} ? origin : null)`;
}

/** hono/cors names three options otherwise than cors. */
const HONO_NAMES = {
  methods: 'allowMethods',
  allowedHeaders: 'allowHeaders',
  exposedHeaders: 'exposeHeaders',
};

/** The options as the inside of an object literal, in a tool's option names. */
export function optionsText(o: OptionsSpec, tool: Tool): string {
  const name = (key: keyof typeof HONO_NAMES) => (tool === 'hono' ? HONO_NAMES[key] : key);
  const parts = [`origin: ${originText(o.origin, tool)}`];
  if (o.credentials === true) parts.push('credentials: true');
  for (const key of ['methods', 'allowedHeaders', 'exposedHeaders'] as const) {
    const list = o[key];
    if (list !== undefined) parts.push(`${name(key)}: ${listText(list)}`);
  }
  if (o.maxAge !== undefined) parts.push(`maxAge: ${o.maxAge}`);
  if (o.privateNetwork === true && tool === 'corsica') parts.push('privateNetwork: true');
  return parts.join(', ');
}

/** Notes after each tool's import comment: `all`, unless the tool has its own. */
export interface ToolNotes {
  readonly all?: string;
  readonly corsica?: string;
  readonly cors?: string;
  readonly fastify?: string;
  readonly hono?: string;
}

/** The configuration as a line to paste in each tool, with a note after each import comment. */
export function configFix(summary: string, o: OptionsSpec, nginx: string, notes: ToolNotes = {}): Fix {
  const then = (tool: keyof ToolNotes) => {
    const n = notes[tool] ?? notes.all ?? '';
    return n === '' ? '' : `; ${n}`;
  };
  const corsOptions = optionsText(o, 'cors');
  return {
    summary,
    corsica: `app.use(cors({ ${optionsText(o, 'corsica')} }))  // import cors from 'corsica/node'${then('corsica')}`,
    cors: `app.use(cors({ ${corsOptions} }))  // import cors from 'cors'${then('cors')}`,
    fastify: `await fastify.register(cors, { ${corsOptions} })  // import cors from '@fastify/cors'${then('fastify')}`,
    hono: `app.use('*', cors({ ${optionsText(o, 'hono')} }))  // import { cors } from 'hono/cors'${then('hono')}`,
    nginx,
  };
}

/** A configuration in nginx: `http` for the http block, the rest for the location. */
export interface NginxText {
  /** The map of allowed origins, if one is needed. */
  readonly http: readonly string[];
  /** Every answer. */
  readonly actual: readonly string[];
  /** The OPTIONS block's directives, before its `return 204;`. */
  readonly preflight: readonly string[];
}

/** The Access-Control-Allow-Origin value: one origin, or the matching one of several through a map. */
function nginxOrigin(origin: OptionsSpec['origin']): { value: string; http: string[] } {
  if (origin === '*') return { value: '*', http: [] };
  if (origin === true) return { value: '$http_origin', http: [] };
  if (origin.names.length === 1 && !isPattern(origin.names[0]!)) return { value: origin.names[0]!, http: [] };
  const entries = origin.names.map((o) => `"${isPattern(o) ? `~${patternSource(o)}` : o}" $http_origin;`);
  return {
    value: '$cors_origin',
    http: [`map $http_origin $cors_origin { default ""; ${entries.join(' ')} }`],
  };
}

/**
 * The configuration in nginx. The OPTIONS block repeats every header: add_header in a block
 * replaces all the ones it inherits. `always` keeps the headers on errors; the block's 204 needs
 * none.
 */
export function nginxText(o: OptionsSpec): NginxText {
  const { value, http } = nginxOrigin(o.origin);
  const common = (always: string) => [
    `add_header Access-Control-Allow-Origin "${value}"${always};`,
    ...(o.credentials === true ? [`add_header Access-Control-Allow-Credentials "true"${always};`] : []),
  ];
  const vary = (always: string) => `add_header Vary "Origin"${always};`;
  const listed = (list: NameList) => `"${list.names.join(', ')}"`;
  return {
    http,
    actual: [
      ...common(' always'),
      ...(o.exposedHeaders === undefined
        ? []
        : [`add_header Access-Control-Expose-Headers ${listed(o.exposedHeaders)} always;`]),
      vary(' always'),
    ],
    preflight: [
      ...common(''),
      ...(o.methods === undefined ? [] : [`add_header Access-Control-Allow-Methods ${listed(o.methods)};`]),
      `add_header Access-Control-Allow-Headers ${o.allowedHeaders === undefined ? '$http_access_control_request_headers' : listed(o.allowedHeaders)};`,
      ...(o.maxAge === undefined ? [] : [`add_header Access-Control-Max-Age "${o.maxAge}";`]),
      // Only where Access-Control-Allow-Origin grants the origin does a browser read it.
      ...(o.privateNetwork === true ? ['add_header Access-Control-Allow-Private-Network "true";'] : []),
      vary(''),
    ],
  };
}

/** nginx on one line (how fixes print): what goes in the http block first, said so. */
export function nginxOneLine(http: readonly string[], location: readonly string[]): string {
  return `${http.length === 0 ? '' : `${http.join(' ')}  # in http { }; then: `}${location.join(' ')}`;
}

/** The OPTIONS block on one line. */
const preflightBlock = (t: NginxText) =>
  ['if ($request_method = OPTIONS) {', ...t.preflight, 'return 204; }'].join(' ');

/** nginx for every answer, on one line (the map first when there is one). */
export function nginxActual(o: OptionsSpec): string {
  const t = nginxText(o);
  return nginxOneLine(t.http, t.actual);
}

/**
 * The whole configuration in nginx on one line: the preflights' block, then every other answer's
 * headers (a fix for a preflight that left the actual answers bare would trade one failure for the
 * next).
 */
export function nginxWhole(o: OptionsSpec): string {
  const t = nginxText(o);
  return nginxOneLine(t.http, [preflightBlock(t), ...t.actual]);
}
