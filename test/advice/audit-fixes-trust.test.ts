// Audit's fixes for the origins a server trusts that it should not (the exploitable classes), run
// in the real tools (audit-fix-run.ts): after the pasted fix the hostile origin is no longer
// granted, and the site's page still is.

import { describe } from 'node:test';
import { type FixRow, fixTests } from './audit-fix-run.js';

/** No config option for Private Network Access in the peers: their lines say where to set it. */
const PNA_BY_HAND =
  /has no option for it: .*Access-Control-Allow-Private-Network: true only when the Origin is in your list/;

const ROWS: readonly FixRow[] = [
  { class: 'reflected-any-origin-with-credentials' },
  { class: 'null-origin-trusted' },
  { class: 'prefix-match' },
  { class: 'suffix-match' },
  { class: 'substring-match' },
  { class: 'unescaped-dot' },
  { class: 'unanchored-regexp' },
  { class: 'special-characters' },
  { class: 'any-subdomain-with-credentials' },
  { class: 'http-origin-trusted' },
  { class: 'third-party-hosting-trusted' },
  { class: 'localhost-trusted-with-credentials' },
  {
    class: 'private-network-access-granted',
    words: { cors: PNA_BY_HAND, fastify: PNA_BY_HAND, hono: PNA_BY_HAND },
  },
  { class: 'intranet-open-to-any-origin' },
  { class: 'preflight-reflects-any', legit: { method: 'PUT', header: ['Content-Type: application/json'] } },
];

describe("audit's fixes for trusted origins, pasted into each real tool, remove the flaw and keep the site", () => {
  for (const row of ROWS) fixTests(row);
});
