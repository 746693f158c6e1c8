#!/usr/bin/env node
// The `corsica` command line.

import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
// Each command's module is imported when the command runs, so that a command loads only what it
// uses (issue 16: `corsica check` and `corsica audit` start fast; --help loads none of them).
import { CheckInputError } from '../check/errors.js';
import { visible } from './terminal.js';
import { listenFailure, portOption, UsageError, VERSION } from './usage.js';

/** `--page-origin http://localhost:5173`: the page's name and port (only loopback names: the page is served here). */
function pageOrigin(
  origin: string | undefined,
  port: string | undefined,
): { port: number; pageName?: 'localhost' | '127.0.0.1' } {
  if (origin === undefined) return { port: portOption('--port', port ?? '8080') };
  if (port !== undefined) throw new UsageError('give either --port or --page-origin, not both');
  const m = /^http:\/\/(localhost|127\.0\.0\.1):(\d{1,5})$/.exec(origin);
  if (m === null)
    throw new UsageError(
      `--page-origin must be http://localhost:<port> or http://127.0.0.1:<port> (the page is served on this machine), not '${origin}'`,
    );
  return { port: portOption('--page-origin', m[2]!), pageName: m[1] as 'localhost' | '127.0.0.1' };
}

const program = new Command();
program
  .name('corsica')
  .description(
    'Spec-exact CORS: check what a browser will do with a request, explain a console error, run a safe CORS proxy, lint a CORS configuration',
  )
  .version(VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('lint')
  .description(
    'validate a corsica/cors options object and print every problem with its fix (exit 1 on errors)',
  )
  .argument('<file>', 'a .json file, or a .js/.mjs/.cjs module whose default export is the options object')
  .option('--json', 'print the problems as JSON')
  .action(async (file: string, opts: { json?: boolean }) => {
    const { lint } = await import('./lint.js');
    process.exitCode = await lint(file, opts.json === true);
  });

program
  .command('check')
  .description(
    "send the requests a browser (Chromium, or --browser firefox|webkit) would send for a cross-origin fetch and say whether the page gets the response, why not in that browser's words, and where the browsers disagree (exit 0 allowed, 1 blocked, 2 usage or network error)",
  )
  .argument('<url>', 'the URL the page fetches')
  .requiredOption('--origin <origin>', "the page's origin, e.g. https://app.example.com")
  .option('--method <method>', 'the request method, as the page writes it', 'GET')
  .option(
    '--header <header>',
    "a request header 'Name: value' (repeatable)",
    (v: string, all: string[] = []) => [...all, v],
  )
  .option('--credentials', "send as fetch(url, { credentials: 'include' })")
  .option('--data <body>', 'a request body (sent as text/plain unless --header sets Content-Type)')
  .option('--json', 'print one JSON object')
  .option('--timeout <ms>', 'per request', '10000')
  .option('--browser <browser>', 'the browser to answer for: chromium, firefox or webkit', 'chromium')
  .option(
    '--compare-unsafe',
    'also send the unsafe requests (POST, PUT...) only the other browsers would send, to compare them',
  )
  .action(async (url: string, opts) => {
    const { check } = await import('./check.js');
    process.exitCode = await check(url, opts);
  });

program
  .command('explain')
  .description(
    'explain a CORS error pasted from the browser console (Chromium, Firefox or Safari): what the server sent, why it was refused, the fix, and the corsica check command that reproduces it',
  )
  .argument('<message>', 'the console message, in quotes')
  .option('--json', 'print one JSON object')
  .action(async (message: string, opts: { json?: boolean }) => {
    const { explain } = await import('./explain.js');
    process.exitCode = explain(message, opts.json === true);
  });

program
  .command('audit')
  .description(
    "probe a live API with a battery of Origins derived from the site's own and report every CORS misconfiguration, with its proof and fix (exit 0 nothing exploitable or broken, 1 findings, 2 usage or network error)",
  )
  .argument('[url]', 'the API URL to audit (or --openapi with --base-url)')
  .option('--origin <origin>', "the site's own origin, e.g. https://www.example.com (default: the URL's)")
  .option(
    '--header <header>',
    "a header 'Name: value' sent with every probe but preflights (repeatable)",
    (v: string, all: string[] = []) => [...all, v],
  )
  .option(
    '--intranet',
    'the API is reachable only inside a network: * or any origin echoed is then exploitable (automatic for a private address serving a site that is not public)',
  )
  .option('--openapi <file>', 'audit every path and method of an OpenAPI description (JSON or YAML)')
  .option('--base-url <url>', 'with --openapi: the URL its paths are under, e.g. https://api.example.com/v1')
  .option(
    '--path-param <name=value>',
    'with --openapi: the value of a path parameter (repeatable; default its example, or 1)',
    (v: string, all: string[] = []) => [...all, v],
  )
  .option(
    '--policy <file>',
    'the options file the API is meant to follow (the one corsica lint reads): report where the live server differs',
  )
  .option(
    '--format <format>',
    'human (default), json, sarif (GitHub code scanning), junit or github (workflow annotations)',
  )
  .option('--json', 'print one JSON object (--format json)')
  .option('--concurrency <n>', 'probes in flight at once (default 8)')
  .option('--timeout <ms>', 'per probe (default 5000)')
  .action(async (url: string | undefined, opts) => {
    // Loaded on use: the other commands do not pay for the audit (issue 16, start-up time).
    const { auditCommand } = await import('./audit.js');
    process.exitCode = await auditCommand(url, opts);
  });

// Repeatable options start undefined, so that --help shows no `(default: [])`.
const collect = (value: string, all: string[] = []) => [...all, ...value.split(',')];
program
  .command('proxy')
  .description(
    'run a CORS proxy that is safe to expose: GET /<absolute-url> or /?url=<encoded url> (options also from CORSICA_* variables and --config)',
  )
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
    const { runProxy } = await import('./proxy.js');
    const code = await runProxy(opts);
    if (code !== null) process.exitCode = code;
  });

program
  .command('playground')
  .description(
    'see CORS happen in your browser: a page on one local origin, a configurable test API on another',
  )
  .option('--port <port>', 'port of the page (default 8080)')
  .option('--api-port <port>', 'port of the test API (default: the next free one)')
  .option(
    '--page-origin <origin>',
    "the page's origin, to reproduce your app's (http://localhost:5173 or http://127.0.0.1:3000)",
  )
  .option(
    '--allowed-host <name>',
    'another Host name to answer besides localhost, *.localhost, 127.0.0.1 and [::1] (repeatable; .example.test for its subdomains)',
    (v: string, all: string[] = []) => [...all, v],
  )
  .action(async (opts: { port?: string; apiPort?: string; pageOrigin?: string; allowedHost?: string[] }) => {
    const page = pageOrigin(opts.pageOrigin, opts.port);
    const apiPort = portOption('--api-port', opts.apiPort ?? '0');
    const allowedHosts = opts.allowedHost ?? [];
    const { startPlayground } = await import('../playground/server.js');
    const playground = await startPlayground({ ...page, apiPort, allowedHosts }).catch((err: unknown) => {
      throw listenFailure(err, 'corsica playground');
    });
    process.stdout.write(
      `corsica playground on ${playground.pageUrl} (the test API is ${playground.apiUrl}, another origin)\n`,
    );
    const stop = () => void playground.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; usage mistakes exit 2.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError || err instanceof CheckInputError) {
    process.stderr.write(`${pc.red('error:')} ${visible(err.message)}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
