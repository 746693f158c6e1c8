// The proxy's options come from one table (src/proxy/option-table.ts): the type users write, the
// table in docs/proxy.md, the command's flags and --help, its CORSICA_* variables and config-file keys,
// the defaults and the ranges all follow it, so that an option added there is complete.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OPTIONS_PAGE, optionsTable, TYPE_FILE, typeSource } from '../../scripts/proxy-options.js';
import { proxyOptions } from '../../src/cli/proxy.js';
import { createProxy } from '../../src/proxy/index.js';
import {
  CONFIG_FLAG,
  envOf,
  flagOf,
  helpLine,
  OPTION_ROWS,
  type OptionRow,
} from '../../src/proxy/option-table.js';
import { resolveProxyOptions } from '../../src/proxy/options.js';
import { runCli } from '../helpers/cli.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'corsica-options-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A value of the row's kind, as a flag (commander's string, or array for a repeated flag) gives it. */
function sample(key: string, row: OptionRow): string | string[] {
  if (row.kind === 'number') return '7';
  if (row.kind === 'string') return `${key}-value`;
  if (row.kind === 'list') return [`${key}-1`, `${key}-2`];
  return ['a.pem', 'b.pem'].map((name) => {
    const path = join(dir, name);
    writeFileSync(path, `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`);
    return path;
  });
}

describe('proxy options: one table', () => {
  it(`${TYPE_FILE} is the ProxyOptions type the table makes`, () => {
    assert.equal(read(TYPE_FILE), typeSource(), 'run: node --import tsx scripts/proxy-options.ts');
  });

  it(`the table of options in ${OPTIONS_PAGE} is the table's, word for word`, () => {
    assert.ok(read(OPTIONS_PAGE).includes(optionsTable()), 'run: node --import tsx scripts/proxy-options.ts');
  });

  it('every {option} a text names is an option', () => {
    const keys = new Set(OPTION_ROWS.map(([key]) => key as string));
    for (const [key, row] of OPTION_ROWS)
      for (const [, named] of `${row.help} ${row.more ?? ''}`.matchAll(/\{(\w+)\}/g))
        assert.ok(keys.has(named!), `${key} names {${named}}`);
  });

  it('every option is a flag, a CORSICA_* variable and a config-file key, each giving the same value', async () => {
    for (const [key, row] of OPTION_ROWS) {
      const value = sample(key, row);
      const config = join(dir, `${key}.json`);
      writeFileSync(config, JSON.stringify({ [key]: row.kind === 'number' ? 7 : value }));
      const fromFlag = await proxyOptions({ [key]: value }, {});
      const text = Array.isArray(value) ? value.join(',') : value;
      assert.deepEqual(await proxyOptions({}, { [envOf(key)]: text }), fromFlag, envOf(key));
      assert.deepEqual(await proxyOptions({ config }, {}), fromFlag, `${key} in a config file`);
      assert.deepEqual(Object.keys(fromFlag), [key]);
    }
  });

  it('a missing option takes its default, and a number outside its range is refused with the range', () => {
    const { config } = resolveProxyOptions({});
    assert.ok(config);
    for (const [key, row] of OPTION_ROWS) {
      if (row.range === undefined) continue;
      const used: unknown = key === 'corsMaxAge' ? config.cors.maxAge : config[key as keyof typeof config];
      assert.equal(used, row.default, key);
      const [min, max] = row.range;
      for (const wrong of [min - 1, max + 1]) {
        const { problems } = resolveProxyOptions({ [key]: wrong });
        assert.deepEqual(
          problems.map((p) => [p.code, p.path, p.message]),
          [['PROXY_NUMBER_INVALID', key, `must be a whole number from ${min} to ${max}, not ${wrong}.`]],
        );
      }
    }
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.cors.origin, '*');
    assert.deepEqual(config.requireHeader, ['origin']);
    assert.deepEqual(config.rateLimit, { points: 600, seconds: 60 });
  });

  it("the help page at / has each option's line, and never names a private target", async () => {
    const proxy = createProxy({
      port: 0,
      allowOrigin: ['https://app.example'],
      allowPrivateTarget: ['10.1.2.3:8080'],
      cookies: ['jar.internal.example'],
      requireHeader: [],
      rateLimit: '100/30s',
    });
    try {
      const { url } = await proxy.listen();
      const page = await (await fetch(url)).text();
      for (const line of [
        'Pages from: https://app.example',
        'Private, loopback and cloud-metadata addresses are never contacted (except a few the operator named, which are not listed here).',
        'Required request headers: none',
        'Rate limit: 100 requests per 30 s per client',
        'Largest request body: 10485760 bytes',
        'Largest response body: 104857600 bytes',
        'Cookies are forwarded only for the configured targets.',
      ])
        assert.ok(page.includes(`<li>${line}</li>`), line);
      assert.doesNotMatch(page, /10\.1\.2\.3|jar\.internal/);
    } finally {
      await proxy.close();
    }
  });

  it('corsica proxy --help lists every option with its argument, its help line and its default', async () => {
    const run = await runCli(['proxy', '--help']);
    assert.equal(run.code, 0, run.stderr);
    const help = run.stdout.replace(/\s+/g, ' ');
    for (const [key, row] of OPTION_ROWS) {
      const line = `${flagOf(key)} ${row.arg} ${helpLine(row)}`;
      assert.ok(help.includes(line), `${line}\nnot in\n${run.stdout}`);
    }
    assert.ok(help.includes(`${CONFIG_FLAG.flag} ${CONFIG_FLAG.arg} ${CONFIG_FLAG.help}`));
  });
});
