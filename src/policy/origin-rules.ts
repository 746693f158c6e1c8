// Parsing the origins written in a configuration: exact origins, patterns and RegExps.
// Every way an origin string can be wrong gets its own diagnosis and a fix written out in full,
// because these are the seed article's pitfalls 2, 3 and 4.

import { DEFAULT_PORTS, parseSerializedOrigin } from '../syntax/origin-syntax.js';
import { publicSuffixAtOrBelow } from '../syntax/public-suffix.js';
import type { ProblemList } from './problems.js';

/** `https://*.example.com` (any subdomain at any depth, never the apex) and/or `:*` (any port). */
export interface OriginPattern {
  readonly scheme: string;
  /** The host, or for subdomain patterns the base the subdomains end with. */
  readonly host: string;
  readonly subdomains: boolean;
  /** A decimal port, '' for the default port only, '*' for any port (the default included). */
  readonly port: string;
  /** The rule as written, for messages. */
  readonly source: string;
}

export type OriginRuleSpec =
  | { readonly type: 'exact'; readonly origin: string }
  | { readonly type: 'pattern'; readonly pattern: OriginPattern }
  | { readonly type: 'regexp'; readonly regexp: RegExp };

const SPECIAL_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
}

function isIpHost(host: string): boolean {
  return host.startsWith('[') || /^[0-9.]+$/.test(host);
}

/** Parses one origin rule, reporting its problems under `path`. Returns null when it is unusable. */
export function parseOriginRule(
  rule: unknown,
  path: string,
  credentials: boolean,
  problems: ProblemList,
): OriginRuleSpec | null {
  if (rule instanceof RegExp) return { type: 'regexp', regexp: parseRegExpRule(rule, path, problems) };
  if (typeof rule !== 'string') {
    problems.error(
      'ORIGIN_INVALID_TYPE',
      path,
      `An origin must be a string or a RegExp, not ${describeValue(rule)}.`,
      "Write the origin as a string such as 'https://app.example.com'.",
    );
    return null;
  }
  const spec = parseOriginString(rule, path, problems);
  if (spec === null) return null;
  const scheme = spec.type === 'exact' ? spec.origin.slice(0, spec.origin.indexOf(':')) : spec.pattern.scheme;
  const host = spec.type === 'exact' ? (parseSerializedOrigin(spec.origin)?.host ?? '') : spec.pattern.host;
  if (spec.type === 'pattern' && spec.pattern.subdomains) {
    const suffix = publicSuffixAtOrBelow(host);
    if (suffix !== null) publicSuffixPattern(rule, host, suffix, path, credentials, problems);
  }
  if (credentials && (scheme === 'http' || scheme === 'ws') && !isLoopbackHost(host)) {
    problems.warn(
      'CORSICA_INSECURE_ORIGIN_WITH_CREDENTIALS',
      path,
      `'${rule}' is a plain-http origin allowed to read credentialed responses: anyone on the network path can run script as that origin.`,
      `Serve that site over https and allow '${rule.replace(/^http/, 'https')}' instead.`,
    );
  }
  return spec;
}

/**
 * A subdomain pattern on a public suffix (`*.com`, `*.co.uk`, `*.github.io`, `*.vercel.app`), or on
 * a base with one under it (`*.amazonaws.com` covers `s3.amazonaws.com`): every name under the
 * suffix belongs to whoever registers or publishes it. Refused with credentials (any of them could
 * read your users' data), a warning without.
 */
function publicSuffixPattern(
  rule: string,
  host: string,
  suffix: string,
  path: string,
  credentials: boolean,
  problems: ProblemList,
): void {
  const where =
    suffix === host
      ? `every site under '${host}', a public suffix`
      : `every site under '${host}', and the Public Suffix List has '${suffix}' under it, so it also matches '${rule.slice(0, rule.indexOf('://') + 3)}attacker.${suffix.replace('*', 'x')}'`;
  const message = `'${rule}' trusts ${where}: anyone can register or publish a site there.`;
  const fix = `Name the origins you own, e.g. '${rule.replace('*.', 'your-app.')}'.`;
  if (credentials) {
    problems.error(
      'ORIGIN_PUBLIC_SUFFIX',
      path,
      `${message} With credentials, any of them could read your users' data.`,
      fix,
    );
  } else {
    problems.warn('CORSICA_PATTERN_TOO_BROAD', path, message, fix);
  }
}

type StringRuleSpec = Exclude<OriginRuleSpec, { type: 'regexp' }>;

function parseOriginString(rule: string, path: string, problems: ProblemList): StringRuleSpec | null {
  const severalParts = rule.split(/[\s,]+/).filter((part) => part.length > 0);
  if (severalParts.length > 1) {
    problems.error(
      'ORIGIN_SEVERAL_IN_ONE',
      path,
      `'${rule}' holds several origins in one string, but Access-Control-Allow-Origin carries exactly one origin.`,
      `Give a list and corsica echoes the one that matches: origin: [${severalParts.map((p) => `'${p}'`).join(', ')}].`,
    );
    return null;
  }
  if (rule !== rule.trim()) {
    problems.error(
      'ORIGIN_WHITESPACE',
      path,
      `'${rule}' has white space around it; browsers never send that.`,
      `Write '${rule.trim()}'.`,
    );
    return null;
  }
  if (rule === '*') {
    problems.error(
      'ORIGIN_WILDCARD_IN_LIST',
      path,
      "'*' inside a list of origins means nothing: the header carries '*' or one origin.",
      "Use origin: '*' alone to allow every origin, or list only real origins.",
    );
    return null;
  }
  if (rule === 'null') {
    problems.error(
      'ORIGIN_NULL',
      path,
      "'null' is the origin of sandboxed iframes, file: and data: pages and redirected requests; any site can produce it, so allowing it is nearly as open as '*'.",
      'Remove it. If you really must serve opaque origins, set allowNullOrigin: true (it warns).',
    );
    return null;
  }
  const schemeEnd = rule.indexOf('://');
  if (schemeEnd <= 0) return missingScheme(rule, path, problems);
  const scheme = rule.slice(0, schemeEnd);
  if (scheme === 'file') {
    problems.error(
      'ORIGIN_FILE',
      path,
      `'${rule}' can never match: pages loaded from file: send Origin: null.`,
      'Serve the page over http://localhost during development and allow that origin.',
    );
    return null;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*$/.test(scheme)) {
    problems.error(
      'ORIGIN_INVALID',
      path,
      `'${rule}' does not start with a valid scheme.`,
      "Write an origin such as 'https://app.example.com'.",
    );
    return null;
  }
  const rest = rule.slice(schemeEnd + 3);
  const authorityEnd = rest.search(/[/?#]/);
  if (authorityEnd !== -1) {
    const origin = `${scheme}://${rest.slice(0, authorityEnd)}`;
    const trailingSlash = rest.slice(authorityEnd) === '/';
    problems.error(
      trailingSlash ? 'ORIGIN_TRAILING_SLASH' : 'ORIGIN_HAS_PATH',
      path,
      trailingSlash
        ? `'${rule}' ends with a slash; an origin never does, so it matches nothing.`
        : `'${rule}' has a path; an origin is only scheme, host and port.`,
      `Write '${origin}'.`,
    );
    return null;
  }
  if (rest.includes('*')) return parsePattern(rule, scheme, rest, path, problems);
  return checkCanonical(rule, scheme, path, problems, (canonical) => canonical)
    ? { type: 'exact', origin: rule }
    : null;
}

function missingScheme(rule: string, path: string, problems: ProblemList): null {
  if (rule.includes('*')) {
    const base = rule.replace(/^\*\.?/, '');
    problems.error(
      'ORIGIN_WILDCARD_WITHOUT_SCHEME',
      path,
      `'${rule}' is a wildcard without a scheme; no browser sends such an origin and Access-Control-Allow-Origin cannot hold a pattern.`,
      `Write the pattern 'https://*.${base}': corsica matches the subdomains and echoes the one that asked.`,
    );
    return null;
  }
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(rule);
  problems.error(
    'ORIGIN_MISSING_SCHEME',
    path,
    `'${rule}' has no scheme; browsers send the full origin, such as '${local ? 'http' : 'https'}://${rule}'.`,
    local
      ? `Write 'http://${rule}'${rule.includes(':') ? '' : " with the dev server's port, e.g. 'http://localhost:3000', or the pattern 'http://localhost:*'"}.`
      : `Write 'https://${rule}'.`,
  );
  return null;
}

function parsePattern(
  rule: string,
  scheme: string,
  authority: string,
  path: string,
  problems: ProblemList,
): StringRuleSpec | null {
  const portSep = authority.startsWith('[')
    ? authority.indexOf(':', authority.indexOf(']'))
    : authority.lastIndexOf(':');
  const hostPart = portSep === -1 ? authority : authority.slice(0, portSep);
  const portPart = portSep === -1 ? '' : authority.slice(portSep + 1);
  const subdomains = hostPart.startsWith('*.');
  const base = subdomains ? hostPart.slice(2) : hostPart;
  const validPort = portPart === '' || portPart === '*' || /^\d+$/.test(portPart);
  if (base.includes('*') || !validPort || base.length === 0) {
    problems.error(
      'ORIGIN_BAD_WILDCARD',
      path,
      `'${rule}' has a wildcard where none may be: corsica patterns allow '*.' at the start of the host (any subdomain) and ':*' as the port (any port), nothing else.`,
      hostPart === '*'
        ? "Use origin: '*' to allow every origin, or a subdomain pattern such as 'https://*.example.com'."
        : `Write a pattern such as '${scheme}://*.example.com' or '${scheme}://localhost:*', or a RegExp anchored with ^ and $.`,
    );
    return null;
  }
  const concrete = `${scheme}://${base}${portPart === '' || portPart === '*' ? '' : `:${portPart}`}`;
  const rebuild = (canonical: string): string =>
    canonical.replace('://', subdomains ? '://*.' : '://') + (portPart === '*' ? ':*' : '');
  if (!checkCanonical(concrete, scheme, path, problems, rebuild)) return null;
  const host = base;
  if (subdomains && isIpHost(host)) {
    problems.error(
      'ORIGIN_BAD_WILDCARD',
      path,
      `'${rule}' puts a subdomain wildcard in front of an IP address, which has no subdomains.`,
      `Allow the exact origin '${concrete}'.`,
    );
    return null;
  }
  return { type: 'pattern', pattern: { scheme, host, subdomains, port: portPart, source: rule } };
}

/** Checks that `rule` is written exactly as browsers serialize it; reports the canonical form if not. */
function checkCanonical(
  concrete: string,
  scheme: string,
  path: string,
  problems: ProblemList,
  rebuild: (canonical: string) => string,
): boolean {
  const written = rebuild(concrete);
  const canonical = canonicalOrigin(concrete, scheme);
  if (canonical === null) {
    problems.error(
      'ORIGIN_INVALID',
      path,
      `'${written}' is not a valid origin.`,
      "Write an origin such as 'https://app.example.com'.",
    );
    return false;
  }
  if (/\.(:\d+)?$/.test(concrete)) {
    problems.error(
      'ORIGIN_NOT_CANONICAL',
      path,
      `'${written}' ends its host with a dot; that is another origin than the one without it, and pages almost never use it.`,
      `Write '${rebuild(canonical.replace(/\.(:\d+)?$/, '$1'))}'.`,
    );
    return false;
  }
  if (canonical === concrete) return true;
  const port = /:(\d+)$/.exec(concrete)?.[1];
  const defaultPort =
    port !== undefined && DEFAULT_PORTS[scheme.toLowerCase()] === port.replace(/^0+(?=\d)/, '');
  const why = defaultPort
    ? `names the default port ${port}; browsers leave it out of Origin, so this never matches.`
    : whyNotCanonical(concrete, canonical);
  problems.error(
    defaultPort ? 'ORIGIN_DEFAULT_PORT' : 'ORIGIN_NOT_CANONICAL',
    path,
    `'${written}' ${why}`,
    `Write '${rebuild(canonical)}'.`,
  );
  return false;
}

function whyNotCanonical(written: string, canonical: string): string {
  if (written.toLowerCase() === canonical)
    return 'has upper-case letters; browsers send origins in lower case, so this never matches.';
  if (/[^\x00-\x7f]/.test(written)) return 'has a Unicode host; browsers send its Punycode form.';
  if (/^[a-z]+:\/\/(\[|[0-9a-fx.]+(:|$))/i.test(written))
    return 'writes an IP address in a form browsers never send.';
  return 'is not written the way browsers send it, so it never matches.';
}

/** The serialization browsers send for this origin, or null when it is not an origin at all. */
function canonicalOrigin(origin: string, scheme: string): string | null {
  if (!SPECIAL_SCHEMES.has(scheme.toLowerCase())) {
    // Non-special schemes (chrome-extension://id, tauri://localhost) have no URL origin; check the syntax.
    return parseSerializedOrigin(origin.toLowerCase()) === null ? null : origin.toLowerCase();
  }
  try {
    const url = new URL(origin);
    if (url.username !== '' || url.password !== '') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** RegExps are kept, minus the stateful `g`/`y` flags, and warned about when they match lookalikes. */
function parseRegExpRule(rule: RegExp, path: string, problems: ProblemList): RegExp {
  const source = rule.source;
  if (!source.startsWith('^') || !endsWithAnchor(source)) {
    problems.warn(
      'CORSICA_REGEXP_UNANCHORED',
      path,
      `${rule} is not anchored with ^ and $, so it also matches lookalikes such as 'https://evil-example.com' or 'https://example.com.evil.net' (cors#408).`,
      "Anchor it and escape its dots, e.g. /^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/, or use the pattern 'https://*.example.com'.",
    );
  }
  const dotted = unescapedDomainDot(source);
  if (dotted !== null) {
    problems.warn(
      'CORSICA_REGEXP_UNESCAPED_DOT',
      path,
      `${rule} has an unescaped '.' in '${dotted}', and '.' matches any character: it also matches '${dotted.replace('.', 'x')}'.`,
      `Escape the dot: '${dotted.replace('.', '\\.')}'.`,
    );
  }
  const flags = rule.flags.replace(/[gy]/g, '');
  return flags === rule.flags ? rule : new RegExp(source, flags);
}

function endsWithAnchor(source: string): boolean {
  if (!source.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = source.length - 2; i >= 0 && source[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The word around the first unescaped `.` between letters or digits (`example.com`), or null. */
function unescapedDomainDot(source: string): string | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (
      c === '.' &&
      !inClass &&
      /[a-z0-9]/i.test(source[i - 1] ?? '') &&
      /[a-z0-9]/i.test(source[i + 1] ?? '')
    ) {
      const before = /[a-z0-9-]*$/i.exec(source.slice(0, i))![0];
      const after = /^[a-z0-9-]*/i.exec(source.slice(i + 1))![0];
      return `${before}.${after}`;
    }
  }
  return null;
}

/**
 * The pattern strings (`https://*.example.com`, `http://localhost:*`) in an origin option. Framework
 * plugins that compare origin strings whole never match them; adapters warn about them.
 */
export function patternStrings(origin: unknown): string[] {
  const list: readonly unknown[] = Array.isArray(origin) ? origin : [origin];
  return list.filter(
    (rule): rule is string => typeof rule === 'string' && rule !== '*' && rule.includes('*'),
  );
}

/** The pattern strings (quoted) and RegExps in an origin option: the rules that match more than one origin. */
export function multiOriginRules(origin: unknown): string[] {
  const list: readonly unknown[] = Array.isArray(origin) ? origin : [origin];
  const regExps = list.filter((rule) => rule instanceof RegExp).map(String);
  return [...patternStrings(origin).map((rule) => `'${rule}'`), ...regExps];
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
