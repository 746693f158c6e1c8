// Runs the `corsica` command in its own process, as a user does, and keeps what it printed and
// its exit code. The built command (dist/cli.js, which `npm test` builds first) by default; the
// sources through tsx with `{ source: true }`. Colours off, so that output compares as text.

import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const BUILT = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));

export async function runCli(
  args: readonly string[],
  options: { source?: boolean; timeout?: number; nodeArgs?: readonly string[]; cwd?: string } = {},
): Promise<CliRun> {
  const entry = [
    ...(options.nodeArgs ?? []),
    ...(options.source === true ? ['--import', 'tsx', SOURCE] : [BUILT]),
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...entry, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, NO_COLOR: '1' },
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A `corsica proxy` started from the built command, until it printed a line or exited. */
export interface ProxyCommand {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The address it printed it serves on (127.0.0.1 for localhost), or null. */
  readonly url: string | null;
  stop(): void;
}

/** Runs `corsica proxy <args>` (dist/cli.js) until it prints a line or exits. */
export function startProxyCommand(args: readonly string[]): Promise<ProxyCommand> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILT, 'proxy', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    const stop = () => child.kill('SIGTERM');
    const done = (code: number | null) => {
      const url = /corsica proxy on (http:\/\/(?:localhost|127\.0\.0\.1):\d+\/)/.exec(stdout)?.[1] ?? null;
      resolve({ code, stdout, stderr, url: url?.replace('localhost', '127.0.0.1') ?? null, stop });
    };
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      if (stdout.includes('\n')) done(null);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.on('exit', (code) => done(code));
  });
}
