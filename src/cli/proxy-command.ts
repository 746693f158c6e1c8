#!/usr/bin/env node
// `corsica-proxy`, the command of the corsica-proxy package (`corsica proxy` runs it when it is
// installed): options from a config file, CORSICA_* variables and flags (src/cli/proxy.ts), then a
// server until SIGINT or SIGTERM. Its flags are the rows of src/proxy/option-table.ts.

import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { CONFIG_FLAG, flagOf, helpLine, OPTION_ROWS, repeats } from '../proxy/option-table.js';
import { runProxy } from './proxy.js';
import { UsageError } from './usage.js';
import { packageVersion } from './version.js';

// Repeatable options start undefined, so that --help shows no `(default: [])`. Defaults are only
// said in the help lines, never given to commander: resolveProxyOptions applies them, after the
// config file and the variables had their say.
const collect = (value: string, all: string[] = []) => [...all, ...value.split(',')];

const program = new Command();
program
  .name('corsica-proxy')
  .description(
    'run a CORS proxy that is safe to expose: GET /<absolute-url> or /?url=<encoded url> (options also from CORSICA_* variables and --config)',
  )
  .version(packageVersion('corsica-proxy'))
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .option(`${CONFIG_FLAG.flag} ${CONFIG_FLAG.arg}`, CONFIG_FLAG.help)
  .action(async (opts: Record<string, unknown>) => {
    const code = await runProxy(opts);
    if (code !== null) process.exitCode = code;
  });
for (const [key, row] of OPTION_ROWS) {
  const flag = `${flagOf(key)} ${row.arg}`;
  if (repeats(row)) program.option(flag, helpLine(row), collect);
  else program.option(flag, helpLine(row));
}

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
