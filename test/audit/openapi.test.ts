// `corsica audit --openapi <file> --base-url <url>`: every path and operation of a real OpenAPI
// file (test/fixtures/audit/openapi.yaml) against a real Express server that records what it
// gets: path parameters filled from examples or --path-param, each operation's preflight with its
// method and headers, never an unsafe method, a path without GET audited by preflights only. The
// parser is loaded only with --openapi: the built command's chunks for check and a plain audit
// do not hold it.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { apiPaths } from '../../src/audit/openapi.js';
import { runCli } from '../helpers/cli.js';
import { close, listen } from '../helpers/http.js';
import { SITE } from './gallery.js';
import { OPENAPI as FILE, type Seen, shop } from './shop.js';

const corsica = (...args: string[]) => runCli(args, { source: true });

describe('corsica audit --openapi: every path and operation of a real description', () => {
  const seen: Seen[] = [];
  let server: Server;
  let base: string;

  before(async () => {
    ({ server, url: base } = await listen(shop(seen) as never));
    base = `${base}/v1`;
  });
  after(() => close(server));

  it('probes each path, fills path parameters, preflights each operation, and never sends an unsafe method', async () => {
    const run = await corsica(
      'audit',
      '--openapi',
      FILE,
      '--base-url',
      base,
      '--path-param',
      'orderId=42',
      '--origin',
      SITE,
      '--json',
    );
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.openapi, FILE);
    const urls = out.reports.map((r: { url: string }) => new URL(r.url).pathname);
    assert.deepEqual(urls, ['/v1/items', '/v1/items/7', '/v1/orders/42']);
    // Only GET and OPTIONS on the wire, and no GET where the description declares none.
    assert.deepEqual([...new Set(seen.map((s) => s.method))].sort(), ['GET', 'OPTIONS']);
    assert.ok(!seen.some((s) => s.method === 'GET' && s.path !== '/v1/items'));
    const preflight = (path: string, method: string) =>
      seen.find((s) => s.path === path && s.method === 'OPTIONS' && s.asked === method);
    assert.equal(preflight('/v1/items', 'POST')?.headers, 'authorization,content-type');
    assert.equal(preflight('/v1/items/7', 'DELETE')?.headers, 'x-request-id');
    assert.equal(preflight('/v1/orders/42', 'PUT')?.headers, 'content-type');
    const [items, item, order] = out.reports;
    assert.deepEqual(items.counts, { exploitable: 0, broken: 0, info: 0 });
    assert.equal(item.counts.exploitable + item.counts.broken, 0);
    const refused = order.findings.find((f: { class: string }) => f.class === 'declared-preflight-refused');
    assert.ok(refused, order.findings.map((f: { class: string }) => f.class).join(', '));
    assert.match(
      refused.message,
      /for PUT with content-type, an operation the API declares, is refused \(PreflightMissingAllowOriginHeader/,
    );
    assert.deepEqual(out.counts, { exploitable: 0, broken: 1, info: 0 });
  });

  it('prints one report per path for people, then the totals', async () => {
    const run = await corsica('audit', '--openapi', FILE, '--base-url', base, '--origin', SITE);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /corsica audit: http:\/\/127\.0\.0\.1:\d+\/v1\/orders\/1 for the site https:\/\/www\.example\.com/,
    );
    assert.match(
      run.stdout,
      /declared-preflight-refused: the preflight from https:\/\/www\.example\.com for PUT with content-type/,
    );
    assert.match(run.stdout, /\ncorsica audit: 3 URLs: ✖ 0 exploitable, 1 broken$/m);
  });

  it('reads JSON descriptions with $refs to files beside them (OpenAPI 3.0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-openapi-'));
    try {
      writeFileSync(
        join(dir, 'params.json'),
        JSON.stringify({
          id: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        }),
      );
      writeFileSync(
        join(dir, 'api.json'),
        JSON.stringify({
          openapi: '3.0.3',
          info: { title: 't', version: '1' },
          paths: {
            '/things/{id}': {
              parameters: [{ $ref: './params.json#/id' }],
              patch: {
                parameters: [{ name: 'X-Api-Key', in: 'header', schema: { type: 'string' } }],
                responses: { '200': { description: 'ok' } },
              },
            },
          },
        }),
      );
      const paths = await apiPaths(join(dir, 'api.json'), 'https://api.example.com/');
      assert.deepEqual(paths, [
        {
          path: '/things/{id}',
          url: 'https://api.example.com/things/00000000-0000-4000-8000-000000000000',
          operations: [{ method: 'PATCH', headers: [['X-Api-Key', '1']] }],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exit 2 and one clear line for every mistake in the file or its use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-openapi-'));
    try {
      writeFileSync(join(dir, 'broken.yaml'), 'openapi: [');
      writeFileSync(join(dir, 'other.yaml'), 'hello: world\n');
      const cases: [string[], RegExp][] = [
        [['--openapi', FILE], /^error: --openapi needs --base-url, the URL the paths are under/],
        [
          ['--openapi', join(dir, 'missing.yaml'), '--base-url', base],
          /^error: cannot read .*missing\.yaml: no such file/,
        ],
        [
          ['--openapi', join(dir, 'broken.yaml'), '--base-url', base],
          /^error: .*broken\.yaml is not a valid OpenAPI description: Error parsing/,
        ],
        [
          ['--openapi', join(dir, 'other.yaml'), '--base-url', base],
          /^error: .*other\.yaml is not an OpenAPI description: no 'openapi'/,
        ],
        [
          ['--openapi', FILE, '--base-url', base, '--path-param', 'userId=1'],
          /^error: --path-param userId: no path of .* has a parameter \{userId\} \(it has \{itemId\}, \{orderId\}\)/,
        ],
        [
          ['--openapi', FILE, '--base-url', base, '--path-param', 'orderId'],
          /^error: --path-param must look like 'name=value', got 'orderId'/,
        ],
        [
          [base, '--openapi', FILE, '--base-url', base],
          /^error: give either a URL or --openapi with --base-url, not both/,
        ],
        [[base, '--base-url', base], /^error: --base-url and --path-param go with --openapi/],
      ];
      for (const [args, message] of cases) {
        const run = await corsica('audit', ...args);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the OpenAPI parser is loaded only with --openapi (built command)', () => {
  const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
  /** The chunks a chunk loads before it runs: its static imports, transitively. */
  const closure = (file: string, into = new Set<string>()): Set<string> => {
    if (into.has(file)) return into;
    into.add(file);
    const text = readFileSync(join(DIST, file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) closure(m[1]!, into);
    return into;
  };
  const dynamic = (file: string, prefix: string) =>
    [...readFileSync(join(DIST, file), 'utf8').matchAll(/import\("\.\/([^"]+\.js)"\)/g)]
      .map((m) => m[1]!)
      .find((f) => f.startsWith(prefix));
  /** A name the parser's bundle keeps (keepNames): json-schema-ref-parser's class. */
  const PARSER = '$RefParser';
  const holds = (files: Set<string>) =>
    [...files].filter((f) => readFileSync(join(DIST, f), 'utf8').includes(PARSER));

  it('plain audit and check load chunks without it; --openapi loads it through one more import', {
    skip: existsSync(join(DIST, 'cli.js')) ? false : 'dist/ not built (npm run build)',
  }, () => {
    const audit = dynamic('cli.js', 'node-audit-');
    const check = dynamic('cli.js', 'node-check-');
    assert.ok(audit && check, 'cli.js imports the audit and check commands on use');
    assert.deepEqual(holds(closure('cli.js')), []);
    assert.deepEqual(holds(closure(audit)), []);
    assert.deepEqual(holds(closure(check)), []);
    const openapi = [...closure(audit)].map((f) => dynamic(f, 'node-openapi-')).find((f) => f !== undefined);
    assert.ok(openapi, 'the audit loads its OpenAPI module on use');
    const parser = [...closure(openapi)].map((f) => dynamic(f, 'node-')).filter((f) => f !== undefined);
    assert.ok(
      parser.some((f) => holds(closure(f!)).length > 0),
      'the parser is one dynamic import further',
    );
  });
});
