// Real Firefox for browser tests: Debian's `firefox-esr` driven by puppeteer-core over WebDriver
// BiDi, one browser per test file. Without the package, tests skip locally and fail under CI=true.
//
// Firefox's CORS lines are not console-API calls: `page.on('console')` never sees them, and BiDi's
// log.entryAdded carries the errors but not the warnings. The browser's console service carries
// both, each with its security.properties key as its category, so the helper registers an
// nsIConsoleListener in the chrome context (hence -remote-allow-system-access) and reads what it
// kept (../shared/reference/firefox-webkit.md).

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * Why Firefox tests cannot run here, or false when they can. Under CI=true a missing browser is an
 * error, thrown at once, so that a CI run never passes by skipping its browser tests.
 */
export function firefoxSkipReason(): string | false {
  if (existsSync(FIREFOX_PATH)) return false;
  const reason = `${FIREFOX_PATH} not found: install the Debian package firefox-esr (apt-get install -y firefox-esr)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

/** One line Firefox's console service received: a CORS error or warning. */
export interface FirefoxLine {
  /** The security.properties key, as this Firefox prints it (CORSMissingAllowOrigin2). */
  readonly key: string;
  readonly level: 'error' | 'warning';
  readonly text: string;
}

/** The BiDi connection puppeteer keeps (not part of its public types). */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

/** Runs in Firefox's chrome context: keeps every "Cross-Origin Request ..." script error. */
const LISTEN = `(() => {
  globalThis.__corsicaLines = [];
  const listener = {
    observe(message) {
      if (!(message instanceof Ci.nsIScriptError)) return;
      if (!message.errorMessage.startsWith('Cross-Origin Request')) return;
      globalThis.__corsicaLines.push({
        key: message.category,
        level: message.flags & 1 ? 'warning' : 'error',
        text: message.errorMessage,
      });
    },
  };
  Services.console.registerListener(listener);
  return 'listening';
})()`;

const DRAIN = 'JSON.stringify(globalThis.__corsicaLines.splice(0))';

/** A page on its own origin (http://127.0.0.1:<port>/), in a fresh Firefox, with its CORS lines. */
export interface FirefoxPage {
  readonly browser: Browser;
  readonly page: Page;
  /** The page's origin, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** Firefox's version, e.g. 153.7.0esr. */
  readonly version: string;
  /** Every CORS line the console service received since the last call, in order. */
  drain(): Promise<FirefoxLine[]>;
  close(): Promise<void>;
}

export interface FirefoxOptions {
  /** Preferences to set (puppeteer's extraPrefsFirefox). */
  readonly prefs?: Readonly<Record<string, unknown>>;
}

export async function openFirefoxPage(options: FirefoxOptions = {}): Promise<FirefoxPage> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>corsica test page</title>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocol: 'webDriverBiDi',
    args: ['-remote-allow-system-access'],
    extraPrefsFirefox: { ...options.prefs },
  });
  try {
    const connection = (browser as unknown as { connection: BidiConnection }).connection;
    const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as {
      contexts: { context: string }[];
    };
    const context = tree.contexts[0]?.context;
    if (context === undefined) throw new Error('Firefox gave no chrome context');
    const evaluate = async (expression: string): Promise<string> => {
      const r = (await connection.send('script.evaluate', {
        expression,
        target: { context },
        awaitPromise: false,
      })) as { result: { type: string; result?: { value?: unknown }; exceptionDetails?: unknown } };
      if (r.result.type !== 'success') throw new Error(`chrome script failed: ${JSON.stringify(r.result)}`);
      return String(r.result.result?.value);
    };
    await evaluate(LISTEN);
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const version = (await browser.version()).replace(/^firefox\//i, '');
    return {
      browser,
      page,
      origin,
      version,
      async drain() {
        return JSON.parse(await evaluate(DRAIN)) as FirefoxLine[];
      },
      async close() {
        await browser.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (err) {
    await browser.close();
    server.close();
    throw err;
  }
}
