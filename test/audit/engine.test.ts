// The audit engine beyond the gallery: the battery it derives from the site's origin (the
// example origins below), that it never sends an unsafe method, that the user's headers go with simple
// probes but never with preflights (browsers send none), bounded concurrency, and that a server
// that stops answering cannot make it hang.

import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { AuditInputError, audit, NetworkError } from '../../src/audit/index.js';
import { battery, registrableDomain, siteOf } from '../../src/audit/probes.js';
import { close, listen } from '../helpers/http.js';

describe('audit: the battery of probe origins', () => {
  const origins = battery(siteOf('https://www.example.com')).map((p) => p.origin);

  it('derives the example origins from https://www.example.com', () => {
    for (const expected of [
      'https://www.example.com',
      'null',
      'https://www.example.com.corsica-attacker.net',
      'https://attackerexample.com',
      'https://www.example.co',
      'https://xample.com',
      'https://wwwxexample.com',
      'https://www.example.com_.corsica-attacker.net',
      'https://www.example.com`.corsica-attacker.net',
      'https://www.example.com}.corsica-attacker.net',
      'https://corsicaprobe.example.com',
      'http://www.example.com',
      'https://corsicaprobe.github.io',
      'https://codepen.io',
      'http://localhost:3000',
      'http://127.0.0.1:8080',
    ])
      assert.ok(origins.includes(expected), expected);
  });

  it('keeps the port of a local site and probes no http: downgrade for an http: site', () => {
    const local = battery(siteOf('http://localhost:3000')).map((p) => p.origin);
    assert.ok(local.includes('http://localhost.corsica-attacker.net:3000'));
    assert.ok(local.includes('http://attackerlocalhost:3000'));
    assert.ok(!battery(siteOf('http://localhost:3000')).some((p) => p.kind === 'http'));
  });

  it('sends only GET and OPTIONS: an audit never changes state', () => {
    for (const p of battery(siteOf('https://www.example.com')))
      assert.ok(['GET', 'OPTIONS'].includes(p.method));
  });

  it('finds the registrable domain with the Public Suffix List (private section included)', () => {
    assert.equal(registrableDomain('www.example.com'), 'example.com');
    assert.equal(registrableDomain('a.b.example.co.uk'), 'example.co.uk');
    assert.equal(registrableDomain('me.github.io'), 'me.github.io');
    assert.equal(registrableDomain('127.0.0.1'), '127.0.0.1');
    assert.equal(registrableDomain('localhost'), 'localhost');
  });
});

describe('audit: requests on the wire', () => {
  it("sends the user's headers with simple probes and never with preflights", async () => {
    const seen: { method: string; auth: string | undefined }[] = [];
    const { server, url } = await listen((req: IncomingMessage, res: ServerResponse) => {
      seen.push({ method: req.method ?? '', auth: req.headers.authorization });
      res.end();
    });
    try {
      await audit(url, { origin: 'https://www.example.com', headers: ['Authorization: Bearer t0ken'] });
      assert.ok(seen.some((s) => s.method === 'GET' && s.auth === 'Bearer t0ken'));
      // All but one GET: the site's, sent once without them (a session expired).
      assert.equal(seen.filter((s) => s.method === 'GET' && s.auth === undefined).length, 1);
      assert.ok(seen.some((s) => s.method === 'OPTIONS'));
      assert.ok(seen.every((s) => s.method !== 'OPTIONS' || s.auth === undefined));
    } finally {
      await close(server);
    }
  });

  it('never has more probes in flight than --concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const { server, url } = await listen((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end();
      }, 5);
    });
    try {
      const report = await audit(url, { origin: 'https://www.example.com', concurrency: 3 });
      assert.ok(most <= 3, `${most} in flight`);
      assert.ok(most >= 2, 'probes do run concurrently');
      assert.equal(report.unanswered, 0);
    } finally {
      await close(server);
    }
  });

  it('a server that stops answering after the first probe cannot make the audit hang, nor cost a timeout per probe', async () => {
    let answered = 0;
    const { server, url } = await listen((_req, res) => {
      if (answered++ === 0) res.end();
    });
    try {
      const report = await audit(url, { origin: 'https://www.example.com', timeout: 200, concurrency: 4 });
      assert.equal(report.unanswered, report.probes.length - 1);
      assert.match(
        report.notes.join('\n'),
        /probes got no answer \(no answer from 127\.0\.0\.1:\d+ within 200 ms\)/,
      );
      // After 2 x concurrency silent probes in a row the rest are not sent (at most 4 more were in flight).
      assert.ok(answered <= 1 + 2 * 4 + 4, `${answered} requests sent`);
      assert.ok(report.probes.some((p) => p.error === 'not sent: the server had stopped answering'));
    } finally {
      await close(server);
    }
  });

  it('an unreachable URL is one NetworkError, not a report', async () => {
    const { server, url } = await listen((_req, res) => res.end());
    await close(server);
    await assert.rejects(audit(url), (err: unknown) => {
      assert.ok(err instanceof NetworkError);
      assert.match(err.message, /connection refused by 127\.0\.0\.1:\d+/);
      return true;
    });
  });

  it('a site on an IP address (http://127.0.0.1:port) is audited, not crashed by probes that are no URL', async () => {
    // The unescaped-dot probe of 127.0.0.1 is http://127x0.0.1:port, which new URL() refuses.
    const site = 'http://127.0.0.1:5173';
    const { server, url } = await listen((req, res) => {
      if (req.headers.origin === site) {
        res.setHeader('Access-Control-Allow-Origin', site);
        res.setHeader('Vary', 'Origin');
      }
      res.end('{}');
    });
    try {
      const report = await audit(`${url}/items`, { origin: site });
      assert.equal(report.site, site);
      assert.deepEqual(
        report.findings.filter((f) => f.severity !== 'info').map((f) => f.class),
        [],
      );
      assert.ok(
        report.probes.some((p) => p.origin === 'http://127x0.0.1:5173'),
        'the dot probe was sent',
      );
    } finally {
      await close(server);
    }
  });

  it('refuses an origin that is not one, a non-http URL and bad limits, naming each', async () => {
    await assert.rejects(audit('http://127.0.0.1:1/', { origin: 'www.example.com' }), AuditInputError);
    await assert.rejects(
      audit('http://127.0.0.1:1/', { origin: 'https://www.example.com/' }),
      /trailing slash/,
    );
    await assert.rejects(audit('ftp://example.com/'), /is not an http\(s\) URL/);
    await assert.rejects(audit('http://127.0.0.1:1/', { concurrency: 0 }), /--concurrency must be/);
    await assert.rejects(audit('http://127.0.0.1:1/', { headers: ['no colon'] }), /--header must look like/);
  });

  it('says so when the site origin gets no CORS headers at all (wrong --origin, or authentication first)', async () => {
    const { server, url } = await listen((_req, res) => {
      res.statusCode = 401;
      res.end();
    });
    try {
      const report = await audit(url, { origin: 'https://www.example.com' });
      assert.deepEqual(report.findings, []);
      assert.match(
        report.notes[0]!,
        /got no CORS headers, neither on a GET \(status 401\) nor on a preflight/,
      );
    } finally {
      await close(server);
    }
  });
});
