// `check` sends what Chromium sends: a HEAD goes out on a kept-alive connection, so
// the server's answer carries Keep-Alive, and with Access-Control-Expose-Headers: * the page can
// read it, as in Chromium.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probe } from '../../src/check/index.js';
import { close, listen } from '../helpers/http.js';

describe('check: HEAD as Chromium sends it', () => {
  it('asks for keep-alive, and the readable headers include what a kept-alive answer carries', async () => {
    const seen: string[] = [];
    const { server, url } = await listen((req, res) => {
      seen.push(String(req.headers.connection));
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Expose-Headers', '*');
      res.end();
    });
    try {
      const { report } = await probe(`${url}/x`, { origin: 'https://app.example.com', method: 'HEAD' });
      assert.equal(report.verdict, 'allowed');
      assert.equal(seen[0], 'keep-alive');
      assert.ok(report.exposedHeaders.includes('keep-alive'), report.exposedHeaders.join(', '));
    } finally {
      await close(server);
    }
  });
});
