// `corsica check` and `corsica audit` run on a developer's machine against servers nobody vouches
// for. Each test here is an attack a hostile server made on them, written before its fix.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probe } from '../../src/check/index.js';
import { rawServer } from '../helpers/http.js';

const PAGE = 'https://app.example.com';

// hono's advisory for `/\s*,\s*/` came with a 200,000-space regression test; so does ours. The
// transport accepts 256 KiB of headers, so this much padding reaches the model. A quadratic trim or
// split takes minutes here; the timeout only keeps a regression from holding the run.
const PADDING = ' '.repeat(200_000);

describe('check: headers padded with 200,000 spaces are read in linear time', { timeout: 60_000 }, () => {
  const cases: { header: string; method: string; headers?: Record<string, string> }[] = [
    { header: `Vary: Accept${PADDING}x, Origin`, method: 'GET' },
    { header: `Access-Control-Expose-Headers: X-A${PADDING}x, X-B`, method: 'GET' },
    { header: `Access-Control-Allow-Headers: X-A${PADDING}x, X-B`, method: 'GET', headers: { 'X-B': '1' } },
    { header: `Access-Control-Allow-Methods: PUT${PADDING}x, PATCH`, method: 'PATCH' },
    { header: `Access-Control-Allow-Origin: ${PAGE}${PADDING}x`, method: 'GET' },
  ];
  for (const c of cases) {
    const name = c.header.slice(0, c.header.indexOf(':'));
    it(`${name} padded inside the value: every engine answers`, async () => {
      const s = await rawServer(
        c.header.startsWith('Access-Control-Allow-Origin')
          ? [c.header]
          : [`Access-Control-Allow-Origin: ${PAGE}`, c.header],
      );
      try {
        for (const browser of ['chromium', 'firefox', 'webkit'] as const) {
          const { report } = await probe(`${s.url}/x`, {
            origin: PAGE,
            method: c.method,
            header: Object.entries(c.headers ?? {}).map(([n, v]) => `${n}: ${v}`),
            browser,
          });
          assert.ok(['allowed', 'blocked'].includes(report.verdict), `${browser}: ${report.verdict}`);
        }
      } finally {
        await s.close();
      }
    });
  }
});
