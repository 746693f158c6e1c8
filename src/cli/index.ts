#!/usr/bin/env node
// The `corsica` command line.

import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { check } from './check.js';
import { explain } from './explain.js';
import { lint, UsageError } from './lint.js';

const program = new Command();
program
  .name('corsica')
  .description('Spec-exact CORS: check what a browser will do with a request, lint a CORS configuration')
  .version('0.1.0')
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
    process.exitCode = await lint(file, opts.json === true);
  });

program
  .command('check')
  .description(
    'send the requests Chromium would send for a cross-origin fetch and say whether the page gets the response, and why not (exit 0 allowed, 1 blocked, 2 usage or network error)',
  )
  .argument('<url>', 'the URL the page fetches')
  .requiredOption('--origin <origin>', "the page's origin, e.g. https://app.example.com")
  .option('--method <method>', 'the request method, as the page writes it', 'GET')
  .option(
    '--header <header>',
    "a request header 'Name: value' (repeatable)",
    (v: string, all: string[]) => [...all, v],
    [],
  )
  .option('--credentials', "send as fetch(url, { credentials: 'include' })")
  .option('--data <body>', 'a request body (sent as text/plain unless --header sets Content-Type)')
  .option('--json', 'print one JSON object')
  .option('--timeout <ms>', 'per request', '10000')
  .action(async (url: string, opts) => {
    process.exitCode = await check(url, opts);
  });

program
  .command('explain')
  .description(
    'explain a CORS error pasted from the browser console (Chromium, Firefox or Safari): what the server sent, why it was refused, the fix, and the corsica check command that reproduces it',
  )
  .argument('<message>', 'the console message, in quotes')
  .option('--json', 'print one JSON object')
  .action((message: string, opts: { json?: boolean }) => {
    process.exitCode = explain(message, opts.json === true);
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
