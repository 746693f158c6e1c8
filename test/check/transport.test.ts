// The check transport on node:http (`corsica check` starts without loading undici), held
// to what the browser model needs from it, against a raw server that records every byte: the
// request on the wire as undici sent it (nothing node:http adds of its own), every response header
// line kept in order, no redirect followed, a body read only up to a bound, headers of any size up
// to Chromium's limit, and a deadline that holds while connecting, waiting and reading.

import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { WireRequest } from '../../src/browser/index.js';
import { httpTransport, NetworkError } from '../../src/check/index.js';

type Reply = string | ((socket: Socket) => void);

describe('check transport: node:http as the browser model needs it', () => {
  let server: Server;
  let base: string;
  let port: number;
  let reply: Reply = '';
  let received: Buffer[] = [];
  let connections = 0;

  before(async () => {
    server = createServer((socket) => {
      connections++;
      socket.on('error', () => {});
      let buffered = Buffer.alloc(0);
      socket.on('data', (data) => {
        received.push(data);
        buffered = Buffer.concat([buffered, data]);
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = /\r\ncontent-length: *(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'));
        const whole = end + 4 + (length === null ? 0 : Number(length[1]));
        if (buffered.length < whole) return;
        buffered = buffered.subarray(whole);
        if (typeof reply === 'function') reply(socket);
        else socket.write(reply, 'latin1');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const answer = (lines: string[], body = 'ok') =>
    `HTTP/1.1 200 OK\r\n${lines.map((l) => `${l}\r\n`).join('')}Content-Length: ${body.length}\r\n\r\n${body}`;

  async function send(
    wire: Partial<WireRequest>,
    answerWith: Reply,
    options: { timeout?: number; body?: string } = {},
  ) {
    received = [];
    reply = answerWith;
    const transport = httpTransport({ timeout: options.timeout ?? 2000, ...options });
    const response = await transport({
      method: 'GET',
      url: `${base}/x`,
      headers: [],
      credentials: false,
      ...wire,
    });
    return { response, wire: Buffer.concat(received).toString('latin1') };
  }

  const UA =
    'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 corsica-check\r\n';

  it('sends the request undici sent: host, keep-alive, the headers in order, nothing more', async () => {
    const { wire } = await send(
      {
        url: `${base}/p/a%20b?q=1#fragment`,
        headers: [
          ['Accept', '*/*'],
          ['Origin', 'https://app.example.com'],
          ['Sec-Fetch-Mode', 'cors'],
        ],
      },
      answer([]),
    );
    assert.equal(
      wire,
      `GET /p/a%20b?q=1 HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n${UA}` +
        'accept: */*\r\norigin: https://app.example.com\r\nsec-fetch-mode: cors\r\n\r\n',
    );
  });

  it('sends the method as written, and a length only with a body or where one is expected', async () => {
    const head = (method: string, rest = '') =>
      `${method} /x HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n${UA}${rest}\r\n`;
    // Browsers send `patch` as written; node:http would upper-case it.
    assert.equal((await send({ method: 'patch' }, answer([]))).wire, head('patch'));
    assert.equal((await send({ method: 'PATCH' }, answer([]))).wire, head('PATCH', 'content-length: 0\r\n'));
    assert.equal((await send({ method: 'POST' }, answer([]))).wire, head('POST', 'content-length: 0\r\n'));
    // node:http would add `Content-Length: 0` to any method outside its own list.
    assert.equal((await send({ method: 'PURGE' }, answer([]))).wire, head('PURGE'));
    assert.equal((await send({ method: 'DELETE' }, answer([]))).wire, head('DELETE'));
    assert.equal(
      (await send({ method: 'PUT' }, answer([]), { body: 'payload' })).wire,
      `${head('PUT', 'content-length: 7\r\n')}payload`,
    );
    // GET, HEAD and OPTIONS never carry the body.
    assert.equal((await send({ method: 'OPTIONS' }, answer([]), { body: 'payload' })).wire, head('OPTIONS'));
    const { response } = await send(
      { method: 'HEAD' },
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\nX-A: 1\r\n\r\n',
    );
    assert.deepEqual(response, {
      status: 200,
      headers: [
        ['content-length', '10'],
        ['x-a', '1'],
      ],
    });
  });

  it('keeps every response header line, in order, with its value as sent', async () => {
    const { response } = await send(
      {},
      answer([
        'Access-Control-Allow-Origin: https://app.example.com',
        'Vary: Origin',
        'access-control-allow-origin: https://other.example',
        'X-Spaces:   inside  value',
        'X-Empty:',
        'X-Latin1: caf\xe9',
      ]),
    );
    assert.deepEqual(response.headers, [
      ['access-control-allow-origin', 'https://app.example.com'],
      ['vary', 'Origin'],
      ['access-control-allow-origin', 'https://other.example'],
      ['x-spaces', 'inside  value'],
      ['x-empty', ''],
      ['x-latin1', 'caf\xe9'],
      ['content-length', '2'],
    ]);
  });

  it('does not follow redirects, and skips interim 1xx answers as browsers do', async () => {
    const redirect = await send(
      {},
      'HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n',
    );
    assert.deepEqual(redirect.response, {
      status: 302,
      headers: [
        ['location', '/elsewhere'],
        ['content-length', '0'],
      ],
    });
    const interim = await send({}, `HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${answer(['X-A: 1'])}`);
    assert.deepEqual(interim.response.headers[0], ['x-a', '1']);
    const cont = await send({}, `HTTP/1.1 100 Continue\r\n\r\n${answer(['X-A: 1'])}`);
    assert.equal(cont.response.status, 200);
  });

  it('reads large headers up to 256 KiB, as Chromium does, and refuses more in words', async () => {
    const big = await send({}, answer([`X-Big: ${'a'.repeat(20_000)}`]));
    assert.equal(big.response.headers[0]?.[1].length, 20_000);
    const many = await send({}, answer(Array.from({ length: 3000 }, (_, i) => `X-${i}: v`)));
    assert.equal(many.response.headers.length, 3001);
    await assert.rejects(
      send({}, answer([`X-Big: ${'a'.repeat(300_000)}`])),
      (err: Error) =>
        err instanceof NetworkError &&
        /answered with more than 256 KiB of response headers/.test(err.message),
    );
  });

  it('a malformed answer is a network error that says so', async () => {
    for (const bad of ['X-A: a\x00b', 'No colon here', 'X-A: 1\r\n folded']) {
      await assert.rejects(
        send({}, answer([bad])),
        (err: Error) =>
          err instanceof NetworkError && /answered with a malformed HTTP response \(/.test(err.message),
        JSON.stringify(bad),
      );
    }
    await assert.rejects(
      send({}, (socket) => socket.end('hello\r\n\r\n')),
      /answered with a malformed HTTP response/,
    );
  });

  it('reads a body only up to its bound', async () => {
    const started = performance.now();
    const { response } = await send({}, answer([], 'x'.repeat(3 << 20)));
    assert.equal(response.status, 200);
    assert.ok(performance.now() - started < 1000);
  });

  it('answers at the headers, as fetch() resolves: a body that never ends (server-sent events) or is cut short', async () => {
    for (const [what, hang] of [
      ['never ends', (s: Socket) => s.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n')],
      ['cut short', (s: Socket) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab')],
    ] as const) {
      const started = performance.now();
      const answer = await send({ url: `${base}/x` }, hang, { timeout: 2000 });
      assert.equal(answer.response.status, 200, what);
      assert.ok(performance.now() - started < 1000, `${what}: answered at its headers`);
    }
  });

  it('gives up at the deadline: no headers, a TLS handshake never answered', async () => {
    const deadline = /no answer from 127\.0\.0\.1:\d+ within 300 ms/;
    for (const [what, hang, url] of [
      ['headers', () => {}, `${base}/x`],
      // The raw server never answers a ClientHello (it waits for an HTTP head).
      ['handshake', () => {}, `https://127.0.0.1:${port}/x`],
    ] as const) {
      const started = performance.now();
      await assert.rejects(send({ url }, hang, { timeout: 300 }), deadline, what);
      const took = performance.now() - started;
      assert.ok(took < 1500, `${what}: ${took} ms`);
    }
  });

  it('keeps the connection alive between requests, as a browser does', async () => {
    await send({}, answer([]));
    const before = connections;
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'POST'])
      await send({ method }, method === 'HEAD' ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n' : answer([]));
    assert.equal(connections, before);
  });

  it('names a refused connection and a connection closed before an answer', async () => {
    await assert.rejects(
      httpTransport({ timeout: 2000 })({
        method: 'GET',
        url: 'http://127.0.0.1:9/x',
        headers: [],
        credentials: false,
      }),
      /^NetworkError: connection refused by 127\.0\.0\.1:9 \(is the server running\?\)$/,
    );
    await assert.rejects(
      send({}, (socket) => socket.destroy()),
      /connection to 127\.0\.0\.1:\d+ was closed before an answer/,
    );
  });
});
