// The proxy's own answers: short JSON refusals that say which rule refused and how to allow it,
// without echoing internal addresses or raw socket errors; upstream failures as 502/504. All carry
// the CORS headers the request earned, so the page can read them.

import type { ServerResponse } from 'node:http';
import { errors } from 'undici';

export type RefusalRule =
  | 'bad-target'
  | 'target-denied'
  | 'target-not-allowed'
  | 'private-target'
  | 'origin-denied'
  | 'origin-not-allowed'
  | 'origin-required'
  | 'missing-header'
  | 'rate-limited'
  | 'request-too-large'
  | 'request-timeout'
  | 'max-duration'
  | 'response-too-large'
  | 'upstream-unreachable'
  | 'upstream-timeout'
  | 'upstream-error'
  | 'upstream-tls'
  | 'too-many-redirects'
  | 'upstream-busy'
  | 'too-many-connections'
  | 'request-buffers-full'
  | 'credentials-refused';

export interface Refusal {
  readonly status: number;
  readonly rule: RefusalRule;
  readonly message: string;
  readonly fix: string;
}

/** Writes a refusal; `cors` are the CORS headers (name, value pairs) the request earned. */
export function sendRefusal(
  res: ServerResponse,
  refusal: Refusal,
  cors: readonly string[],
  extra: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { rule: refusal.rule, message: refusal.message, fix: refusal.fix } });
  res.statusCode = refusal.status;
  for (let i = 0; i < cors.length; i += 2) res.setHeader(cors[i]!, cors[i + 1]!);
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // A refused request whose body was never read: the connection ends with the answer, so that a
  // client trickling the rest of its body cannot hold it (slowloris after the refusal).
  const req = res.req;
  if (req !== undefined && !req.complete) {
    res.setHeader('Connection', 'close');
    res.once('finish', () => req.socket.destroy());
  }
  res.end(body);
}

// Named refusals: every rule the proxy applies, with its message and fix, written once.

export const originDenied = (origin: string): Refusal => ({
  status: 403,
  rule: 'origin-denied',
  message: `the origin ${origin} may not use this proxy`,
  fix: 'Ask the operator.',
});

export const originNotAllowed = (origin: string): Refusal => ({
  status: 403,
  rule: 'origin-not-allowed',
  message: `the origin ${origin} may not use this proxy`,
  fix: `Start the proxy with --allow-origin ${origin}.`,
});

/** An origin allow-list is only worth something if a missing Origin is refused too. */
export const originRequired = (): Refusal => ({
  status: 403,
  rule: 'origin-required',
  message: 'this proxy serves only the pages of some origins, and the request names none',
  fix: 'Call the proxy from an allowed page (browsers send Origin).',
});

export const requestTooLarge = (max: number, declared?: number): Refusal => ({
  status: 413,
  rule: 'request-too-large',
  message:
    declared === undefined
      ? `the request body is larger than this proxy forwards (${max} bytes)`
      : `the request body is ${declared} bytes, more than this proxy forwards (${max})`,
  fix: 'Send a smaller body, or raise --max-request-bytes.',
});

export const responseTooLarge = (declared: number, max: number): Refusal => ({
  status: 502,
  rule: 'response-too-large',
  message: `the response is ${declared} bytes, more than this proxy forwards (${max})`,
  fix: 'Raise --max-response-bytes, or fetch a smaller resource.',
});

export const requestTimeout = (timeout: number): Refusal => ({
  status: 408,
  rule: 'request-timeout',
  message: `the request body stalled for ${timeout} ms`,
  fix: 'Send the body without pauses, or raise --timeout.',
});

export const maxDuration = (ms: number): Refusal => ({
  status: 504,
  rule: 'max-duration',
  message: `the exchange took longer than this proxy allows (${ms} ms)`,
  fix: 'Fetch a smaller resource, or raise --max-duration.',
});

export const rateLimited = (wait: number): Refusal => ({
  status: 429,
  rule: 'rate-limited',
  message: 'too many requests from this client',
  fix: `Wait ${wait} s and try again.`,
});

export const limiterUnavailable = (): Refusal => ({
  status: 503,
  rule: 'rate-limited',
  message: 'the rate limiter is unavailable',
  fix: 'Try again shortly.',
});

export const upstreamBusy = (host: string, ms: number): Refusal => ({
  status: 503,
  rule: 'upstream-busy',
  message: `no connection to ${host} could be had in ${ms} ms: every one is busy, or the host is slow to accept`,
  fix: 'Try again shortly; the operator may raise --max-connections or --timeout.',
});

/** A connection past --max-client-connections: answered once (nginx's limit_conn answers 503), then closed. */
export const tooManyConnections = (max: number): Refusal => ({
  status: 503,
  rule: 'too-many-connections',
  message: `this client already holds ${max} connections to the proxy, the most it may`,
  fix: 'Retry once some of its requests are over; the operator may raise --max-client-connections.',
});

/** Bodies being read fill the memory the operator gave them (--max-buffered-bytes). */
export const requestBuffersFull = (): Refusal => ({
  status: 503,
  rule: 'request-buffers-full',
  message: 'the proxy is reading as many request bodies as it has memory for',
  fix: 'Try again shortly; the operator may raise --max-buffered-bytes.',
});

/**
 * A request that carries the browser's cookies for the proxy, to a target they may not go to: it
 * is refused before anything is forwarded, since its answer could not be read by the page anyway.
 */
export const credentialsRefused = (host: string): Refusal => ({
  status: 403,
  rule: 'credentials-refused',
  message: `this request carries cookies (credentials: 'include'), and this proxy passes none to ${host}`,
  fix: `Call fetch without credentials: 'include' (the default sends none); or the operator starts the proxy with --cookies ${host} and --allow-origin <your page's origin>.`,
});

export const nonHttpRedirect = (): Refusal => ({
  status: 502,
  rule: 'upstream-error',
  message: 'the target redirected to a non-http(s) URL',
  fix: 'Use another target.',
});

/** A request that carries none of the headers the operator requires (any one of them will do). */
export function missingHeader(names: readonly string[]): Refusal {
  const message =
    names.length === 1
      ? `requests must carry the ${names[0]} header`
      : `requests must carry one of these headers: ${names.join(', ')}`;
  return {
    status: 400,
    rule: 'missing-header',
    message,
    fix: names.includes('origin')
      ? 'Call the proxy from a web page (browsers send Origin), or add -H "Origin: <your page origin>".'
      : `Send the ${names[0]} header.`,
  };
}

const causeCode = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
};

/** What an upstream failure becomes: never the raw error text, which may name internal hosts. */
export function upstreamRefusal(err: unknown, host: string): Refusal {
  const code = causeCode(err);
  if (code === 'TARGET_DENIED') {
    return {
      status: 403,
      rule: 'target-denied',
      message: `${host} resolves to an address on the proxy's deny list`,
      fix: 'Ask the operator, or use another target.',
    };
  }
  if (code === 'PRIVATE_TARGET') {
    return {
      status: 403,
      rule: 'private-target',
      message: `${host} resolves to a private, loopback, link-local or reserved address`,
      fix: `For local development, start the proxy with --allow-private-target ${host}.`,
    };
  }
  if (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return {
      status: 504,
      rule: 'upstream-timeout',
      message: `${host} did not answer in time`,
      fix: 'Try again later, or raise --timeout.',
    };
  }
  if (
    code !== undefined &&
    (code.startsWith('ERR_TLS') ||
      code.includes('CERT') ||
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
      code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
      code === 'ERR_SSL_WRONG_VERSION_NUMBER')
  ) {
    return {
      status: 502,
      rule: 'upstream-tls',
      message: `the TLS connection to ${host} failed: its certificate could not be verified`,
      fix: 'Check the target URL (http vs https); for a private authority, start the proxy with --upstream-ca <file.pem>.',
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      status: 502,
      rule: 'upstream-unreachable',
      message: `${host} cannot be resolved`,
      fix: 'Check the host name.',
    };
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'UND_ERR_SOCKET'
  ) {
    return {
      status: 502,
      rule: 'upstream-unreachable',
      message: `${host} could not be reached`,
      fix: 'Check that the target is up and the URL is right.',
    };
  }
  return {
    status: 502,
    rule: 'upstream-error',
    message: `${host} failed to answer`,
    fix: 'Check the target URL; try again later.',
  };
}
