// HTTPS targets: certificates are verified (the name checked against the certificate while the
// connection goes to the checked address), an unknown authority is a readable 502, and an operator
// can trust a private authority with --upstream-ca.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createProxy } from '../../src/proxy/index.js';
import { close } from '../helpers/http.js';

const ORIGIN = 'https://app.example.com';

describe('proxy: HTTPS targets', () => {
  let server: Server;
  let port: number;
  let cert: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"secure":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await close(server as never);
  });

  async function through(options: Parameters<typeof createProxy>[0]) {
    const p = createProxy({
      port: 0,
      rateLimit: 'off',
      allowPrivateTarget: [`localhost:${port}`],
      ...options,
    });
    const { url } = await p.listen();
    try {
      const res = await fetch(`${url}https://localhost:${port}/secure`, { headers: { origin: ORIGIN } });
      return { status: res.status, body: await res.json() };
    } finally {
      await p.close();
    }
  }

  it('an authority the system does not know is refused, readably', async () => {
    const r = await through({});
    assert.equal(r.status, 502);
    assert.equal(r.body.error.rule, 'upstream-tls');
    assert.match(r.body.error.fix, /--upstream-ca/);
  });

  it('with --upstream-ca the target is reached over verified TLS', async () => {
    const r = await through({ upstreamCa: [cert] });
    assert.deepEqual(r, { status: 200, body: { secure: true } });
  });

  it('something that is not a certificate is a configuration problem', () => {
    assert.throws(
      () => createProxy({ upstreamCa: ['not a pem'] }),
      /upstreamCa\[0\]: is not a PEM certificate/,
    );
  });
});
