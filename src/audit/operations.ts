// An audit shaped by what the API declares (an OpenAPI description): the site's preflights are
// the ones a browser sends for each declared operation (its method and request headers, asked of
// the browser model), and a path that takes no GET is audited by preflights only: an audit never
// sends an unsafe method, and a GET to a path that does not take one proves nothing.

import type { ProbeRecord } from './finding.js';
import { preflightFor } from './judge.js';
import { asPreflights, type BatteryOptions, battery, type Probe, type Site } from './probes.js';

/** One operation of a path: its method and the request headers it declares, with example values. */
export interface Operation {
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
}

/** The site's preflights for the operations a browser preflights, each once. */
function sitePreflights(site: Site, url: string, operations: readonly Operation[]): Probe[] {
  const seen = new Set<string>();
  const out: Probe[] = [];
  for (const op of operations) {
    const shape = preflightFor(url, site.origin, op.method, op.headers);
    if (shape === null) continue;
    const key = `${shape.method} ${shape.headers.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      kind: 'site-preflight',
      origin: site.origin,
      method: 'OPTIONS',
      requestMethod: shape.method,
      ...(shape.headers.length === 0 ? {} : { requestHeaders: shape.headers.join(',') }),
    });
  }
  return out;
}

/** The battery for a URL: the default one, or one shaped by the operations it declares. */
export function batteryFor(
  site: Site,
  url: string,
  options: BatteryOptions & { readonly operations?: readonly Operation[] },
): Probe[] {
  const base = battery(site, options);
  const operations = options.operations;
  if (operations === undefined || operations.length === 0) return base;
  const preflights = sitePreflights(site, url, operations);
  const others = base.filter((p) => p.kind !== 'site-preflight');
  if (operations.some((op) => ['GET', 'HEAD'].includes(op.method.toUpperCase())))
    return [others[0]!, ...preflights, ...others.slice(1)];
  // No GET declared: the trust probes go as preflights, shaped like the first operation's.
  const like: Probe = preflights[0] ?? {
    kind: 'site-preflight',
    origin: site.origin,
    method: 'OPTIONS',
    requestMethod: operations[0]!.method.toUpperCase(),
  };
  return [...preflights, ...others.filter((p) => p.method === 'OPTIONS'), ...asPreflights(others, like)];
}

/** The site's preflight that carries CORS headers when its GET (as sent) carries none, or null. */
export function preflightShownCors(
  probes: readonly Probe[],
  records: readonly ProbeRecord[],
  acao: (r: ProbeRecord) => string | null,
): Probe | null {
  const get = records.find((r) => r.kind === 'site');
  if (get === undefined || get.response === null || acao(get) !== null) return null;
  const i = records.findIndex((r) => r.kind === 'site-preflight' && r.response !== null && acao(r) !== null);
  return i < 0 ? null : probes[i]!;
}
