// Who may talk to the playground. It runs on the developer's machine, and every page the developer
// opens can reach it through the browser: a cross-site `text/plain` POST needs no preflight, and
// with DNS rebinding a foreign page can even read the answers. This is the class of Vite's
// CVE-2025-24010 and webpack-dev-server's 2025 advisories, and the fix follows theirs and goes
// further:
// - a Host allow-list (Vite's `server.allowedHosts`): only names that mean this machine, so a
//   rebound name (attacker.example resolving to 127.0.0.1) gets 403, page included;
// - the page's API answers only its own page: no foreign Origin, no cross-site or same-site
//   Sec-Fetch-Site (another port of localhost is same-site), and a token drawn at start-up that
//   the page carries in a header. A foreign page cannot read the token, and cannot send the header
//   without a preflight, which the playground never grants.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header the page sends its token in (a custom header forces a preflight cross-origin). */
export const TOKEN_HEADER = 'x-corsica-playground-token';

/** Names that always mean this machine; `*.localhost` is loopback by RFC 6761 and in browsers. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host name of a Host header value: lower case, without the port, `[::1]` kept in brackets. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/**
 * Whether a Host header names the playground: a loopback name, a `*.localhost` name, or one of
 * `extra` (exact, or every subdomain for a name given with a leading dot, as Vite reads them).
 */
export function hostAllowed(host: string | undefined, extra: readonly string[]): boolean {
  if (host === undefined || host === '') return false;
  const name = hostName(host);
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return true;
  return extra.some((allowed) => {
    const a = allowed.toLowerCase();
    return a.startsWith('.') ? name === a.slice(1) || name.endsWith(a) : name === a;
  });
}

/** A fresh token per start: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function refuse(res: ServerResponse, message: string): void {
  res.statusCode = 403;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ error: message }));
}

/** Answers 403 and returns false when the request's Host does not name the playground. */
export function checkHost(req: IncomingMessage, res: ServerResponse, extra: readonly string[]): boolean {
  if (hostAllowed(req.headers.host, extra)) return true;
  refuse(
    res,
    `Host '${req.headers.host ?? ''}' is not this playground's: it answers localhost, *.localhost, 127.0.0.1 and [::1]. Another name that reaches this machine (a DNS rebinding page, or your own) is refused unless given with --allowed-host <name>.`,
  );
  return false;
}

/**
 * Answers 403 and returns false unless the request comes from the playground's own page: the
 * start-up token in TOKEN_HEADER, and no sign of another origin (Origin, Sec-Fetch-Site).
 */
export function checkOwnPage(req: IncomingMessage, res: ServerResponse, token: string): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
  const expected = Buffer.from(token);
  const tokenOk = given.length === expected.length && timingSafeEqual(given, expected);
  const sameOrigin = origin === undefined || origin === `http://${req.headers.host ?? ''}`.toLowerCase();
  if (tokenOk && sameOrigin && (site === undefined || site === 'same-origin')) return true;
  refuse(
    res,
    "This API answers the playground's own page only (its token, from its own origin): another page, even on localhost, cannot use it.",
  );
  return false;
}

/**
 * Headers of the page itself: it may not be framed (a click on Send cannot be stolen by a page
 * that overlays it), runs only its own script, and is read by no other origin.
 */
export function pageHeaders(res: ServerResponse): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src *; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Referrer-Policy', 'no-referrer');
}
