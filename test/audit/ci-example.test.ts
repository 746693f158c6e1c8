// The CI example of docs/audit.md, run as written against a real server: the workflow's `run:`
// commands (npx corsica → the built command), in a folder holding the page's cors.config.mjs
// and the OpenAPI file of the test shop (test/audit/shop.ts), which serves on the port the page
// names' place. The annotations point at the description's line, the SARIF log is valid.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { validSarif } from './sarif-schema.js';
import { OPENAPI, shop } from './shop.js';

const DOC = readFileSync(fileURLToPath(new URL('../../docs/audit.md', import.meta.url)), 'utf8');

/** The block after a marker line of docs/audit.md. */
function blockAfter(marker: string): string {
  const at = DOC.indexOf(marker);
  assert.ok(at >= 0, `docs/audit.md has ${marker}`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(DOC.slice(at));
  assert.ok(m);
  return m[1]!;
}

/** The page's `run: npx corsica ...` commands, as argument lists and the file stdout goes to. */
const COMMANDS = blockAfter('<!-- ci-example -->')
  .split('\n')
  .map((l) => /^\s*run: npx corsica (.*)$/.exec(l)?.[1])
  .filter((c): c is string => c !== undefined)
  .map((c) => {
    const [args, redirect] = c.split(' > ');
    return { args: args!.trim().split(/\s+/), into: redirect?.trim() };
  });

describe('the CI example of docs/audit.md, against a real server', () => {
  let dir: string;
  let server: Server;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corsica-ci-'));
    writeFileSync(
      join(dir, 'cors.config.mjs'),
      blockAfter('<!-- test: elsewhere test/audit/ci-example.test.ts -->'),
    );
    copyFileSync(OPENAPI, join(dir, 'openapi.yaml'));
    ({ server, url: base } = await listen(shop([]) as never));
  });
  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the two audit steps', () => {
    assert.equal(COMMANDS.length, 2);
    assert.ok(COMMANDS.every((c) => c.args[0] === 'audit'));
  });

  /** Runs a command of the page in the folder, on the real server's port. */
  const run = (args: readonly string[]) =>
    runCli(
      args.map((a) => a.replace('http://127.0.0.1:3000', base)),
      { cwd: dir },
    );

  it('the annotations step fails the job and points at the description', async () => {
    const result = await run(COMMANDS[0]!.args);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      /^::error file=openapi\.yaml,line=52,title=corsica audit%3A declared-preflight-refused \(broken\)::http:\/\/127\.0\.0\.1:\d+\/v1\/orders\/1: /m,
    );
    assert.match(result.stdout, /^corsica audit: 3 URLs, 0 exploitable, 1 broken, 0 info$/m);
  });

  it('the code-scanning step writes a valid SARIF log', async () => {
    const { args, into } = COMMANDS[1]!;
    assert.equal(into, 'corsica.sarif');
    const result = await run(args);
    assert.equal(result.code, 1, result.stderr);
    writeFileSync(join(dir, into), result.stdout);
    const log = JSON.parse(readFileSync(join(dir, into), 'utf8'));
    assert.ok(validSarif(log), JSON.stringify(validSarif.errors));
    assert.deepEqual(
      JSON.parse(result.stdout).runs[0].results.map((r: { ruleId: string }) => r.ruleId),
      ['declared-preflight-refused'],
    );
  });
});
