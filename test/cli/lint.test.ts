// `corsica lint` as users run it: the built CLI in a child process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const CLI = join(import.meta.dirname, '../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'corsica-lint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function corsica(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    // A lint that runs an app's server would never exit: end it rather than hang the test run.
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('corsica lint', () => {
  it('prints every problem with its fix and exits 1 on errors', () => {
    const path = file(
      'bad.json',
      JSON.stringify({ origin: ['*.example.com', 'https://a.com/'], credentials: true, maxAge: 100000 }),
    );
    const r = corsica('lint', path);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error {3}origin\[0\] {2}'\*\.example\.com' is a wildcard without a scheme/);
    assert.match(r.stdout, /fix: Write the pattern 'https:\/\/\*\.example\.com'/);
    assert.match(r.stdout, /error {3}origin\[1\] {2}'https:\/\/a\.com\/' ends with a slash/);
    assert.match(r.stdout, /error {3}maxAge {2}maxAge must be a whole number of seconds from -1 to 86400/);
    assert.match(r.stdout, /\n3 errors, 0 warnings, 0 hints\n$/);
  });

  it('exits 0 with warnings and hints only', () => {
    const r = corsica(
      'lint',
      file('warn.json', JSON.stringify({ origin: true, credentials: true, maxAge: 86400 })),
    );
    assert.equal(r.code, 0);
    assert.match(r.stdout, /warning origin {2}origin: true with credentials: true lets every website read/);
    assert.match(r.stdout, /hint {4}maxAge {2}Chromium caps the preflight cache at 7200 seconds/);
    assert.match(r.stdout, /0 errors, 1 warning, 1 hint/);
  });

  it('a pattern above a public suffix (https://*.amazonaws.com covers s3.amazonaws.com) is an error with credentials, a warning without', () => {
    const withCredentials = corsica(
      'lint',
      file('buckets.json', JSON.stringify({ origin: ['https://*.amazonaws.com'], credentials: true })),
    );
    assert.equal(withCredentials.code, 1);
    assert.match(
      withCredentials.stdout,
      /error {3}origin\[0\] {2}'https:\/\/\*\.amazonaws\.com' trusts every site under 'amazonaws\.com', and the Public Suffix List has 's3\.amazonaws\.com' under it/,
    );
    const without = corsica(
      'lint',
      file('buckets-open.json', JSON.stringify({ origin: ['https://*.amazonaws.com'] })),
    );
    assert.equal(without.code, 0);
    assert.match(
      without.stdout,
      /warning origin\[0\] {2}'https:\/\/\*\.amazonaws\.com' trusts every site under/,
    );
  });

  it('says so when there is nothing to report', () => {
    const r = corsica(
      'lint',
      file('good.json', JSON.stringify({ origin: ['https://app.example.com'], credentials: true })),
    );
    assert.equal(r.code, 0);
    assert.match(r.stdout, /good\.json: no problems found\./);
  });

  it('reads the default export of a JavaScript module, RegExps included', () => {
    const path = file(
      'cors.config.mjs',
      'export default { origin: [/example\\.com$/, "https://*.example.org"] };',
    );
    const r = corsica('lint', path);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /warning origin\[0\] {2}\/example\\\.com\$\/ is not anchored/);
  });

  it('reads module.exports of a CommonJS module', () => {
    const r = corsica('lint', file('cors.config.cjs', 'module.exports = { origin: "null" };'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /ORIGIN_NULL/);
  });

  it('--json prints the problems as data', () => {
    const r = corsica('lint', '--json', file('j.json', JSON.stringify({ origin: '*', credentials: true })));
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      problems: { code: string; pitfall?: number; fix: string }[];
    };
    assert.equal(report.ok, false);
    assert.equal(report.problems[0]?.code, 'ORIGIN_WILDCARD_WITH_CREDENTIALS');
    assert.equal(report.problems[0]?.pitfall, 7);
  });

  it('exits 2 with a clear message for a missing file, bad JSON, a delegate or an unknown extension', () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.json'), /error: cannot read .*missing\.json: no such file/],
      [file('broken.json', '{ origin: '), /error: .*broken\.json is not valid JSON/],
      [
        file('delegate.mjs', 'export default (req, cb) => cb(null, {});'),
        /exports a function; lint needs the options object itself/,
      ],
      [file('opts.yaml', 'origin: x'), /expected a \.json, \.js, \.mjs or \.cjs file/],
      // The module is there; what it imports is not: say which, not "no such file".
      [
        file(
          'imports-missing.mjs',
          "import x from 'no-such-package-corsica';\nexport default { origin: x };",
        ),
        /it imports 'no-such-package-corsica', which is not installed/,
      ],
      // No default export: say so, rather than lint the module's namespace as if it were options.
      [
        file('named-only.mjs', "export const origin = 'https://app.example.com';"),
        /has no default export; .* It exports: origin\./,
      ],
    ];
    for (const [path, message] of cases) {
      const r = corsica('lint', path);
      assert.equal(r.code, 2, path);
      assert.match(r.stderr, message);
    }
  });
});

/** A port nothing listens on now: bound, read, and closed again. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('corsica lint never runs an application', () => {
  // Inside the repository (tmp/ is git-ignored), so that the app's require('express') resolves.
  const appDir = join(import.meta.dirname, '../../tmp');
  mkdirSync(appDir, { recursive: true });
  const apps = mkdtempSync(join(appDir, 'lint-app-'));
  after(() => rmSync(apps, { recursive: true, force: true }));

  it('an Express app file: a clear error, exit 2, no server started and no process left', async () => {
    const port = await freePort();
    const path = join(apps, 'server.cjs');
    writeFileSync(
      path,
      `const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: 'https://app.example.com' }));
app.get('/', (req, res) => res.send('hi'));
app.listen(${port});
module.exports = app;
`,
    );
    const r = corsica('lint', path);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: ${path} is an application, not an options module: loading it tried to listen on a port (it starts a server), and lint never runs an application. Put the options in a module of their own (export default { origin: ... }, or module.exports = { ... }) that the app imports, and lint that; or lint them inline: corsica lint --options '{ origin: [...] }'.\n`,
    );
    assert.equal(r.stdout, '');
    assert.equal(await listening(port), false, 'nothing listens on the port the app names');
    const left = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    assert.ok(!left.includes('lint-child'), `a lint process is left:\n${left}`);
  });

  it('a module that opens a connection or starts a process is refused the same way', () => {
    for (const [name, code, what] of [
      [
        'db.mjs',
        "import net from 'node:net';\nnet.connect(1, '127.0.0.1');\nexport default {};",
        'open a network connection',
      ],
      [
        'worker.mjs',
        "import { spawn } from 'node:child_process';\nspawn('sleep', ['60']);\nexport default {};",
        'start a process',
      ],
      [
        'thread.mjs',
        "import { Worker } from 'node:worker_threads';\nnew Worker('setInterval(() => {}, 1000)', { eval: true });\nexport default {};",
        'start a worker thread',
      ],
    ]) {
      const r = corsica('lint', file(name!, code!));
      assert.equal(r.code, 2, name);
      assert.match(
        r.stderr,
        new RegExp(`is an application, not an options module: loading it tried to ${what}`),
      );
    }
  });

  it('a module that never finishes loading is given up after --timeout, with its process', () => {
    const r = corsica(
      'lint',
      '--timeout',
      '300',
      file('waits.mjs', 'await new Promise(() => setInterval(() => {}, 1000));\nexport default {};'),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /waits\.mjs did not finish loading within 300 ms, so it is not a module that only exports options/,
    );
  });

  it('a CommonJS file that exports nothing is an error, not the default options', () => {
    const r = corsica('lint', file('routes.cjs', "const origin = 'https://app.example.com';\n"));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /routes\.cjs exports nothing \(module\.exports is empty\), so there are no options to lint/,
    );
    assert.equal(r.stdout, '');
  });

  it('--options lints the options written inline, as JSON or as a JavaScript literal', () => {
    const json = corsica('lint', '--options', '{"origin":"*","credentials":true}');
    assert.equal(json.code, 1);
    assert.match(
      json.stdout,
      /^--options\n {2}error {3}origin {2}origin '\*' cannot be used with credentials/,
    );
    const literal = corsica(
      'lint',
      '--options',
      "{ origin: [/example\\.com$/, 'https://app.example.com'], orign: true }",
    );
    assert.equal(literal.code, 1);
    assert.match(literal.stdout, /warning origin\[0\] {2}\/example\\\.com\$\/ is not anchored/);
    assert.match(
      literal.stdout,
      /error {3}orign {2}'orign' is not a corsica option; it looks like 'origin' misspelt/,
    );
    const broken = corsica('lint', '--options', '{ origin: [');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /error: --options is not a JSON or JavaScript object literal: /);
    const both = corsica('lint', '--options', '{}', file('both.json', '{}'));
    assert.equal(both.code, 2);
    assert.match(both.stderr, /error: give either a file or --options, not both or neither/);
  });
});

describe('corsica', () => {
  it('--help lists the commands and exits 0', () => {
    const r = corsica('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: corsica/);
    assert.match(r.stdout, /lint \[options\] \[file\]/);
  });

  it('--help gives each default once', () => {
    for (const command of ['check', 'playground', 'proxy']) {
      const help = corsica(command, '--help').stdout.replace(/\s+/g, ' ');
      assert.doesNotMatch(help, /\(default: \[\]\)/, `${command}: an empty list shown as a default`);
      assert.doesNotMatch(help, /\(default (\S+)\) \(default: "\1"\)/, `${command}: a default given twice`);
    }
  });

  it('exits 2 on an unknown command', () => {
    const r = corsica('frobnicate');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
