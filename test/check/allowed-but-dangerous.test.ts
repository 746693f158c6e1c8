// Allowed is not the same as safe, and no answer is not a CORS block:
// real servers with the article's mistakes that still let the page read, and a server that is not
// there. `check` must warn, with codes, in the human output and in --json.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { cors } from '../../src/adapters/node/index.js';
import { PROBE_ORIGIN, probe } from '../../src/check/index.js';
import { close, listen } from '../helpers/http.js';

const EVIL = 'https://evil.example';
const PAGE = 'https://app.example.com';

/** The mistake people write: echo whatever Origin came, with credentials, and forget Vary. */
function reflectAnything(credentials: boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.origin !== undefined) res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
    if (credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.end('{"secret":1}');
  };
}

describe('check warns about allowed answers that are still wrong', () => {
  const servers: Awaited<ReturnType<typeof listen>>[] = [];
  const url: Record<string, string> = {};
  before(async () => {
    const add = async (name: string, handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const s = await listen(handler);
      servers.push(s);
      url[name] = s.url;
    };
    await add('reflectCredentials', reflectAnything(true));
    await add('reflect', reflectAnything(false));
    await add('nullAllowed', (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', 'null');
      res.end('ok');
    });
    const middleware = cors({ origin: [PAGE], credentials: true });
    await add('corsica', (req, res) => middleware(req, res, () => res.end('ok')));
  });
  after(async () => {
    for (const s of servers) await close(s.server);
  });

  it('a server that reflects any origin with credentials is a hole, proven with a second, untrusted origin', async () => {
    const { report } = await probe(`${url.reflectCredentials}/me`, { origin: EVIL, credentials: true });
    assert.equal(report.verdict, 'allowed');
    const codes = report.warnings.map((w) => w.code);
    assert.ok(codes.includes('REFLECTS_ANY_ORIGIN_WITH_CREDENTIALS'), codes.join());
    assert.ok(codes.includes('VARY_ORIGIN_MISSING'), codes.join());
    const hole = report.warnings.find((w) => w.code === 'REFLECTS_ANY_ORIGIN_WITH_CREDENTIALS')!;
    assert.equal(hole.severity, 'hole');
    assert.match(hole.message, new RegExp(`${PROBE_ORIGIN.replace(/[.]/g, '\\.')} was allowed too`));
  });

  it('the command says so in words and in --json', async () => {
    const run = promisify(execFile);
    const human = await run(
      process.execPath,
      ['dist/cli.js', 'check', `${url.reflectCredentials}/me`, '--origin', EVIL, '--credentials'],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    assert.match(human.stdout, /✔ allowed/);
    assert.match(human.stdout, /⚠ security hole \(REFLECTS_ANY_ORIGIN_WITH_CREDENTIALS\)/);
    const json = await run(process.execPath, [
      'dist/cli.js',
      'check',
      `${url.reflect}/me`,
      '--origin',
      EVIL,
      '--json',
    ]);
    const codes = (JSON.parse(json.stdout) as { warnings: { code: string }[] }).warnings.map((w) => w.code);
    assert.deepEqual(codes.sort(), ['REFLECTS_ANY_ORIGIN', 'VARY_ORIGIN_MISSING']);
  });

  it('Access-Control-Allow-Origin: null is a hole: any sandboxed page can send Origin: null', async () => {
    const { report } = await probe(`${url.nullAllowed}/x`, { origin: 'null' });
    assert.equal(report.verdict, 'allowed');
    assert.deepEqual(
      report.warnings.map((w) => w.code),
      ['NULL_ORIGIN_ALLOWED'],
    );
  });

  it('corsica with a list of origins gets no warning: it sends Vary and does not echo strangers', async () => {
    const { report } = await probe(`${url.corsica}/x`, { origin: PAGE, credentials: true });
    assert.equal(report.verdict, 'allowed');
    assert.deepEqual(report.warnings, []);
  });

  it('a server that is not there is a network error, not a CORS block (verdict, exit 2)', async () => {
    const gone = await listen(() => {});
    const deadUrl = `${gone.url}/x`;
    await close(gone.server);
    const { report } = await probe(deadUrl, { origin: PAGE, timeout: 2000 });
    assert.equal(report.verdict, 'network-error');
    assert.equal(report.error, null);
    const result = await promisify(execFile)(process.execPath, [
      'dist/cli.js',
      'check',
      deadUrl,
      '--origin',
      PAGE,
      '--json',
    ]).catch((err: { code: number; stdout: string }) => err);
    assert.equal((result as { code: number }).code, 2);
    assert.equal(JSON.parse((result as { stdout: string }).stdout).verdict, 'network-error');
  });
});
