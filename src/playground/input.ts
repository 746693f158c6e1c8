// What the page sends the playground's API, checked before anything runs. A body of `null`, a
// header name with a space typed in the raw-headers box, a status of 99 or a CR LF in a value once
// killed the playground (Node throws on such headers inside a request handler); each is now a 400
// with the reason, naming the field as the page's JSON names it.

import type { SnippetOptions, SnippetRequest } from '../advice/index.js';
import { isToken } from '../syntax/tokens.js';

/** The page sent something the playground cannot use; the message says what and where. */
export class PlaygroundInputError extends Error {
  override readonly name = 'PlaygroundInputError';
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
}

/** How the test API answers one run. */
export type ServerSpec =
  | { readonly mode: 'policy'; readonly options: Record<string, unknown> }
  | { readonly mode: 'raw'; readonly preflight: RawAnswer; readonly actual: RawAnswer };

export interface RequestSpec {
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | null;
  readonly credentials: boolean;
  /** Another URL to probe instead of the test API. */
  readonly target: string | null;
}

/** A run as /api/run, /api/explain and /api/audit take it. */
export interface RunInput {
  readonly server: ServerSpec;
  readonly request: RequestSpec;
  /** The page's origin (explain and audit): the Origin the model sends. */
  readonly origin: string;
  /** The engine of the browser the page runs in. */
  readonly engine: string | undefined;
}

const fail = (message: string): never => {
  throw new PlaygroundInputError(message);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string): Record<string, unknown> {
  return isObject(v) ? v : fail(`${path} must be an object`);
}

function string(v: unknown, path: string): string {
  return typeof v === 'string' ? v : fail(`${path} must be a string`);
}

/** A header value as Node will write it: tab, visible ASCII and Latin-1 bytes, no CR, LF or NUL. */
function validValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}

/** `[name, value]` pairs; with `strict`, as the test API will write them (tokens, valid values). */
function headerPairs(v: unknown, path: string, strict: boolean): [string, string][] {
  if (!Array.isArray(v)) return fail(`${path} must be a list of [name, value] pairs`);
  return v.map((pair: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) return fail(`${at} must be a [name, value] pair`);
    const name = string(pair[0], `${at}[0]`);
    const value = string(pair[1], `${at}[1]`);
    if (strict && !isToken(name))
      fail(`${at}: '${name}' is not a header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces)`);
    if (strict && !validValue(value))
      fail(
        `${at}: the value of ${name} has a character no header value may hold (CR, LF, NUL or another control)`,
      );
    return [name, value];
  });
}

function rawAnswer(v: unknown, path: string): RawAnswer {
  const o = object(v, path);
  const status = o.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
    fail(`${path}.status must be a whole number from 200 to 599, got ${JSON.stringify(status)}`);
  return { status: status as number, headers: headerPairs(o.headers, `${path}.headers`, true) };
}

function serverSpec(v: unknown): ServerSpec {
  const o = object(v, 'server');
  if (o.mode === 'raw')
    return {
      mode: 'raw',
      preflight: rawAnswer(o.preflight, 'server.preflight'),
      actual: rawAnswer(o.actual, 'server.actual'),
    };
  if (o.mode === 'policy') return { mode: 'policy', options: object(o.options, 'server.options') };
  return fail("server.mode must be 'policy' or 'raw'");
}

/** The page's request. Header names and values stay as typed: the model says what fetch() makes of them. */
export function requestSpec(v: unknown): RequestSpec {
  const o = object(v, 'request');
  const method = string(o.method, 'request.method');
  if (!isToken(method)) fail(`request.method: '${method}' is not a method (an HTTP token, such as PUT)`);
  if (o.body !== null && typeof o.body !== 'string') fail('request.body must be a string or null');
  if (typeof o.credentials !== 'boolean') fail('request.credentials must be true or false');
  const target = o.target ?? null;
  if (target !== null) {
    const url = URL.canParse(string(target, 'request.target')) ? new URL(target as string) : null;
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      fail(`request.target must be an http: or https: URL, got '${String(target)}'`);
  }
  return {
    method,
    headers: headerPairs(o.headers, 'request.headers', false),
    body: o.body as string | null,
    credentials: o.credentials as boolean,
    target: target as string | null,
  };
}

/** The body of /api/run, /api/explain and /api/audit; `withOrigin` for the two that send from the page's origin. */
export function runInput(body: unknown, withOrigin: boolean): RunInput {
  const o = isObject(body) ? body : fail('the body must be a JSON object');
  const origin = withOrigin ? o.origin : '';
  if (typeof origin !== 'string' || (withOrigin && !/^https?:\/\/[^/]+$/.test(origin)))
    fail(`origin must be the page's origin (http://host:port), got ${JSON.stringify(origin)}`);
  return {
    server: serverSpec(o.server),
    request: requestSpec(o.request),
    origin: origin as string,
    engine: typeof o.engine === 'string' ? o.engine : undefined,
  };
}

const stringOrList = (v: unknown) =>
  v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** The body of /api/snippets: the form's options (JSON types only) and the request. */
export function snippetInput(body: unknown): { options: SnippetOptions; request: SnippetRequest } {
  const o = isObject(body) ? body : fail('the body must be a JSON object');
  const options = o.options === undefined ? {} : object(o.options, 'options');
  if (!(typeof options.origin === 'boolean' || stringOrList(options.origin)))
    fail('options.origin must be true, false, a string or a list of strings');
  for (const key of ['methods', 'allowedHeaders', 'exposedHeaders'])
    if (!stringOrList(options[key])) fail(`options.${key} must be a string or a list of strings`);
  if (options.credentials !== undefined && typeof options.credentials !== 'boolean')
    fail('options.credentials must be true or false');
  if (options.maxAge !== undefined && typeof options.maxAge !== 'number')
    fail('options.maxAge must be a number');
  return { options: options as SnippetOptions, request: requestSpec(o.request) };
}
