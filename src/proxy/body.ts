// Request bodies are read whole before an upstream connection is taken, as nginx does by default
// (`proxy_request_buffering on`): streamed, a client uploading one byte a second held one of the
// --max-connections connections to its target, which every client of that target shares. Read
// first, a slow uploader holds memory instead, bounded per request (--max-request-bytes) and for
// all requests together (--max-buffered-bytes), and its own connection, bounded by --timeout
// between chunks and --max-duration in all.

import type { IncomingMessage } from 'node:http';

/** The memory every body being read shares (one per proxy). */
export interface BodyBudget {
  used: number;
  readonly max: number;
}

/** What a body is read for: its exchange, which gives the bytes back when it finishes. */
export interface BodyHolder {
  readonly finished: boolean;
  /** Bytes of the budget this exchange holds. */
  buffered: number;
}

export interface BodyLimits {
  readonly maxRequestBytes: number;
  /** Milliseconds the client may send nothing. */
  readonly timeout: number;
  readonly bodies: BodyBudget;
}

const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * The whole body of `req`. Fails with code REQUEST_TOO_LARGE, REQUEST_TIMEOUT (the client paused
 * for `timeout`), BUFFERS_FULL (the budget is spent) or CLIENT_GONE.
 */
export function readBody(req: IncomingMessage, holder: BodyHolder, limits: BodyLimits): Promise<Buffer> {
  const { bodies } = limits;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodies.max - bodies.used) {
      reject(failure('BUFFERS_FULL', 'no memory left for request bodies'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      clearTimeout(idle);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      if (err !== null) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      // An exchange already over (--max-duration, the client gone) has given its bytes back.
      size += chunk.length;
      if (holder.finished) done(failure('CLIENT_GONE', 'exchange over'));
      else if (size > limits.maxRequestBytes) done(failure('REQUEST_TOO_LARGE', 'request body too large'));
      else if (bodies.used + chunk.length > bodies.max)
        done(failure('BUFFERS_FULL', 'no memory left for request bodies'));
      else keep(chunk);
    };
    const keep = (chunk: Buffer) => {
      bodies.used += chunk.length;
      holder.buffered += chunk.length;
      chunks.push(chunk);
      idle.refresh();
    };
    const onEnd = () => done(null);
    const onGone = () => done(failure('CLIENT_GONE', 'the client went away'));
    const idle = setTimeout(() => done(failure('REQUEST_TIMEOUT', 'request body stalled')), limits.timeout);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onGone);
    req.once('close', onGone);
  });
}
