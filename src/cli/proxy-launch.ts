// `corsica proxy`: the proxy is a package of its own, corsica-proxy, whose network code (undici,
// ioredis, prom-client...) is made of real dependencies its operators update and audit; corsica
// keeps none. This command runs corsica-proxy's command when it is installed, and otherwise says
// how to get it.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The file of the corsica-proxy command: beside corsica (an app that installed both), or in the
 * project of the current directory (corsica run by npx, corsica-proxy a dependency there).
 */
export function findProxyCommand(): string | null {
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      const manifest = createRequire(from).resolve('corsica-proxy/package.json');
      const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> }).bin;
      const file = bin?.['corsica-proxy'];
      if (typeof file === 'string') return join(dirname(manifest), file);
    } catch {
      // not installed there
    }
  }
  return null;
}

/** An argument as a POSIX shell reads it back: quoted unless it is plainly safe. */
const shellWord = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

/** The message when corsica-proxy is missing: why it is apart, and the two ways to run it. */
export function missingProxyMessage(args: readonly string[]): string {
  const rest = args.map(shellWord).join(' ');
  const npx = `npx corsica-proxy${rest === '' ? '' : ` ${rest}`}`;
  return [
    'corsica proxy: the proxy is its own package, corsica-proxy, and it is not installed here.',
    '(It is apart so that its network code, undici and ioredis, comes as real dependencies that',
    'npm update and npm audit see; the corsica package keeps no dependency for middleware users.)',
    '  Install it:                   npm install corsica-proxy',
    `  then run it as before:        npx corsica proxy${rest === '' ? '' : ` ${rest}`}`,
    `  Or run it without installing: ${npx}`,
    '',
  ].join('\n');
}

/**
 * Runs corsica-proxy's command with `args`, in this process (so that signals and the exit code
 * stay the command's own, with no process in between); 2 when it is not installed.
 */
export async function runProxyCommand(args: readonly string[]): Promise<number> {
  const command = findProxyCommand();
  if (command === null) {
    process.stderr.write(missingProxyMessage(args));
    return 2;
  }
  if (!existsSync(command)) {
    // This repository's own workspace before `npm run build`.
    process.stderr.write(
      `corsica proxy: corsica-proxy is there but not built (${command} is missing): run npm run build.\n`,
    );
    return 2;
  }
  // The command reads its arguments from process.argv, as it does when started as corsica-proxy.
  process.argv = [process.argv[0]!, command, ...args];
  await import(pathToFileURL(command).href);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
