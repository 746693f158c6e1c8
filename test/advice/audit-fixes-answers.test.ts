// Audit's fixes for answers browsers refuse, parts of the protocol missing, what is worth knowing,
// and drift from the --policy file, run in the real tools (audit-fix-run.ts): after the pasted
// fix the audit no longer finds the class, and the site's page is let through.

import { describe } from 'node:test';
import { type FixRow, fixTests } from './audit-fix-run.js';

const JSON_PUT = { method: 'PUT', header: ['Content-Type: application/json'] };

const ROWS: readonly FixRow[] = [
  { class: 'wildcard-with-credentials' },
  { class: 'several-origins' },
  { class: 'literal-wildcard-pattern' },
  { class: 'origin-without-scheme' },
  { class: 'origin-trailing-slash' },
  { class: 'preflight-only-cors', legit: JSON_PUT },
  { class: 'actual-only-cors', legit: JSON_PUT },
  { class: 'declared-preflight-refused', legit: JSON_PUT },
  { class: 'vary-origin-missing-cached' },
  { class: 'reflected-any-origin' },
  { class: 'vary-origin-missing' },
  { class: 'headers-not-exposed' },
  { class: 'public-wildcard' },
  // The drift is in a layer in front of the app (a gateway, a CDN): nginx's line says what to
  // change there, in words; the app's lines give the policy file's options, run here without it.
  { class: 'policy-drift-allows-more', words: { nginx: /proxy_hide_header Access-Control-Allow-Origin/ } },
  { class: 'policy-drift-allows-less', words: { nginx: /pass OPTIONS to the app/ } },
  { class: 'policy-drift-vary-stripped', words: { nginx: /do not proxy_hide_header Vary/ } },
];

describe("audit's fixes for refused and incomplete answers, pasted into each real tool, remove the finding", () => {
  for (const row of ROWS) fixTests(row);
});
