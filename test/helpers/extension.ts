// The browser extension in real browsers: built from the sources by its own build script into a
// temporary folder, loaded into Chromium (playwright-core, a persistent context with
// --load-extension: the new headless mode loads extensions) or Firefox (puppeteer-core over
// WebDriver BiDi, webExtension.install), and its requests.html read as automation reads it.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Builds both unpacked extensions with scripts/build-extension.mjs into a fresh folder. */
export async function buildExtension(): Promise<{ chromium: string; firefox: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'corsica-extension-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-extension.mjs'), '--out', dir]);
  return { chromium: join(dir, 'extension'), firefox: join(dir, 'extension-firefox'), dir };
}

export interface ChromiumWithExtension {
  readonly context: BrowserContext;
  /** The extension's background service worker. */
  readonly worker: Worker;
  /** chrome-extension://<id>/ */
  readonly base: string;
  close(): Promise<void>;
}

export async function launchChromiumWithExtension(extension: string): Promise<ChromiumWithExtension> {
  const profile = mkdtempSync(join(tmpdir(), 'corsica-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${extension}`, `--load-extension=${extension}`],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    worker,
    base: `chrome-extension://${new URL(worker.url()).host}/`,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One list item of requests.html, by its data- attributes. */
export interface ListedRequest {
  readonly id: string;
  readonly url: string;
  readonly method: string;
  readonly initiator: string;
  readonly verdict: string;
  readonly code: string;
  /** The code with credentials, when the wire cannot tell whether the page asked for them. */
  readonly altCode: string;
  /** The codes of the CLI's warnings the answer earns, comma-separated. */
  readonly warnings: string;
  readonly tab: string;
}

/** Runs in requests.html: its items as data. */
export const READ_LIST = `Array.from(document.querySelectorAll('#requests li.req')).map((li) => ({ ...li.dataset }))`;

/** Anything that can evaluate an expression in requests.html (a playwright or puppeteer page). */
interface Evaluates {
  evaluate(expression: string): Promise<unknown>;
}

/**
 * Reads requests.html until `count` items match `wanted` and none of them is still waiting, or
 * the deadline passes (then returns what it has, for the test to show).
 */
export async function waitForListed(
  page: Evaluates,
  wanted: (r: ListedRequest) => boolean,
  count: number,
  deadline = 20_000,
): Promise<ListedRequest[]> {
  let found: ListedRequest[] = [];
  for (const started = Date.now(); Date.now() - started < deadline; ) {
    found = ((await page.evaluate(READ_LIST)) as ListedRequest[]).filter(wanted);
    if (found.length >= count && found.every((r) => r.verdict !== 'pending')) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}
