// Runs the `corsica` command in its own process, as a user does, and keeps what it printed and
// its exit code. The built command (dist/cli.js, which `npm test` builds first) by default; the
// sources through tsx with `{ source: true }`. Colours off, so that output compares as text.

import { execFile } from 'node:child_process';
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
