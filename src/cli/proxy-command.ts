#!/usr/bin/env node
// `corsica-proxy`, the command of the corsica-proxy package (`corsica proxy` runs it when it is
// installed): options from a config file, CORSICA_* variables and flags (src/cli/proxy.ts), then a
// server until SIGINT or SIGTERM.

import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { runProxy } from './proxy.js';
import { UsageError } from './usage.js';

// Repeatable options start undefined, so that --help shows no `(default: [])`.
const collect = (value: string, all: string[] = []) => [...all, ...value.split(',')];

const program = new Command();
program
  .name('corsica-proxy')
  .description(
    'run a CORS proxy that is safe to expose: GET /<absolute-url> or /?url=<encoded url> (options also from CORSICA_* variables and --config)',
  )
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .option(
    '--config <file>',
    'a JSON file of options (camelCase names); environment variables and flags override it',
  )
  .option('--host <host>', 'address to listen on (default 127.0.0.1)')
  .option('--port <port>', 'port to listen on (default 8080)')
  .option(
    '--allow-origin <origin>',
    'origins whose pages may use the proxy, exact or pattern (repeatable; default any)',
    collect,
  )
  .option('--deny-origin <origin>', 'origins refused (repeatable)', collect)
  .option(
    '--allow-target <host>',
    'target host patterns served: api.example.com, *.example.com (repeatable; default any)',
    collect,
  )
  .option('--deny-target <host>', 'target host patterns never served (repeatable)', collect)
  .option(
    '--allow-private-target <target>',
    'a private address the proxy may reach: host[:port], [ipv6][:port] or CIDR (repeatable)',
    collect,
  )
  .option(
    '--require-header <name>',
    "a header requests must carry; repeated, any one of them will do (default origin; 'none' for none)",
    collect,
  )
  .option('--rate-limit <rate>', "requests per client and window, e.g. 600/1m, or 'off' (default 600/1m)")
  .option(
    '--rate-limit-by-origin <rate>',
    'a narrower limit per client address and Origin, on top of --rate-limit, e.g. 100/1m',
  )
  .option('--trust-proxy <hops>', 'trust X-Forwarded-For from this many proxies in front (default 0)')
  .option(
    '--ipv6-prefix <bits>',
    'IPv6 clients count by this many leading bits in rate limits and connection caps (default 64)',
  )
  .option('--redis <url>', 'share rate limits between instances through Redis (redis://host:6379)')
  .option('--max-request-bytes <n>', 'largest request body forwarded (default 10485760)')
  .option(
    '--max-buffered-bytes <n>',
    'memory for request bodies being read, all requests together (default 134217728)',
  )
  .option('--max-response-bytes <n>', 'largest response body forwarded (default 104857600)')
  .option(
    '--timeout <ms>',
    'longest wait: connect, headers, a stalled upload, a client that stops reading (default 30000)',
  )
  .option('--max-duration <ms>', 'longest whole exchange, redirects included (default 300000)')
  .option('--public-url <url>', "the proxy's address as clients use it, for rewritten redirects")
  .option(
    '--max-redirects <n>',
    'redirects followed on the server (default 0: handed back through the proxy)',
  )
  .option(
    '--cookies <host>',
    'target host patterns for which cookies pass, readable by --allow-origin pages (repeatable; default none)',
    collect,
  )
  .option('--max-connections <n>', 'upstream connections per target origin (default 128)')
  .option('--max-client-connections <n>', 'open connections per client address (default 64; 0: no cap)')
  .option('--cors-max-age <seconds>', 'how long browsers may cache preflight answers (default 600)')
  .option(
    '--upstream-ca <file>',
    'a PEM certificate authority trusted for HTTPS targets, besides the system ones (repeatable)',
    collect,
  )
  .action(async (opts: Record<string, unknown>) => {
    const code = await runProxy(opts);
    if (code !== null) process.exitCode = code;
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; usage mistakes exit 2.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError) {
    process.stderr.write(`${pc.red('error:')} ${err.message}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
