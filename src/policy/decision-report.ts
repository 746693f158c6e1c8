// One sentence per decision for the server owner: what was decided and, when refused, what to
// change. This runs only when `onDecision` or `debug` is set, never on the plain hot path.

import { describeListError, parseTokenList, REQUEST_LIST_LIMITS } from '../syntax/header-list.js';
import { parseSerializedOrigin } from '../syntax/origin-syntax.js';
import { firstDisallowedHeader } from './grants.js';
import type { BrowserError, Decision } from './types.js';
import type { ResolvedConfig } from './validate.js';

export interface DecisionFacts {
  readonly method: string;
  readonly origin: string;
  readonly requestMethod: string | null;
  readonly requestHeaders: string | null;
}

const MAX_SHOWN = 120;

function show(value: string): string {
  const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  return `'${cut.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

export function explainDecision(config: ResolvedConfig, d: Decision, facts: DecisionFacts): string {
  const what = d.kind === 'preflight' ? `preflight for ${facts.requestMethod ?? ''}` : facts.method;
  const from = `from ${show(facts.origin)}`;
  switch (d.reason) {
    case null:
      return `Allowed ${what} ${from}.`;
    case 'disabled':
      return `CORS is off (origin: false): ${what} ${from} gets no CORS headers.`;
    case 'no-origin':
      return 'Not a cross-origin request: no Origin header.';
    case 'malformed-origin':
      return `Refused ${what}: the Origin header ${show(facts.origin)} is not an origin as browsers send it (lower-case scheme://host[:port]), so it did not come from a browser's own serialization.`;
    case 'null-origin':
      return `Refused ${what} from the opaque origin 'null' (a sandboxed iframe, a file: or data: page, or a request redirected across origins). Set allowNullOrigin: true only if you must serve such pages.`;
    case 'origin-not-allowed':
      return `Refused ${what} ${from}: it is not an allowed origin.${nearMiss(config, facts.origin)}`;
    case 'malformed-request-method':
      return `Refused ${what} ${from}: Access-Control-Request-Method ${show(facts.requestMethod ?? '')} is not a method.`;
    case 'method-not-allowed':
      return `Refused ${what} ${from}: ${facts.requestMethod} is not in methods (${config.methods.value || 'none'}). Add '${facts.requestMethod}' to methods.`;
    case 'malformed-request-headers': {
      const parsed = parseTokenList(facts.requestHeaders ?? '', REQUEST_LIST_LIMITS, true);
      const why = parsed.ok ? 'it is malformed' : describeListError(parsed.error, REQUEST_LIST_LIMITS);
      return `Refused ${what} ${from}: Access-Control-Request-Headers cannot be parsed: ${why}.`;
    }
    case 'header-not-allowed': {
      const parsed = parseTokenList(facts.requestHeaders ?? '', REQUEST_LIST_LIMITS, true);
      const name = parsed.ok ? firstDisallowedHeader(config, parsed.items) : null;
      const wildcardNote =
        name === 'authorization' && config.allowedHeaders?.wildcard
          ? " '*' does not cover Authorization in the Fetch standard (Chromium, Firefox with a deprecation warning, and WebKit still let it through)."
          : '';
      return `Refused ${what} ${from}: request header ${name} is not in allowedHeaders (${config.allowedHeaders?.value || 'none'}).${wildcardNote} Add '${name}' to allowedHeaders.`;
    }
  }
}

/**
 * What a browser reports for a refusal, by Chromium's name (one name for the same failure on both
 * halves; test/browser/policy-meets-model.test.ts holds it to the model). A refused origin gets no
 * CORS header at all; a refused method or header gets the configured lists, which the browser then
 * names. Requests no browser sends (no Origin, a malformed one) have no browser error.
 */
export function browserErrorFor(d: Decision): BrowserError | null {
  switch (d.reason) {
    case 'disabled':
    case 'null-origin':
    case 'origin-not-allowed':
      return d.kind === 'preflight' ? 'PreflightMissingAllowOriginHeader' : 'MissingAllowOriginHeader';
    case 'method-not-allowed':
      return 'MethodDisallowedByPreflightResponse';
    case 'header-not-allowed':
      return 'HeaderDisallowedByPreflightResponse';
    default:
      return null;
  }
}

/** Points at an allowed origin that differs from the refused one only by scheme, port or `www.`. */
function nearMiss(config: ResolvedConfig, origin: string): string {
  if (config.origin.type !== 'rules') return '';
  const asked = parseSerializedOrigin(origin);
  if (asked === null) return '';
  for (const rule of config.origin.rules) {
    if (rule.type !== 'exact') continue;
    const allowed = parseSerializedOrigin(rule.origin);
    if (allowed === null) continue;
    const sameHost = allowed.host === asked.host;
    const wwwOnly = allowed.host.replace(/^www\./, '') === asked.host.replace(/^www\./, '');
    if (sameHost && allowed.scheme === asked.scheme && allowed.port !== asked.port) {
      return ` The allowed origin '${rule.origin}' differs only by its port (pitfall 4): add '${origin}', or '${asked.scheme}://${asked.host}:*' for any port.`;
    }
    if (sameHost && allowed.scheme !== asked.scheme) {
      return ` The allowed origin '${rule.origin}' differs only by its scheme: add '${origin}' if that site is yours.`;
    }
    if (!sameHost && wwwOnly && allowed.scheme === asked.scheme && allowed.port === asked.port) {
      return ` The allowed origin '${rule.origin}' differs only by 'www.': add '${origin}' if that site is yours.`;
    }
  }
  return '';
}
