// `corsica audit` as a user runs it: exit codes (0 nothing exploitable or broken, 1 findings, 2
// usage or network error), the human report grouped by severity with each proof, the --json
// shape, and clear messages for bad input and unreachable hosts. The command runs from the
// sources (through tsx), so that it needs no build.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { CORRECT, FLAWED, type Running, SITE } from './gallery.js';

/** Runs the command from its sources (no build needed). */
const corsica = (...args: string[]) => runCli(args, { source: true });

const flawed = (expected: string) => FLAWED.find((s) => s.expected === expected)!;

describe('corsica audit (command line)', () => {
  let prefix: Running;
  let broken: Running;
  let correct: Running;
  let silent: Server;
  let silentUrl: string;

  before(async () => {
    [prefix, broken, correct] = await Promise.all([
      flawed('prefix-match').start(),
      flawed('wildcard-with-credentials').start(),
      CORRECT[0]!.start(),
    ]);
    // Accepts connections and never answers.
    ({ server: silent, url: silentUrl } = await listen(() => {}));
  });
  after(async () => {
    await Promise.all([prefix.close(), broken.close(), correct.close(), close(silent)]);
  });

  it('exit 1 and the findings grouped by severity, one line each with its proof', async () => {
    const run = await corsica('audit', prefix.url, '--origin', SITE);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^corsica audit: http:\/\/127\.0\.0\.1:\d+\/api\/items for the site https:\/\/www\.example\.com/,
    );
    assert.match(
      run.stdout,
      /✖ exploitable \(\d+\)\n {2}prefix-match: only the start of the origin is compared/,
    );
    assert.match(
      run.stdout,
      /proof: GET Origin: https:\/\/www\.example\.com\.corsica-attacker\.net\n\s+← 200 .*access-control-allow-origin: https:\/\/www\.example\.com\.corsica-attacker\.net/,
    );
    // The fix is a whole statement, as every fix corsica prints: pasted, it runs.
    assert.match(
      run.stdout,
      /corsica: app\.use\(cors\(\{ origin: \[\/\* each other origin you trust, by name, \*\/ 'https:\/\/www\.example\.com'\]/,
    );
    assert.match(run.stdout, /✖ \d+ exploitable, 0 broken/);
  });

  it('exit 1 for a broken answer, under its own heading', async () => {
    const run = await corsica('audit', broken.url, '--origin', SITE);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /⚠ broken \(1\)\n {2}wildcard-with-credentials \(pitfall 7\)/);
  });

  it('exit 0 for a correct server', async () => {
    const run = await corsica(
      'audit',
      correct.url,
      '--origin',
      SITE,
      '--concurrency',
      '4',
      '--timeout',
      '3000',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✔ nothing exploitable or broken/);
  });

  it('--json prints one object: findings with class, severity, proof and fixes, counts and every probe', async () => {
    const run = await corsica('audit', prefix.url, '--origin', SITE, '--json');
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.site, SITE);
    assert.deepEqual(Object.keys(report.counts).sort(), ['broken', 'exploitable', 'info']);
    assert.ok(report.probes.length > 40);
    const f = report.findings.find((x: { class: string }) => x.class === 'prefix-match');
    assert.equal(f.severity, 'exploitable');
    assert.equal(f.origin, 'https://www.example.com.corsica-attacker.net');
    assert.deepEqual(
      f.proof.request.headers.find(([n]: [string]) => n === 'Origin'),
      ['Origin', f.origin],
    );
    assert.ok(
      f.proof.response.headers.some(
        ([n, v]: [string, string]) => n === 'access-control-allow-origin' && v === f.origin,
      ),
    );
    assert.deepEqual(Object.keys(f.fix).sort(), ['cors', 'corsica', 'fastify', 'hono', 'nginx', 'summary']);
  });

  it('exit 2 and one clear line for a usage mistake', async () => {
    const bad = await corsica('audit', prefix.url, '--origin', 'www.example.com');
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^error: --origin 'www\.example\.com' is not an origin as browsers send it/);
    const count = await corsica('audit', prefix.url, '--concurrency', 'many');
    assert.equal(count.code, 2);
    assert.match(count.stderr, /--concurrency must be a whole number, not 'many'/);
    const missing = await corsica('audit');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument 'url'/);
  });

  it('exit 2 and a clear message for an unreachable host or one that never answers', async () => {
    const { server, url } = await listen((_req, res) => res.end());
    await close(server);
    const refused = await corsica('audit', url);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^error: cannot audit http:\/\/127\.0\.0\.1:\d+: connection refused by 127\.0\.0\.1:\d+/,
    );
    const mute = await corsica('audit', silentUrl, '--timeout', '300');
    assert.equal(mute.code, 2);
    assert.match(mute.stderr, /no answer from 127\.0\.0\.1:\d+ within 300 ms/);
  });
});
