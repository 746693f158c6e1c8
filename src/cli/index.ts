#!/usr/bin/env node
// The `corsica` command line.

import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
// Each command's module is imported when the command runs, so that a command loads only what it
// uses (`corsica check` and `corsica audit` start fast; --help loads none of them).
import { CheckInputError } from '../check/errors.js';
import { visible } from './terminal.js';
import { listenFailure, portOption, UsageError } from './usage.js';
import { packageVersion } from './version.js';

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
  .version(packageVersion('corsica'))
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('lint')
  .description(
    'validate a corsica/cors options object and print every problem with its fix (exit 1 on errors); a JavaScript module is loaded in a child process that may not listen, connect or start processes: lint never runs an application',
  )
  .argument(
    '[file]',
    'a .json file, or a .js/.mjs/.cjs module that only exports the options object (export default, or module.exports)',
  )
  .option(
    '--options <options>',
    'the options object itself, as JSON or a JavaScript literal: \'{ origin: ["https://a.com"] }\'',
  )
  .option('--json', 'print the problems as JSON')
  .option('--timeout <ms>', 'how long a module may take to load (default 10000)')
  .action(async (file: string | undefined, opts: { json?: boolean; options?: string; timeout?: string }) => {
    if ((file === undefined) === (opts.options === undefined))
      throw new UsageError('give either a file or --options, not both or neither');
    const { lint, DEFAULT_LOAD_TIMEOUT_MS } = await import('./lint.js');
    const timeout = opts.timeout === undefined ? DEFAULT_LOAD_TIMEOUT_MS : Number(opts.timeout);
    if (!Number.isInteger(timeout) || timeout <= 0)
      throw new UsageError(`--timeout must be a whole number of milliseconds, not '${opts.timeout}'`);
    const input = file === undefined ? { options: opts.options! } : { file };
    process.exitCode = await lint(input, opts.json === true, timeout);
  });

program
  .command('check')
  .description(
    "send the requests a browser (Chromium, or --browser firefox|webkit) would send for a cross-origin fetch and say whether the page gets the response, why not in that browser's words, and where the browsers disagree (exit 0 allowed, 1 blocked, 2 usage or network error)",
  )
  .argument('<url>', 'the URL the page fetches')
  // Not commander's requiredOption: it reports a missing --origin before an unknown option, so
  // `--orign` would say that --origin is missing instead of suggesting it. The check requires it.
  .option('--origin <origin>', "the page's origin, e.g. https://app.example.com (required)")
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
    // Loaded on use: the other commands do not pay for the audit (start-up time).
    const { auditCommand } = await import('./audit.js');
    process.exitCode = await auditCommand(url, opts);
  });

program
  .command('proxy')
  .description(
    'run a CORS proxy that is safe to expose: GET /<absolute-url> or /?url=<encoded url> (the corsica-proxy package, installed beside corsica; `corsica proxy --help` lists its options)',
  )
  // Every option, --help included, belongs to the corsica-proxy command, which parses them.
  .helpOption(false)
  .allowUnknownOption()
  .allowExcessArguments()
  .argument('[options...]')
  .action(async (args: string[]) => {
    const { runProxyCommand } = await import('./proxy-launch.js');
    process.exitCode = await runProxyCommand(args);
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
