// A real redis-server for tests, on a free port, without persistence. Without the Debian package
// tests skip locally and fail under CI=true.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from './http.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

export function redisSkipReason(): string | false {
  if (existsSync(REDIS_SERVER)) return false;
  const reason = `${REDIS_SERVER} not found: install the Debian package redis-server (apt-get install -y redis-server)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

export interface RedisServer {
  readonly url: string;
  /** The redis-server process (benchmarks pin it to a core). */
  readonly pid: number;
  /** Forgets every key: each test counts from zero. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    async flush() {
      const client = new Redis(url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
