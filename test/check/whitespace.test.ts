// A header value has no leading or trailing whitespace (https://fetch.spec.whatwg.org/#concept-header-value;
// RFC 9112 §5, OWS field-value OWS). A server that sends `Access-Control-Allow-Origin: <origin> ` (a trailing
// space or tab) is allowed by Chromium 156 and WebKit; the model once blocked it, a wrong verdict
// in `corsica check`. Written by a raw server, byte for byte.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { probe } from '../../src/check/index.js';

const PAGE = 'https://app.example.com';

/** A server that answers every request with these exact header lines. */
async function rawServer(lines: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      socket.end(
        `HTTP/1.1 200 OK\r\n${lines.join('\r\n')}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`,
      );
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('check: trailing whitespace in CORS header values', () => {
  it('an allow-origin value with a trailing space or tab is that origin', async () => {
    for (const value of [`${PAGE} `, `${PAGE}\t`, `${PAGE} \t `]) {
      const s = await rawServer([`Access-Control-Allow-Origin: ${value}`]);
      try {
        const { report } = await probe(`${s.url}/x`, { origin: PAGE });
        assert.equal(report.verdict, 'allowed', JSON.stringify(value));
      } finally {
        await s.close();
      }
    }
  });

  it('Access-Control-Allow-Credentials: true with trailing whitespace allows credentials', async () => {
    const s = await rawServer([
      `Access-Control-Allow-Origin: ${PAGE}`,
      'Access-Control-Allow-Credentials: true ',
    ]);
    try {
      const { report } = await probe(`${s.url}/x`, { origin: PAGE, credentials: true });
      assert.equal(report.verdict, 'allowed');
    } finally {
      await s.close();
    }
  });

  it('whitespace inside a value still counts: two origins are still two', async () => {
    const s = await rawServer([`Access-Control-Allow-Origin: ${PAGE} https://other.example`]);
    try {
      const { report } = await probe(`${s.url}/x`, { origin: PAGE });
      assert.equal(report.verdict, 'blocked');
    } finally {
      await s.close();
    }
  });
});
