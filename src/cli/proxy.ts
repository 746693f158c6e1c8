// `corsica proxy`: options from a config file, then CORSICA_* environment variables, then flags
// (each overriding the one before), validated all at once, then a server until SIGINT/SIGTERM.
// Which options there are, and the kind of value each takes, is src/proxy/option-table.ts.

import { readFile } from 'node:fs/promises';
import pc from 'picocolors';
import { createProxy, ProxyConfigError, type ProxyOptions } from '../proxy/index.js';
import {
  envOf,
  OPTION_ROWS,
  type OptionRow,
  PROXY_OPTIONS,
  type ProxyOptionKey,
  repeats,
} from '../proxy/option-table.js';
import { listenFailure, UsageError } from './usage.js';

const KEYS = OPTION_ROWS.map(([key]) => key);

/** A number when the text is one; the text otherwise, so that validation can quote it. */
const numberOrText = (text: string): number | string => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : text);

/** A value as its row's kind takes it, from a flag, a variable or a config file. */
function coerce(key: ProxyOptionKey, value: unknown): unknown {
  const row: OptionRow = PROXY_OPTIONS[key];
  if (repeats(row)) {
    const items = Array.isArray(value) ? value : String(value).split(',');
    const list = items.map((v) => String(v).trim()).filter((v) => v !== '');
    // `--require-header none` (or '') turns the default requirement off.
    return list.length === 1 && list[0] === row.emptyWord ? [] : list;
  }
  if (row.kind === 'number') return typeof value === 'number' ? value : numberOrText(String(value));
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
    const unknown = Object.keys(file).filter((k) => !Object.hasOwn(PROXY_OPTIONS, k));
    if (unknown.length > 0) {
      throw new UsageError(
        `${flags.config}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${KEYS.join(', ')})`,
      );
    }
    for (const [k, v] of Object.entries(file)) merged[k] = coerce(k as ProxyOptionKey, v);
  }
  for (const key of KEYS) {
    const value = env[envOf(key)];
    if (value !== undefined && value !== '') merged[key] = coerce(key, value);
  }
  for (const key of KEYS) {
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
