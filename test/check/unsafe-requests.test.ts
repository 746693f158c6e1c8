// `corsica check` compares engines and probes an echoed origin with a second request, but it never
// sends an unsafe request (POST, PUT, DELETE...) that the browser it checks for would not send:
// against a real API that is a second order placed. A red-team run found both: Firefox's path down
// a redirect chain sent a second POST, and the echo probe repeated the POST with another Origin.

import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { probe } from '../../src/check/index.js';
import { humanReport } from '../../src/cli/check.js';
import { close, listen } from '../helpers/http.js';

const PAGE = 'https://app.example.com';

/** A server that records every request (method, path, Origin) and answers with `answer`. */
async function recordingServer(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const { server, url } = await listen((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.origin ?? '-'}`);
    req.resume();
    answer(req, res);
  });
  return { seen, url, close: () => close(server) };
}

/** Grants any origin, any method and header, echoing them (a permissive API). */
function grantAll(req: IncomingMessage, res: ServerResponse): void {
  grant(req, res, () => true);
}

/** Grants the origins `allowed` accepts, any method and header, echoing them. */
function grant(req: IncomingMessage, res: ServerResponse, allowed: (origin: string) => boolean): void {
  if (!allowed(req.headers.origin ?? '')) {
    res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
    return void res.end();
  }
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Vary', 'Origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', String(req.headers['access-control-request-method']));
    res.setHeader(
      'Access-Control-Allow-Headers',
      String(req.headers['access-control-request-headers'] ?? ''),
    );
    res.statusCode = 204;
  }
  res.end();
}

const posts = (seen: readonly string[]) => seen.filter((line) => line.startsWith('POST '));

describe('check: no unsafe request the checked browser would not send', () => {
  it('a JSON POST redirected to an API that refuses Origin: null: no POST there, as Chromium sends none', async () => {
    // Chromium's preflight after a cross-origin redirect carries Origin: null, which this API
    // refuses, so Chromium stops there; Firefox's carries the page's origin and would go on.
    const end = await recordingServer((req, res) => grant(req, res, (origin) => origin === PAGE));
    const start = await recordingServer((req, res) => {
      if (req.method === 'OPTIONS') return grantAll(req, res);
      res.statusCode = 307;
      res.setHeader('Location', `${end.url}/end`);
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
      res.end();
    });
    try {
      const { outcome, report } = await probe(`${start.url}/start`, {
        origin: PAGE,
        method: 'POST',
        header: ['Content-Type: application/json'],
        data: '{"order":1}',
      });
      assert.equal(report.verdict, 'blocked');
      assert.deepEqual(posts(start.seen), [`POST /start ${PAGE}`]);
      assert.deepEqual(posts(end.seen), [], end.seen.join('\n'));
      // The engines whose path would have needed another POST say so instead of guessing.
      const notSent = report.engines.filter((e) => e.verdict === 'not-sent');
      assert.ok(notSent.length > 0, JSON.stringify(report.engines));
      for (const e of notSent) assert.match(e.line ?? '', /not sent: it would repeat your POST/);
      assert.match(
        humanReport(outcome, report),
        /Firefox not sent: it would repeat your POST \(--compare-unsafe sends it\)/,
      );
    } finally {
      await start.close();
      await end.close();
    }
  });

  it('an echoed origin on a POST is probed with a GET, never a second POST', async () => {
    const api = await recordingServer(grantAll);
    try {
      const { report } = await probe(`${api.url}/orders`, { origin: PAGE, method: 'POST', data: 'x' });
      assert.equal(report.verdict, 'allowed');
      assert.deepEqual(posts(api.seen), [`POST /orders ${PAGE}`]);
      assert.ok(report.warnings.some((w) => w.code === 'REFLECTS_ANY_ORIGIN'));
    } finally {
      await api.close();
    }
  });

  it('--compare-unsafe sends what each engine would send', async () => {
    const end = await recordingServer((req, res) => grant(req, res, (origin) => origin === PAGE));
    const start = await recordingServer((req, res) => {
      if (req.method === 'OPTIONS') return grantAll(req, res);
      res.statusCode = 307;
      res.setHeader('Location', `${end.url}/end`);
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
      res.end();
    });
    try {
      const { report } = await probe(`${start.url}/start`, {
        origin: PAGE,
        method: 'POST',
        header: ['Content-Type: application/json'],
        data: '{"order":1}',
        compareUnsafe: true,
      });
      assert.ok(posts(end.seen).length > 0, end.seen.join('\n'));
      assert.ok(report.engines.every((e) => e.verdict !== 'not-sent'));
    } finally {
      await start.close();
      await end.close();
    }
  });
});
