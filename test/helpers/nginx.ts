// A real nginx for tests (Debian's nginx-light), on a free loopback port, its configuration and
// temporary files in a folder of its own that stop() removes. `nginx -t` runs first, so that a
// bad configuration fails with nginx's own words. Without nginx, tests skip locally and fail
// under CI=true.

import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './http.js';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);

/** Why nginx tests skip here (false: they run); under CI=true they never skip. */
export const skipNginx: string | false =
  NGINX === undefined && process.env.CI !== 'true'
    ? 'nginx is not installed (Debian package nginx-light)'
    : false;

export interface RunningNginx {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts nginx with `http` lines (maps...) at http level and `server` lines inside one server
 * block that listens on a free port of 127.0.0.1.
 */
export async function startNginx(config: {
  readonly http?: readonly string[];
  readonly server: readonly string[];
}): Promise<RunningNginx> {
  assert.ok(NGINX !== undefined, 'CI installs nginx-light');
  const dir = mkdtempSync(join(tmpdir(), 'corsica-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'worker_processes 1;',
      'daemon off;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log;`,
      'events {}',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
      ...(config.http ?? []).map((l) => `  ${l}`),
      '  server {',
      `    listen 127.0.0.1:${port};`,
      ...config.server.map((l) => `    ${l}`),
      '  }',
      '}',
    ].join('\n'),
  );
  execFileSync(NGINX, ['-t', '-q', '-p', dir, '-c', conf], { stdio: 'pipe' });
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
