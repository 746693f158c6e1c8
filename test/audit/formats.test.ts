// `corsica audit --format sarif|junit|github` on real servers, as CI reads them: SARIF validated
// against the SARIF 2.1.0 schema (from @microsoft/jest-sarif) with what GitHub code scanning also
// requires (a rule id, a message, a non-empty location URI on every result), JUnit XML that
// parses, with one failure per exploitable or broken class, and workflow commands that a hostile
// answer cannot forge. Exit codes are those of the human report.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { CORRECT, FLAWED, type Running, SITE } from './gallery.js';
import { validSarif } from './sarif-schema.js';

const corsica = (...args: string[]) => runCli(args, { source: true });
describe('corsica audit --format for CI', () => {
  let prefix: Running;
  let correct: Running;
  let hostile: { url: string; close: () => Promise<void> };

  before(async () => {
    [prefix, correct] = await Promise.all([
      FLAWED.find((s) => s.expected === 'prefix-match')!.start(),
      CORRECT[0]!.start(),
    ]);
    // Values made to break each format: a forged workflow command, XML markup.
    const { server, url } = await listen((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', `${SITE}, https://x%0A::warning title=forged::<b>&"`);
      res.end('{}');
    });
    hostile = { url, close: () => close(server) };
  });
  after(() => Promise.all([prefix.close(), correct.close(), hostile.close()]));

  it('sarif: a valid SARIF 2.1.0 log that GitHub code scanning takes, exit 1 with findings', async () => {
    const run = await corsica('audit', prefix.url, '--origin', SITE, '--format', 'sarif');
    assert.equal(run.code, 1, run.stderr);
    // Parsed twice: the validator's type guard would narrow one value to unknown.
    assert.ok(validSarif(JSON.parse(run.stdout)), JSON.stringify(validSarif.errors));
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'corsica audit');
    const rules = sarifRun.tool.driver.rules;
    const result = sarifRun.results.find((r: { ruleId: string }) => r.ruleId === 'prefix-match');
    assert.ok(result);
    assert.equal(result.level, 'error');
    assert.equal(rules[result.ruleIndex].id, 'prefix-match');
    assert.equal(rules[result.ruleIndex].properties['security-severity'], '8.1');
    assert.match(result.message.text, /^prefix-match: only the start of the origin is compared/);
    for (const r of sarifRun.results) {
      assert.ok(r.locations[0].physicalLocation.artifactLocation.uri.length > 0);
      assert.match(r.partialFingerprints['corsicaFinding/v1'], /^[0-9a-f]{64}$/);
    }
    const clean = await corsica('audit', correct.url, '--origin', SITE, '--format', 'sarif');
    assert.equal(clean.code, 0, clean.stderr);
    assert.ok(validSarif(JSON.parse(clean.stdout)));
  });

  it('junit: well-formed XML, a test case per class, a failure per exploitable or broken class', async () => {
    const run = await corsica('audit', prefix.url, '--origin', SITE, '--format', 'junit');
    assert.equal(run.code, 1, run.stderr);
    assert.equal(XMLValidator.validate(run.stdout), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(run.stdout);
    const suite = doc.testsuites.testsuite;
    assert.equal(suite.name, prefix.url);
    const failed = suite.testcase.filter((c: { failure?: unknown }) => c.failure !== undefined);
    assert.ok(failed.some((c: { name: string }) => c.name === 'prefix-match'));
    assert.equal(Number(suite.failures), failed.length);
    assert.equal(Number(doc.testsuites.failures), failed.length);
    const hostileRun = await corsica('audit', hostile.url, '--origin', SITE, '--format', 'junit');
    assert.equal(hostileRun.code, 1);
    assert.equal(XMLValidator.validate(hostileRun.stdout), true, 'markup in an answer stays text');
    assert.match(hostileRun.stdout, /&lt;b&gt;&amp;&quot;/);
  });

  it('github: one workflow command per finding that no answer can forge, exit codes unchanged', async () => {
    const run = await corsica('audit', prefix.url, '--origin', SITE, '--format', 'github');
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^::error title=corsica audit%3A prefix-match \(exploitable\)::http:\/\/127\.0\.0\.1:\d+\/api\/items: only the start of the origin is compared/m,
    );
    assert.match(run.stdout, /\ncorsica audit: 1 URL, \d+ exploitable, 0 broken, \d+ info$/m);
    assert.match(run.stdout, /^::notice title=corsica audit%3A note::127\.0\.0\.1 is a loopback address/m);
    const forged = await corsica('audit', hostile.url, '--origin', SITE, '--format', 'github');
    assert.equal(forged.code, 1);
    assert.match(
      forged.stdout,
      /^::error title=corsica audit%3A several-origins \(broken\)::.*x%250A::warning title=forged::/m,
    );
    assert.ok(!forged.stdout.split('\n').some((l) => l.startsWith('::warning')));
    const clean = await corsica('audit', correct.url, '--origin', SITE, '--format', 'github');
    assert.equal(clean.code, 0, clean.stderr);
    assert.doesNotMatch(clean.stdout, /^::error/m);
  });

  it('exit 2 for an unknown format, or --json with another', async () => {
    const bad = await corsica('audit', prefix.url, '--format', 'xml');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --format must be one of human, json, sarif, junit, github, not 'xml'/);
    const both = await corsica('audit', prefix.url, '--json', '--format', 'sarif');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^error: give either --json or --format sarif, not both/);
  });
});
