#!/usr/bin/env node
// The `corsica` command line.

import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { lint, UsageError } from './lint.js';

const program = new Command();
program
  .name('corsica')
  .description('Spec-exact CORS: lint a CORS configuration (check, proxy and playground are on their way)')
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
