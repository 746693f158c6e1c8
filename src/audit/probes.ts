// The battery of probes `corsica audit` sends: Origins derived from the site's own origin, each
// built to be trusted by one kind of broken origin check and by no correct one (the
// probes of Corsy's core/tests.py and CORScanner's common/corscheck.py, and more: both derive
// "the site" from the URL only, send simple GETs only and stop at the first hit).
// Simple requests are GETs; preflights are OPTIONS only: an audit never sends an unsafe method.

import { isPublicSuffix } from '../syntax/public-suffix.js';

/** The domain every attacker-side probe lives under (never contacted: it only goes in Origin). */
export const ATTACKER_DOMAIN = 'corsica-attacker.net';
/** A label no site declares, for subdomain and hosting probes. */
export const PROBE_LABEL = 'corsicaprobe';

/** The site the API serves, as the audit reasons about it. */
export interface Site {
  /** The site's serialized origin: `https://www.example.com`, `http://localhost:3000`. */
  readonly origin: string;
  readonly scheme: 'http' | 'https';
  readonly host: string;
  /** `:3000`, or '' for the scheme's default port. */
  readonly port: string;
  /** The registrable domain (`example.com` for `www.example.com`), or the host itself for IPs and single labels. */
  readonly domain: string;
}

/** What a probe is for: the rule that reads its answer (rules.ts). */
export type ProbeKind =
  | 'site'
  | 'site-anonymous'
  | 'no-origin'
  | 'unrelated'
  | 'null'
  | 'prefix'
  | 'suffix'
  | 'middle'
  | 'substring'
  | 'dot'
  | 'special'
  | 'subdomain'
  | 'http'
  | 'third-party'
  | 'localhost'
  | 'site-preflight'
  | 'unrelated-preflight'
  | 'private-network-preflight'
  | 'policy-origin'
  | 'policy-preflight'
  | 'misspelled';

/** One request of the battery. */
export interface Probe {
  readonly kind: ProbeKind;
  /** The Origin sent, or null for the probe without one. */
  readonly origin: string | null;
  readonly method: 'GET' | 'OPTIONS';
  /** Sent without the user's headers (--header): what a client whose session expired meets. */
  readonly anonymous?: boolean;
  /** Sent as fetch(url, { credentials: 'include' }) is, with a cookie (simple probes only). */
  readonly withCookie?: boolean;
  /** For preflights: Access-Control-Request-Private-Network: true (Private Network Access). */
  readonly privateNetwork?: boolean;
  /** For preflights: Access-Control-Request-Method and -Headers. */
  readonly requestMethod?: string;
  readonly requestHeaders?: string;
}

/** Whether `host` is an IP address (v4 dotted or bracketed v6). */
function isIp(host: string): boolean {
  return host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host);
}

/** The registrable domain: the label just above the longest public suffix (private section included). */
export function registrableDomain(host: string): string {
  if (isIp(host) || !host.includes('.')) return host;
  const labels = host.split('.');
  for (let i = 1; i < labels.length; i++) {
    if (isPublicSuffix(labels.slice(i).join('.'))) return labels.slice(i - 1).join('.');
  }
  // No known suffix: the last two labels.
  return labels.slice(-2).join('.');
}

/** The site of a parsed http(s) origin. */
export function siteOf(origin: string): Site {
  const url = new URL(origin);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const host = url.hostname;
  const port = url.port === '' ? '' : `:${url.port}`;
  return { origin: `${scheme}://${host}${port}`, scheme, host, port, domain: registrableDomain(host) };
}

/**
 * Hosts where anyone can publish a page that runs their own script: code playgrounds (not on the
 * Public Suffix List) and static hosting on a shared domain (on its private section: every one of
 * these is checked with isPublicSuffix when the finding is written).
 */
export const THIRD_PARTY_ORIGINS: readonly string[] = [
  ...[
    'github.io',
    'gitlab.io',
    'bitbucket.io',
    'netlify.app',
    'vercel.app',
    'now.sh',
    'pages.dev',
    'workers.dev',
    'herokuapp.com',
    'onrender.com',
    'fly.dev',
    'up.railway.app',
    'deno.dev',
    'web.app',
    'firebaseapp.com',
    'appspot.com',
    'amplifyapp.com',
    'azurewebsites.net',
    'azurestaticapps.net',
    's3.amazonaws.com',
    'cloudfront.net',
    'surge.sh',
    'csb.app',
    'repl.co',
    'replit.app',
    'ngrok.io',
    'ngrok-free.app',
    'trycloudflare.com',
    'blogspot.com',
    'glitch.me',
    'wordpress.com',
    'neocities.org',
    'webflow.io',
    'app.github.dev',
    'readthedocs.io',
    'gitpod.io',
    'replit.dev',
    'run.app',
    'koyeb.app',
    'loca.lt',
    'stackblitz.io',
  ].map((suffix) => `https://${PROBE_LABEL}.${suffix}`),
  'https://codepen.io',
  'https://cdpn.io',
  'https://jsfiddle.net',
  'https://fiddle.jshell.net',
  'https://jsbin.com',
  'https://null.jsbin.com',
  'https://codesandbox.io',
  'https://stackblitz.com',
  'https://replit.com',
  'https://glitch.com',
];

/**
 * Development origins on the user's own machine that allow-lists keep after a deploy: the ports
 * of the usual dev servers (React, Vite, the rest), on both names of loopback.
 */
export const LOCALHOST_ORIGINS: readonly string[] = [
  'http://localhost:3000',
  'http://localhost:5173',
  'http://127.0.0.1:8080',
];

/** Characters some browser accepts in a host (Safari many of them) that naive host parsers stop at. */
export const SPECIAL_CHARACTERS: readonly string[] = [
  '_',
  '`',
  '}',
  '{',
  '!',
  '$',
  '&',
  "'",
  '(',
  ')',
  '*',
  '+',
  ',',
  ';',
  '=',
  '~',
  '|',
  '"',
  '%60',
];

/** Every single-dot-to-letter variant of a host: `www.example.com` → `wwwxexample.com`, `www.examplexcom`. */
function dotVariants(host: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < host.length; i++)
    if (host[i] === '.') out.push(`${host.slice(0, i)}x${host.slice(i + 1)}`);
  return out;
}

/** The kinds whose probes test which origins are trusted (rules in trust-rules.ts). */
const TRUST_KINDS: ReadonlySet<ProbeKind> = new Set<ProbeKind>([
  'unrelated',
  'null',
  'prefix',
  'suffix',
  'middle',
  'substring',
  'dot',
  'special',
  'subdomain',
  'http',
  'third-party',
  'localhost',
]);

/**
 * The trust probes of a battery sent again as preflights shaped like `like` (its method and
 * headers): where the actual answers carry no CORS headers at all (authentication answers them
 * before CORS does), the preflights still show whom the CORS layer trusts.
 */
export function asPreflights(probes: readonly Probe[], like: Probe): Probe[] {
  return probes
    .filter((p) => TRUST_KINDS.has(p.kind) && p.method === 'GET' && p.withCookie !== true)
    .map((p) => ({
      kind: p.kind,
      origin: p.origin,
      method: 'OPTIONS',
      requestMethod: like.requestMethod ?? 'PUT',
      ...(like.requestHeaders === undefined ? {} : { requestHeaders: like.requestHeaders }),
    }));
}

/** What shapes a battery beyond the site: whether the user gave headers (a session, a token). */
export interface BatteryOptions {
  /** The user gave headers: the site's GET is also sent without them. */
  readonly anonymous?: boolean;
}

/** The battery for a site, without duplicates (a later kind never repeats an earlier origin). */
export function battery(site: Site, options: BatteryOptions = {}): Probe[] {
  const { scheme: s, host: h, port: p, domain: d } = site;
  const probes: Probe[] = [];
  const seen = new Set<string>();
  const get = (kind: ProbeKind, origin: string | null) => {
    const key = `${kind === 'site' || kind === 'no-origin' ? kind : 'GET'} ${origin}`;
    if (seen.has(key) || (origin !== null && origin === site.origin && kind !== 'site')) return;
    seen.add(key);
    probes.push({ kind, origin, method: 'GET' });
  };
  get('site', site.origin);
  // The answer a client meets when its session has expired: error answers often lack the CORS
  // headers (nginx add_header without always, authentication before CORS), and a page then
  // cannot read the 401.
  if (options.anonymous === true)
    probes.push({ kind: 'site-anonymous', origin: site.origin, method: 'GET', anonymous: true });
  // The preflights early: a rate limiter that answers the last probes 429, or a cut-off after
  // probes that got no answer, must not take the preflight checks with it. Two methods, so that
  // an API that refuses PUT on purpose but grants POST is not called broken.
  for (const requestMethod of ['PUT', 'POST'])
    probes.push({
      kind: 'site-preflight',
      origin: site.origin,
      method: 'OPTIONS',
      requestMethod,
      requestHeaders: 'content-type',
    });
  probes.push({
    kind: 'unrelated-preflight',
    origin: `${s}://${ATTACKER_DOMAIN}`,
    method: 'OPTIONS',
    requestMethod: 'DELETE',
    requestHeaders: 'x-corsica-probe',
  });
  // A public https page asking to reach a server on the user's network (Private Network Access):
  // the preflight Chromium sent before a GET, with Access-Control-Request-Private-Network.
  probes.push({
    kind: 'private-network-preflight',
    origin: `https://${ATTACKER_DOMAIN}`,
    method: 'OPTIONS',
    requestMethod: 'GET',
    privateNetwork: true,
  });
  get('no-origin', null);
  get('unrelated', `${s}://${ATTACKER_DOMAIN}`);
  // With credentials too: some servers grant (or add Allow-Credentials) only to a request with a session.
  probes.push({ kind: 'unrelated', origin: `${s}://${ATTACKER_DOMAIN}`, method: 'GET', withCookie: true });
  get('null', 'null');
  const www = h === d && !isIp(h) && h.includes('.') ? `www.${d}` : h;
  for (const host of new Set([h, www])) {
    get('prefix', `${s}://${host}.${ATTACKER_DOMAIN}${p}`);
    get('prefix', `${s}://${host}-${ATTACKER_DOMAIN}${p}`);
  }
  if (p !== '') get('prefix', `${s}://${h}.${ATTACKER_DOMAIN}`);
  get('suffix', `${s}://attacker${d}${p}`);
  if (h !== d) get('suffix', `${s}://attacker${h}${p}`);
  get('middle', `${s}://attacker${d}.${ATTACKER_DOMAIN}${p}`);
  if (h !== d) get('middle', `${s}://attacker${h}.${ATTACKER_DOMAIN}${p}`);
  if (h.length > 2) {
    get('substring', `${s}://${h.slice(0, -1)}${p}`);
    get('substring', `${s}://${d.slice(1)}${p}`);
  }
  for (const host of new Set([h, www])) for (const v of dotVariants(host)) get('dot', `${s}://${v}${p}`);
  for (const c of SPECIAL_CHARACTERS) get('special', `${s}://${h}${c}.${ATTACKER_DOMAIN}${p}`);
  if (!isIp(h)) {
    get('subdomain', `${s}://${PROBE_LABEL}.${d}${p}`);
    if (h !== d) get('subdomain', `${s}://${PROBE_LABEL}.${h}${p}`);
  }
  if (s === 'https') for (const host of new Set([h, www])) get('http', `http://${host}${p}`);
  for (const origin of THIRD_PARTY_ORIGINS) get('third-party', origin);
  for (const origin of LOCALHOST_ORIGINS) get('localhost', origin);
  // The site's origin as allow-lists misspell it: browsers never send these, but a server that
  // echoes one while it refuses the real origin shows how its list is written.
  get('misspelled', `${site.origin}/`);
  get('misspelled', `${h}${p}`);
  if (!isIp(h)) get('misspelled', `${s}://*.${d}${p}`);
  return probes;
}
