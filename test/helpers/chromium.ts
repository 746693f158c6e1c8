// Real Chromium for browser tests: Debian's `chromium` package driven by playwright-core, one
// browser per test file. Without the package, tests skip locally and fail under CI=true.

import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why browser tests cannot run here, or false when they can. Under CI=true a missing browser is an
 * error, thrown at once, so that a CI run never passes by skipping its browser tests.
 */
export function chromiumSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const reason = `${CHROMIUM_PATH} not found: install the Debian package chromium (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}
