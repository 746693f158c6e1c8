// `corsica audit <url> --policy <file>`: the live server against the options file `corsica lint`
// reads (a real cors.config.mjs, loaded by lint's loader), on real servers: a deploy with older
// options, a gateway that adds `*`, and the same policy deployed as written (no drift).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import cors from 'cors';
import express from 'express';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { FLAWED, SITE } from './gallery.js';

const corsica = (...args: string[]) => runCli(args, { source: true });

describe('corsica audit --policy', () => {
  let dir: string;
  let policy: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'corsica-policy-'));
    policy = join(dir, 'cors.config.mjs');
    writeFileSync(
      policy,
      `export default { origin: ['${SITE}'], methods: ['GET', 'POST', 'PUT'], credentials: true };\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a deploy with older options: the PUT the policy allows is refused, exit 1', async () => {
    const app = express();
    app.use(cors({ origin: [SITE], methods: ['GET', 'POST'], credentials: true }));
    app.get('/api/items', (_req, res) => res.json([]));
    const { server, url } = await listen(app as never);
    try {
      const run = await corsica('audit', `${url}/api/items`, '--origin', SITE, '--policy', policy);
      assert.equal(run.code, 1, run.stderr);
      assert.match(
        run.stdout,
        /policy-drift-allows-less: the preflight from https:\/\/www\.example\.com for PUT with content-type is refused by the live server \(status 204\), while .*cors\.config\.mjs allows it/,
      );
      // Annotations point at the policy file, a file of the repository.
      const github = await corsica(
        'audit',
        `${url}/api/items`,
        '--origin',
        SITE,
        '--policy',
        policy,
        '--format',
        'github',
      );
      assert.match(
        github.stdout,
        /^::error file=[^,]*cors\.config\.mjs,title=corsica audit%3A policy-drift-allows-less \(broken\)::/m,
      );
    } finally {
      await close(server);
    }
  });

  it('the policy deployed as written: no drift, exit 0', async () => {
    const app = express();
    app.use(cors({ origin: [SITE], methods: ['GET', 'POST', 'PUT'], credentials: true }));
    app.get('/api/items', (_req, res) => res.json([]));
    const { server, url } = await listen(app as never);
    try {
      const run = await corsica('audit', `${url}/api/items`, '--origin', SITE, '--policy', policy, '--json');
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.deepEqual(
        report.findings.filter((f: { class: string }) => f.class.startsWith('policy-drift')),
        [],
      );
      // Its allowed origin was probed with a preflight for each method it declares.
      assert.ok(report.probes.some((p: { kind: string }) => p.kind === 'policy-preflight'));
    } finally {
      await close(server);
    }
  });

  it('a gateway that adds * to a policy of one origin: the hostile origins it lets in, exit 1', async () => {
    const server = FLAWED.find((s) => s.expected === 'policy-drift-allows-more');
    assert.ok(server);
    const running = await server.start();
    const file = join(dir, 'one-origin.json');
    writeFileSync(file, JSON.stringify({ origin: [SITE] }));
    try {
      const run = await corsica('audit', running.url, '--origin', SITE, '--policy', file);
      assert.equal(run.code, 1, run.stderr);
      assert.match(
        run.stdout,
        /policy-drift-allows-more: .*https:\/\/corsica-attacker\.net.* is granted by the live server \(Access-Control-Allow-Origin: \*\), while .*one-origin\.json refuses it/,
      );
    } finally {
      await running.close();
    }
  });

  it('exit 2 and one line for a policy that cannot be one, or a file that is not there', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ origin: '*', credentials: true }));
    const run = await corsica('audit', 'http://127.0.0.1:9/', '--policy', bad);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^error: .*bad\.json cannot be the policy: .*\(corsica lint .*bad\.json says more\)/,
    );
    const missing = await corsica('audit', 'http://127.0.0.1:9/', '--policy', join(dir, 'none.mjs'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: --policy: cannot read .*none\.mjs: no such file/);
  });
});
