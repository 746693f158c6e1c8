// `corsica audit --openapi <file> --base-url <url>`: the paths and operations of an OpenAPI
// description (2.0, 3.0 or 3.1, JSON or YAML, $refs resolved) become the URLs an audit probes and
// the operations it shapes its preflights from (operations.ts). The parser is
// @readme/openapi-parser, loaded only here, so that `check` and a plain `audit` never load it.

import { readFile } from 'node:fs/promises';
import { AuditInputError } from './errors.js';
import type { Operation } from './operations.js';

/** An OpenAPI file or its use is wrong as written: the message says how. */
export class OpenApiError extends AuditInputError {
  override readonly name = 'OpenApiError';
}

/** One path of the description, as the audit probes it. */
export interface ApiPath {
  /** The path template as written (`/items/{id}`). */
  readonly path: string;
  /** The base URL and the path, its parameters filled in. */
  readonly url: string;
  readonly operations: readonly Operation[];
  /** The path's line in the file (1-based), for annotations and SARIF. */
  readonly line?: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Methods an operation may have; OPTIONS is the preflight itself and TRACE no browser sends. */
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'query'];
/** OpenAPI 3 ignores header parameters with these names (they are described elsewhere). */
const DESCRIBED_ELSEWHERE = new Set(['accept', 'content-type', 'authorization']);
const UUID = '00000000-0000-4000-8000-000000000000';

/** A value for a path parameter: the user's, an example, a default, the first of an enum, or a placeholder. */
function paramValue(param: Json, given: Readonly<Record<string, string>>): string {
  const name = String(param.name);
  if (name in given) return given[name]!;
  const schema = isObject(param.schema) ? param.schema : param;
  const examples = isObject(param.examples) ? Object.values(param.examples).find(isObject) : undefined;
  const enumerated = Array.isArray(schema.enum) ? schema.enum[0] : undefined;
  for (const v of [param.example, examples?.value, schema.example, schema.default, enumerated])
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return schema.format === 'uuid' ? UUID : '1';
}

/** The security requirement's headers: Authorization for http, OAuth 2 and OpenID, or the API key's header. */
function securityHeaders(api: Json, op: Json): [string, string][] {
  const requirements = Array.isArray(op.security)
    ? op.security
    : Array.isArray(api.security)
      ? api.security
      : [];
  const first = requirements.find(isObject);
  if (first === undefined) return [];
  const components = isObject(api.components) ? api.components : {};
  const schemes = isObject(components.securitySchemes)
    ? components.securitySchemes
    : isObject(api.securityDefinitions)
      ? api.securityDefinitions
      : {};
  const out: [string, string][] = [];
  for (const name of Object.keys(first)) {
    const scheme = schemes[name];
    if (!isObject(scheme)) continue;
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string')
      out.push([scheme.name, '1']);
    else if (['http', 'basic', 'oauth2', 'openIdConnect'].includes(String(scheme.type)))
      out.push(['authorization', 'Bearer 1']);
  }
  return out;
}

/** The media type a request body is sent as: the first the operation declares. */
function bodyType(api: Json, op: Json, params: readonly Json[]): string | null {
  if (isObject(op.requestBody) && isObject(op.requestBody.content))
    return Object.keys(op.requestBody.content)[0] ?? null;
  // Swagger 2.0: a body parameter, sent as the first type the operation (or the API) consumes.
  if (params.some((p) => p.in === 'body')) {
    const consumes = Array.isArray(op.consumes)
      ? op.consumes
      : Array.isArray(api.consumes)
        ? api.consumes
        : [];
    return typeof consumes[0] === 'string' ? consumes[0] : 'application/json';
  }
  return null;
}

function operationOf(api: Json, method: string, op: Json, params: readonly Json[]): Operation {
  const headers: [string, string][] = params
    .filter((p) => p.in === 'header' && typeof p.name === 'string')
    .filter((p) => !DESCRIBED_ELSEWHERE.has(String(p.name).toLowerCase()))
    .map((p) => [String(p.name), '1']);
  const type = bodyType(api, op, params);
  if (type !== null) headers.push(['content-type', type]);
  headers.push(...securityHeaders(api, op));
  return { method: method.toUpperCase(), headers };
}

/** The path's line in the file: the first line that is its key, quoted or not. */
function lineOf(text: string, path: string): number | undefined {
  const lines = text.split('\n');
  const keys = [`${path}:`, `'${path}':`, `"${path}":`];
  const i = lines.findIndex((l) => keys.some((k) => l.trim().startsWith(k)));
  return i < 0 ? undefined : i + 1;
}

/** `base` and `path` joined with one slash. */
const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;

async function load(file: string): Promise<{ api: Json; text: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OpenApiError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  const { dereference } = await import('@readme/openapi-parser');
  let api: unknown;
  try {
    // Local $refs and files beside it are read; nothing is fetched over the network.
    api = await dereference(file, { resolve: { http: false as never } });
  } catch (err) {
    throw new OpenApiError(
      `${file} is not a valid OpenAPI description: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (!isObject(api) || (typeof api.openapi !== 'string' && api.swagger !== '2.0') || !isObject(api.paths))
    throw new OpenApiError(
      `${file} is not an OpenAPI description: no 'openapi' (or 'swagger: 2.0') field and 'paths' object`,
    );
  return { api, text };
}

/**
 * Every path of the description with its operations, under `baseUrl`; `pathParams` overrides the
 * values of path parameters by name (`id=42`).
 */
export async function apiPaths(
  file: string,
  baseUrl: string,
  pathParams: Readonly<Record<string, string>> = {},
): Promise<ApiPath[]> {
  const { api, text } = await load(file);
  const names = new Set(
    Object.keys(api.paths as Json).flatMap((p) => [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)),
  );
  for (const name of Object.keys(pathParams))
    if (!names.has(name))
      throw new OpenApiError(
        `--path-param ${name}: no path of ${file} has a parameter {${name}} (it has ${[...names].map((n) => `{${n}}`).join(', ') || 'none'})`,
      );
  const out: ApiPath[] = [];
  for (const [path, item] of Object.entries(api.paths as Json)) {
    if (!isObject(item)) continue;
    const shared = (Array.isArray(item.parameters) ? item.parameters : []).filter(isObject);
    const operations: Operation[] = [];
    let pathParamsOf: Json[] = shared.filter((p) => p.in === 'path');
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const own = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject);
      // An operation's parameter overrides the path's of the same name and location.
      const params = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      pathParamsOf = [...pathParamsOf, ...own.filter((p) => p.in === 'path')];
      operations.push(operationOf(api, method, op, params));
    }
    if (operations.length === 0) continue;
    const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const param = pathParamsOf.find((p) => p.name === name) ?? { name };
      return encodeURIComponent(paramValue(param, pathParams));
    });
    const line = lineOf(text, path);
    out.push({ path, url: joinUrl(baseUrl, filled), operations, ...(line === undefined ? {} : { line }) });
  }
  return out;
}
