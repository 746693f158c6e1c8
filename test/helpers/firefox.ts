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

/** A page of the installed extension, driven over BiDi. */
export interface ExtensionPage {
  /** The value of an expression (awaited), or [] when the page is not ready to evaluate it. */
  evaluate(expression: string): Promise<unknown>;
  /** Clicks the element with real input events, as a user does (a user gesture, unlike element.click()). */
  click(selector: string): Promise<void>;
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
  /**
   * Opens a page of the installed extension (`requests.html`) in a new tab. Puppeteer loses sight
   * of a tab that moves to the extension's process, so the page is driven over BiDi directly.
   */
  extensionPage(path: string): Promise<ExtensionPage>;
  close(): Promise<void>;
}

export interface FirefoxOptions {
  /** Preferences to set (puppeteer's extraPrefsFirefox). */
  readonly prefs?: Readonly<Record<string, unknown>>;
  /** An unpacked extension to install (a temporary add-on, as about:debugging loads one). */
  readonly extension?: { readonly path: string; readonly id: string };
}

/** The moz-extension: host the installed extension gets (fixed by a preference, else random). */
export const EXTENSION_UUID = '6f1c0a52-5b1e-4c1a-9a57-c0c5a1ca0001';

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
    extraPrefsFirefox: {
      ...options.prefs,
      ...(options.extension === undefined
        ? {}
        : { 'extensions.webextensions.uuids': JSON.stringify({ [options.extension.id]: EXTENSION_UUID }) }),
    },
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
    if (options.extension !== undefined) await browser.installExtension(options.extension.path);
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
      async extensionPage(path: string) {
        const created = (await connection.send('browsingContext.create', { type: 'tab' })).result as {
          context: string;
        };
        await connection.send('browsingContext.navigate', {
          context: created.context,
          url: `moz-extension://${EXTENSION_UUID}/${path}`,
          wait: 'none',
        });
        const page: ExtensionPage = {
          async click(selector: string) {
            const at = (await page.evaluate(
              `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) }; })()`,
            )) as { x: number; y: number };
            await connection.send('input.performActions', {
              context: created.context,
              actions: [
                {
                  type: 'pointer',
                  id: 'mouse',
                  parameters: { pointerType: 'mouse' },
                  actions: [
                    { type: 'pointerMove', x: at.x, y: at.y },
                    { type: 'pointerDown', button: 0 },
                    { type: 'pointerUp', button: 0 },
                  ],
                },
              ],
            });
          },
          async evaluate(expression: string) {
            // Before the page has loaded, an evaluation may fail or find about:blank: an empty
            // list then, and the caller reads again.
            const r = (await connection
              .send('script.evaluate', {
                expression: `(async () => JSON.stringify(await (${expression})))()`,
                target: { context: created.context },
                awaitPromise: true,
              })
              .catch(() => ({ result: { type: 'exception' } }))) as {
              result: { type: string; result?: { value?: unknown } };
            };
            if (r.result.type !== 'success') return [];
            return JSON.parse(String(r.result.result?.value ?? 'null'));
          },
        };
        return page;
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
