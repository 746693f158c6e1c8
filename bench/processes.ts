// Child processes for the HTTP benchmarks: each server runs alone, reports its port over IPC, and
// exits when the parent disconnects.

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

export interface Child {
  readonly child: ChildProcess;
  readonly port: number;
}

/**
 * Starts `file` with `args` (and node flags `nodeArgs`): TypeScript through tsx, a .mjs file by node
 * alone; resolves once it reports `{ port }`.
 */
export async function startChild(
  file: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<Child> {
  const loader = file.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const child = fork(file, [...args], { execArgv: [...nodeArgs, ...loader], stdio: 'inherit' });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error(`${file} ${args.join(' ')} exited before listening`);
    }),
  ])) as [{ port: number }];
  return { child, port: message.port };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.disconnect();
  const timer = setTimeout(() => child.kill(), 5000);
  await exited;
  clearTimeout(timer);
}

/** For a child: report the port to the parent and stop when it disconnects. */
export function reportPort(port: number, stop: () => void): void {
  process.send?.({ port });
  process.on('disconnect', stop);
}
