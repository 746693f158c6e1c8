// `corsica proxy`: options from a config file, then CORSICA_* environment variables, then flags
// (each overriding the one before), validated all at once, then a server until SIGINT/SIGTERM.

import { readFile } from 'node:fs/promises';
import pc from 'picocolors';
import { createProxy, ProxyConfigError, type ProxyOptions } from '../proxy/index.js';
import { listenFailure, UsageError } from './usage.js';

/** Every option: its kind, as flags, environment variables and config files give it. */
const OPTION_KINDS = {
  host: 'string',
  port: 'number',
  allowOrigin: 'list',
  denyOrigin: 'list',
  allowTarget: 'list',
  denyTarget: 'list',
  allowPrivateTarget: 'list',
  requireHeader: 'list',
  rateLimit: 'string',
  rateLimitByOrigin: 'string',
  trustProxy: 'number',
  ipv6Prefix: 'number',
  redis: 'string',
  maxRequestBytes: 'number',
  maxBufferedBytes: 'number',
  maxResponseBytes: 'number',
  timeout: 'number',
  maxDuration: 'number',
  publicUrl: 'string',
  maxRedirects: 'number',
  cookies: 'list',
  maxConnections: 'number',
  maxClientConnections: 'number',
  corsMaxAge: 'number',
  upstreamCa: 'files',
} as const;
type Key = keyof typeof OPTION_KINDS;

const envName = (key: string) => `CORSICA_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** A number when the text is one; the text otherwise, so that validation can quote it. */
const numberOrText = (text: string): number | string => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : text);

function coerce(key: Key, value: unknown): unknown {
  const kind = OPTION_KINDS[key];
  if (kind === 'list') {
    const items = Array.isArray(value) ? value : String(value).split(',');
    const list = items.map((v) => String(v).trim()).filter((v) => v !== '');
    // `--require-header none` (or '') turns the default requirement off.
    return key === 'requireHeader' && list.length === 1 && list[0] === 'none' ? [] : list;
  }
  if (kind === 'number') return typeof value === 'number' ? value : numberOrText(String(value));
  if (kind === 'files')
    return (Array.isArray(value) ? value : String(value).split(','))
      .map((v) => String(v).trim())
      .filter((v) => v !== '');
  return String(value);
}

async function fromFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the config file ${path}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`${path} is not a JSON object of proxy options (${(err as Error).message})`);
  }
}

/** Merges file, environment and flags into options; unknown keys in the file are usage errors. */
export async function proxyOptions(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Promise<ProxyOptions> {
  const merged: Record<string, unknown> = {};
  if (typeof flags.config === 'string') {
    const file = await fromFile(flags.config);
    const unknown = Object.keys(file).filter((k) => !(k in OPTION_KINDS));
    if (unknown.length > 0) {
      throw new UsageError(
        `${flags.config}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${Object.keys(OPTION_KINDS).join(', ')})`,
      );
    }
    for (const [k, v] of Object.entries(file)) merged[k] = coerce(k as Key, v);
  }
  for (const key of Object.keys(OPTION_KINDS) as Key[]) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') merged[key] = coerce(key, value);
  }
  for (const key of Object.keys(OPTION_KINDS) as Key[]) {
    const value = flags[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    merged[key] = coerce(key, value);
  }
  // Certificate files are read here, so that the options carry PEM text.
  if (Array.isArray(merged.upstreamCa)) {
    merged.upstreamCa = await Promise.all(
      (merged.upstreamCa as string[]).map((path) =>
        readFile(path, 'utf8').catch(() => {
          throw new UsageError(`cannot read the certificate file ${path}`);
        }),
      ),
    );
  }
  return merged as ProxyOptions;
}

/** Starts the proxy; resolves once it listens. Returns the exit code on a configuration error. */
export async function runProxy(flags: Record<string, unknown>): Promise<number | null> {
  const options = await proxyOptions(flags, process.env);
  let proxy: ReturnType<typeof createProxy>;
  try {
    proxy = createProxy(options);
  } catch (err) {
    if (!(err instanceof ProxyConfigError)) throw err;
    process.stderr.write(`${pc.red('corsica proxy: invalid configuration')}\n`);
    for (const p of err.problems)
      process.stderr.write(`  ${pc.bold(p.path)}: ${p.message}\n    ${pc.green('fix:')} ${p.fix}\n`);
    return 2;
  }
  const { url } = await proxy.listen().catch(async (err: unknown) => {
    await proxy.close();
    throw listenFailure(err, 'corsica proxy');
  });
  // The address it listens on: `localhost` may resolve to ::1 first, where nothing listens.
  process.stdout.write(`corsica proxy on ${url} (help page at ${url}; try ${url}https://example.com/)\n`);
  const stop = () => {
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return null;
}
