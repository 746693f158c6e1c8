// The fixes of audit's classes are templates: `{site}` is the site's origin, `{site-re}` the same
// as the inside of a JavaScript RegExp, `{scheme}`, `{domain}` and `{domain-re}` its scheme and
// registrable domain. fixForSite fills them in with what the user gave (--origin, or the URL's),
// so that a pasted fix never names a domain the user did not (an `admin.example.com` once trusted
// a stranger).

import type { Site } from './probes.js';

/** The same change in each tool's terms. */
export interface FindingFix {
  readonly summary: string;
  readonly corsica: string;
  readonly cors: string;
  readonly fastify: string;
  readonly nginx: string;
}

export const LIST = "origin: ['{site}' /* and each other origin you trust, by name */]";
export const NGINX_MAP =
  'map $http_origin $cors_origin { default ""; "{site}" $http_origin; } add_header Access-Control-Allow-Origin $cors_origin always; add_header Vary Origin always;';

/** A fix that is the same list of exact origins everywhere. */
export function exactList(summary: string): FindingFix {
  return {
    summary,
    corsica: `cors({ ${LIST}, credentials: true })  // corsica/node; patterns like '{scheme}://*.{domain}' match on dot boundaries only`,
    cors: `cors({ ${LIST}, credentials: true })  // or anchored, escaped RegExps: /^{site-re}$/`,
    fastify: `fastify.register(cors, { ${LIST}, credentials: true })`,
    nginx: NGINX_MAP,
  };
}

const regexpText = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A fix of the table with its placeholders filled in from the site the user gave. */
export function fixForSite(fix: FindingFix, site: Site): FindingFix {
  const fill = (text: string) =>
    text
      .replaceAll('{site-re}', regexpText(site.origin))
      .replaceAll('{site}', site.origin)
      .replaceAll('{scheme}', site.scheme)
      .replaceAll('{domain-re}', regexpText(site.domain))
      .replaceAll('{domain}', site.domain);
  return {
    summary: fill(fix.summary),
    corsica: fill(fix.corsica),
    cors: fill(fix.cors),
    fastify: fill(fix.fastify),
    nginx: fill(fix.nginx),
  };
}
