// Property tests (fast-check): generated configurations and requests, each decision compared with
// an oracle written here independently of the policy (WHATWG URL parsing and plain string tests).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CorsOptions, createPolicy, type Decision } from '../../src/policy/index.js';
import { mergeVary } from '../../src/policy/vary.js';
import { parseTokenList, REQUEST_LIST_LIMITS } from '../../src/syntax/header-list.js';

function decideSync(
  options: CorsOptions,
  request: Parameters<ReturnType<typeof createPolicy>['decide']>[0],
): Decision {
  const d = createPolicy({ ...options, silence: true }).decide(request);
  assert.ok(!(d instanceof Promise));
  return d;
}

// ---------------------------------------------------------------------------------------------
// Origins: a configuration of exact origins and patterns, requests that are genuine or lookalikes.

type Scheme = 'http' | 'https';
const DEFAULT_PORT: Record<Scheme, string> = { http: '80', https: '443' };

interface ExactRule {
  readonly type: 'exact';
  readonly scheme: Scheme;
  readonly host: string;
  readonly port: string;
}
interface SubdomainRule {
  readonly type: 'subdomains';
  readonly scheme: Scheme;
  readonly base: string;
  readonly port: string; // '' default, digits, or '*'
}
interface AnyPortRule {
  readonly type: 'any-port';
  readonly scheme: Scheme;
  readonly host: string;
}
type Rule = ExactRule | SubdomainRule | AnyPortRule;

const portSuffix = (port: string) => (port === '' ? '' : `:${port}`);

function ruleText(rule: Rule): string {
  if (rule.type === 'exact') return `${rule.scheme}://${rule.host}${portSuffix(rule.port)}`;
  if (rule.type === 'subdomains') return `${rule.scheme}://*.${rule.base}${portSuffix(rule.port)}`;
  return `${rule.scheme}://${rule.host}:*`;
}

/** The origin as a browser serializes it, or null when `value` is not one (independent of corsica). */
function serialized(value: string): { scheme: string; host: string; port: string } | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.origin !== value || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  return { scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port };
}

/** What the configuration means: the oracle. */
function oracleAllows(rules: readonly Rule[], origin: string): boolean {
  const o = serialized(origin);
  if (o === null) return false;
  return rules.some((rule) => {
    if (rule.scheme !== o.scheme) return false;
    if (rule.type === 'exact') return origin === ruleText(rule);
    if (rule.type === 'any-port') return o.host === rule.host;
    const labels = o.host.split('.');
    const subdomain = o.host.endsWith(`.${rule.base}`) && labels.every((label) => label !== '');
    return subdomain && (rule.port === '*' || rule.port === o.port);
  });
}

// No `xn--`-style labels: those are Punycode, and a random one is invalid IDNA that URL parsers refuse.
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/).filter((l) => !/^..--/.test(l));
// The top-level label is alphabetic: a numeric one makes the host an IPv4 address to URL parsers.
const tld = fc.stringMatching(/^[a-z]{2,6}$/);
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 2 }), tld)
  .map(([labels, top]) => [...labels, top].join('.'));
const scheme = fc.constantFrom<Scheme>('http', 'https');
const explicitPort = fc.integer({ min: 1, max: 65535 }).map(String);

const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc
    .record({ scheme, host: domain, port: fc.oneof(fc.constant(''), explicitPort) })
    .filter((r) => r.port !== DEFAULT_PORT[r.scheme])
    .map((r) => ({ type: 'exact' as const, ...r })),
  fc
    .record({ scheme, base: domain, port: fc.oneof(fc.constant(''), fc.constant('*'), explicitPort) })
    .filter((r) => r.port !== DEFAULT_PORT[r.scheme])
    .map((r) => ({ type: 'subdomains' as const, ...r })),
  fc.record({ scheme, host: domain }).map((r) => ({ type: 'any-port' as const, ...r })),
);

/** An origin the rule genuinely allows. */
function genuine(rule: Rule, sub: string, port: string): string {
  if (rule.type === 'exact') return ruleText(rule);
  if (rule.type === 'any-port')
    return `${rule.scheme}://${rule.host}${portSuffix(port === DEFAULT_PORT[rule.scheme] ? '' : port)}`;
  const p = rule.port === '*' ? (port === DEFAULT_PORT[rule.scheme] ? '' : port) : rule.port;
  return `${rule.scheme}://${sub}.${rule.base}${portSuffix(p)}`;
}

/** Ways to turn an allowed origin into one that only looks allowed (or, sometimes, still is). */
const LOOKALIKES: readonly ((origin: string, other: string) => string)[] = [
  (o) => `${o}.evil.net`,
  (o) => o.replace('://', '://evil'),
  (o) => o.replace('://', '://evil-'),
  (o) => o.replace('://', '://evil.'),
  (o) => (/:\d+$/.test(o) ? o.replace(/:\d+$/, ':8443') : `${o}:8443`),
  (o) => o.replace(/:\d+$/, ''),
  (o) => (o.startsWith('https:') ? o.replace('https:', 'http:') : o.replace('http:', 'https:')),
  (o) => o.toUpperCase(),
  (o) => o.replace(/^(https?:\/\/)(.)/, (_, s: string, c: string) => s + c.toUpperCase()),
  (o) => o.replace(/(:\d+)?$/, '.$1'),
  (o) => `${o}/`,
  (o) => `${o}/path`,
  (o) => o.replace('://', '://user@'),
  (o) => ` ${o}`,
  (o) => `${o} `,
  (o) => o.replace(/^https?:\/\/[^.]+\./, (m) => m.slice(0, m.indexOf('://') + 3)),
  (o) => `${o},${o}`,
  (o) => o.replace(/:\/\/([^:]+)/, '://$1$1'),
  // GHSA-vhxv-fg4m-p2w8: the host of one allowed origin glued to the host of another.
  (o, other) =>
    o.replace(
      /:\/\/([^:/]+)/,
      (_, host: string) => `://${host.split('.')[0]}${other.replace(/^https?:\/\//, '')}`,
    ),
];

describe('property: origin matching has no false accept and no false refuse', () => {
  it('genuine origins, lookalikes and arbitrary strings are decided as the oracle decides', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        label,
        fc.integer({ min: 1, max: 65535 }).map(String),
        fc.nat(LOOKALIKES.length),
        fc.string({ maxLength: 40 }),
        (rules, pick, sub, port, mutation, noise) => {
          const options: CorsOptions = { origin: rules.map(ruleText) };
          const target = rules[pick % rules.length]!;
          const other = genuine(rules[(pick + 1) % rules.length]!, sub, port);
          const real = genuine(target, sub, port);
          const requests = [real, LOOKALIKES[mutation % LOOKALIKES.length]!(real, other), noise];
          for (const origin of requests) {
            const d = decideSync(options, { method: 'GET', origin });
            assert.equal(
              d.allowed,
              oracleAllows(rules, origin),
              `${JSON.stringify(options.origin)} and ${JSON.stringify(origin)}`,
            );
          }
          assert.equal(oracleAllows(rules, real), true, 'the oracle allows the genuine origin');
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a subdomain pattern never allows its apex, and exact origins allow nothing else', () => {
    fc.assert(
      fc.property(scheme, domain, label, (s, base, sub) => {
        const pattern = decideSync(
          { origin: `${s}://*.${base}` },
          { method: 'GET', origin: `${s}://${base}` },
        );
        assert.equal(pattern.allowed, false);
        const exact = decideSync(
          { origin: `${s}://${base}` },
          { method: 'GET', origin: `${s}://${sub}.${base}` },
        );
        assert.equal(exact.allowed, false);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Header lists.

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The obvious reading of a header list: split on commas, trim SP/HTAB, drop empties, lower-case. */
function referenceList(value: string): string[] | null {
  const items: string[] = [];
  for (const part of value.split(',')) {
    const item = part.replace(/^[ \t]+|[ \t]+$/g, '');
    if (item === '') continue;
    if (![...item].every((c) => TCHARS.includes(c))) return null;
    items.push(item.toLowerCase());
  }
  return items;
}

const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
const ows = fc.constantFrom('', ' ', '\t');
/** Lists within the caps: at most one byte of white space on each side, a few empty items. */
const wellFormedList = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.tuple(ows, token, ows) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    {
      maxLength: 30,
    },
  )
  .filter((parts) => parts.filter((p) => p === null).length <= REQUEST_LIST_LIMITS.maxEmptyItems)
  .map((parts) => parts.map((p) => (p === null ? '' : p.join(''))).join(','));

describe('property: header lists', () => {
  it('within the caps, the parser reads what the reference reads', () => {
    fc.assert(
      fc.property(wellFormedList, (value) => {
        const parsed = parseTokenList(value, REQUEST_LIST_LIMITS, true);
        const expected = referenceList(value);
        assert.ok(parsed.ok, `${JSON.stringify(value)}: ${JSON.stringify(parsed)}`);
        assert.deepEqual(parsed.items, expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('any string is parsed without throwing; an accepted one agrees with the reference', () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(',', ' ', '\t', 'a', 'B', '\u212a', '\u0130', ';'), maxLength: 300 }),
      fc.nat(20_000).map((n) => ','.repeat(n)),
      fc.nat(20_000).map((n) => ' '.repeat(n)),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        const parsed = parseTokenList(value, REQUEST_LIST_LIMITS, true);
        if (parsed.ok) assert.deepEqual(parsed.items, referenceList(value));
        else
          assert.ok(
            parsed.position >= 0 && parsed.position <= Math.max(value.length, REQUEST_LIST_LIMITS.maxLength),
          );
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Vary.

const fieldName = fc.constantFrom(
  'Origin',
  'origin',
  'Accept-Encoding',
  'Access-Control-Request-Headers',
  'Cookie',
  'X-A',
);

describe('property: Vary merging', () => {
  it('keeps what is there, adds each missing name once, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(fieldName, { maxLength: 5 }),
        fc.uniqueArray(fieldName, { minLength: 1, maxLength: 3, selector: (n) => n.toLowerCase() }),
        (existing, added) => {
          const before = existing.join(', ');
          const add = added.join(', ');
          const merged = mergeVary(before, add) ?? before;
          assert.ok(merged.startsWith(before), 'existing names keep their order');
          const names = merged
            .split(',')
            .map((n) => n.trim().toLowerCase())
            .filter((n) => n !== '');
          for (const name of added) assert.ok(names.includes(name.toLowerCase()), `${name} in ${merged}`);
          const addedOnce = names.slice(existing.length);
          assert.equal(new Set(addedOnce).size, addedOnce.length, 'nothing added twice');
          for (const name of addedOnce)
            assert.ok(!existing.some((e) => e.toLowerCase() === name), `${name} was there`);
          assert.equal(mergeVary(merged, add), null, 'merging again changes nothing');
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves '*' alone", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fieldName, { minLength: 1, maxLength: 3 }), (added) => {
        assert.equal(mergeVary('*', added.join(', ')), null);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Decisions: invariants of every answer, over generated configurations and requests.

const APP = 'https://app.example.com';
const config: fc.Arbitrary<CorsOptions> = fc
  .record(
    {
      origin: fc.oneof(
        fc.constant('*'),
        fc.constant(true),
        fc.constant([APP, 'https://b.example.org']),
        fc.constant('https://*.example.com'),
      ),
      credentials: fc.boolean(),
      methods: fc.constantFrom('GET,POST', 'GET,PUT,DELETE', 'PATCH'),
      allowedHeaders: fc.constantFrom(['Content-Type'], ['X-A', 'X-B'], undefined),
      exposedHeaders: fc.constantFrom(['X-Total'], undefined),
      maxAge: fc.constantFrom(600, undefined),
    },
    { requiredKeys: ['origin'] },
  )
  .filter((o) => !(o.origin === '*' && o.credentials));

const requestOrigin = fc.constantFrom(
  APP,
  'https://x.example.com',
  'https://evil.net',
  'null',
  'HTTPS://APP.EXAMPLE.COM',
  undefined,
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'OPTIONS'),
  origin: requestOrigin,
  requestMethod: fc.constantFrom('PUT', 'patch', 'GET', 'B@D', undefined),
  requestHeaders: fc.constantFrom('x-a', 'content-type,x-b', ',,,', 'X-A, x-b', undefined),
});

function headerMap(d: Decision): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i < d.headers.length; i += 2) {
    const name = d.headers[i]!.toLowerCase();
    map.set(name, [...(map.get(name) ?? []), d.headers[i + 1]!]);
  }
  return map;
}

describe('property: decision invariants', () => {
  it('every decision keeps the protocol rules', () => {
    fc.assert(
      fc.property(config, request, (options, req) => {
        const d = decideSync(options, req);
        const h = headerMap(d);
        const acao = h.get('access-control-allow-origin');
        if (
          !d.allowed &&
          (d.reason === 'no-origin' || d.reason?.endsWith('origin') || d.reason === 'origin-not-allowed')
        ) {
          assert.deepEqual([...h.keys()], [], 'a refused origin gets no CORS header');
        }
        if (acao !== undefined) {
          assert.equal(acao.length, 1, 'one Access-Control-Allow-Origin');
          assert.ok(acao[0] === '*' || acao[0] === req.origin, `ACAO ${acao[0]} for ${req.origin}`);
          assert.ok(!acao[0]!.includes(','), 'never a list');
          if (acao[0] === '*')
            assert.equal(h.get('access-control-allow-credentials'), undefined, "'*' never with credentials");
        }
        if (d.kind !== 'preflight') {
          assert.equal(h.get('access-control-max-age'), undefined);
          assert.equal(h.get('access-control-allow-methods'), undefined);
        }
        if (d.kind !== 'actual') assert.equal(h.get('access-control-expose-headers'), undefined);
        if (
          Array.isArray(options.origin) ||
          options.origin === true ||
          options.origin === 'https://*.example.com'
        ) {
          assert.ok((d.vary ?? '').split(', ').includes('Origin'), `Vary ${d.vary}`);
        }
        for (const [name, values] of h) assert.equal(values.length, 1, `${name} set once`);
      }),
      { numRuns: 1000 },
    );
  });
});
