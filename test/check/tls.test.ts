// TLS failures in plain words: what failed and how to trust a private authority,
// against a real HTTPS server with a self-signed certificate and an http server reached as https.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { probe } from '../../src/check/index.js';
import { close, listen } from '../helpers/http.js';

const PAGE = 'https://app.example.com';

describe('check: TLS failures in words', () => {
  let server: Server;
  let port: number;
  let keyPem: Buffer;
  let certPem: Buffer;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corsica-check-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost']
        .concat(['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'])
        .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    keyPem = readFileSync(join(dir, 'key.pem'));
    certPem = readFileSync(join(dir, 'cert.pem'));
    server = createServer({ key: keyPem, cert: certPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await close(server as never);
  });

  it('a self-signed certificate is a network error, not a CORS block: nothing was answered', async () => {
    const { report } = await probe(`https://127.0.0.1:${port}/x`, { origin: PAGE, timeout: 3000 });
    assert.equal(report.verdict, 'network-error');
    const sent = report.exchanges[0];
    assert.equal(sent?.response, null);
  });

  it('the message names the failure and the fix', async () => {
    const { outcome } = await probe(`https://127.0.0.1:${port}/x`, { origin: PAGE, timeout: 3000 });
    assert.match(outcome.typeError ?? '', /presents a self-signed certificate, which nothing here trusts/);
    assert.match(outcome.typeError ?? '', /NODE_EXTRA_CA_CERTS=<ca\.pem>/);
  });

  it('a server that speaks only HTTP/2 over TLS is named as such, with what to do', async () => {
    const h2 = createSecureServer({ key: keyPem, cert: certPem, allowHTTP1: false }, (_req, res) =>
      res.end('ok'),
    );
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    try {
      const { report, outcome } = await probe(
        `https://127.0.0.1:${(h2.address() as { port: number }).port}/x`,
        {
          origin: PAGE,
          timeout: 3000,
        },
      );
      assert.equal(report.verdict, 'network-error');
      assert.match(
        outcome.typeError ?? '',
        /speaks only HTTP\/2 over TLS: its TLS handshake \(ALPN\) picks h2 and refuses http\/1\.1/,
      );
      assert.match(outcome.typeError ?? '', /allowHTTP1: true/);
      assert.doesNotMatch(outcome.typeError ?? '', /does not speak TLS/);
    } finally {
      await new Promise<void>((resolve) => h2.close(() => resolve()));
    }
  });

  it('https:// to a server that speaks plain http: asks whether http:// was meant', async () => {
    const plain = await listen((_req, res) => res.end('plain'));
    try {
      const { outcome } = await probe(plain.url.replace('http://', 'https://'), {
        origin: PAGE,
        timeout: 3000,
      });
      assert.match(
        outcome.typeError ?? '',
        /does not speak TLS on this port: is it http:\/\/ rather than https:\/\//,
      );
    } finally {
      await close(plain.server);
    }
  });
});
