// Real Chromium for browser tests: Debian's `chromium` package driven by playwright-core, one
// browser per test file. Without the package, tests skip locally and fail under CI=true.

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags every test's Chromium runs with (design.md). */
export const CHROMIUM_FLAGS = [
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

/** `extraArgs` go after the design's flags (e.g. `--host-resolver-rules` to give a test its own names). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}

/** A page on its own origin (http://127.0.0.1:<port>/), in a fresh Chromium, with its console errors. */
export interface OpenPage {
  readonly browser: Browser;
  readonly page: Page;
  /** The page's origin, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** Every console error, in order (Chromium prints CORS failures there). */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

export async function openPage(): Promise<OpenPage> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>corsica test page</title>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${origin}/`);
  return {
    browser,
    page,
    origin,
    consoleErrors,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
