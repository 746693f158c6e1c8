// The installed browser against the release the model's facts were measured on
// (src/browser/engines.ts). A newer release is not a failure by itself (Debian updates its
// browsers on its own schedule, and CI installs the current one): the differential tests say it
// in their output, and when they disagree, the message says which release the facts are from.

import { ENGINE_FACTS, type Engine } from '../../src/browser/engines.js';

/**
 * Null when `installed` (a version as the browser reports it: `156.0.8078.114`, `153.8.0`,
 * `WebKitGTK 2.50.6`) is the release the engine's facts name; else what to do about it.
 */
export function releaseMismatch(engine: Engine, installed: string): string | null {
  const measured = ENGINE_FACTS[engine].measuredOn;
  if (measured === null) return `${engine} is measured on no browser`;
  // The release's number (`153` of `153 ESR`) is the installed version or a prefix of it.
  const number = measured.release.split(' ')[0]!;
  const version = installed.replace(/^[^\d]*/, '');
  if (version === number || version.startsWith(`${number}.`)) return null;
  if (version === '') return `${measured.browser} did not say its version (${installed})`;
  return (
    `${measured.browser} ${version} is installed, but src/browser/engines.ts says its ${engine} facts were ` +
    `measured on ${measured.browser} ${measured.release}: run the differential tests against it, ` +
    `correct the facts that changed, then set the release in engines.ts, the README and docs/.`
  );
}

/** `releaseMismatch` as a line to add to a disagreement's message (empty when the release is the table's). */
export function releaseNote(engine: Engine, installed: string): string {
  const mismatch = releaseMismatch(engine, installed);
  return mismatch === null ? '' : `\n${mismatch}`;
}
