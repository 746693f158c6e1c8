// The part of the WebExtension API the extension uses, typed by hand (the same calls in Chromium's
// `chrome` and Firefox's `browser`, both promise-based under Manifest V3), and the records it keeps.

import type { Engine } from '../browser/index.js';
import type { RequestDetails } from './flights.js';
import type { Judgement } from './judge.js';

type Listener<T> = { addListener(cb: (d: T) => void, filter?: object, spec?: string[]): void };

interface StorageArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface Ext {
  readonly runtime: { getURL(path: string): string; readonly id: string };
  readonly webRequest: {
    readonly onBeforeRequest: Listener<RequestDetails>;
    readonly onSendHeaders: Listener<RequestDetails>;
    readonly onHeadersReceived: Listener<RequestDetails>;
    readonly onBeforeRedirect: Listener<RequestDetails>;
    readonly onCompleted: Listener<RequestDetails>;
    readonly onErrorOccurred: Listener<RequestDetails>;
  };
  readonly storage: {
    readonly session: StorageArea;
    readonly onChanged: { addListener(cb: (changes: Record<string, unknown>, area: string) => void): void };
  };
  readonly action: {
    setBadgeText(d: { tabId?: number; text: string }): Promise<void>;
    setBadgeBackgroundColor(d: { color: string }): Promise<void>;
  };
  readonly tabs: {
    query(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number; url?: string }[]>;
    create(p: { url: string }): Promise<unknown>;
    readonly onRemoved: { addListener(cb: (tabId: number) => void): void };
  };
  readonly permissions: {
    request(p: { origins: string[] }): Promise<boolean>;
    contains(p: { origins: string[] }): Promise<boolean>;
  };
  readonly devtools?: {
    readonly inspectedWindow: { readonly tabId: number };
    readonly panels: { create(title: string, icon: string, page: string): unknown };
  };
}

export const ext: Ext =
  (globalThis as unknown as { browser?: Ext; chrome: Ext }).browser ??
  (globalThis as unknown as { chrome: Ext }).chrome;

/** The engine the extension runs in: Firefox's pages live at moz-extension: URLs. */
export function currentEngine(): Engine {
  return ext.runtime.getURL('').startsWith('moz-extension:') ? 'firefox' : 'chromium';
}

/** One cross-origin request as the extension keeps it (storage.session, key `r:<id>`). */
export interface CorsRecord {
  readonly id: string;
  readonly tabId: number;
  /** When the page made it (milliseconds since the epoch). */
  readonly time: number;
  readonly url: string;
  readonly method: string;
  /** The page's origin. */
  readonly initiator: string;
  readonly engine: Engine;
  readonly incognito: boolean;
  /** How the browser itself ended it (`completed`, a net:: error), or null while open. */
  readonly observed: string | null;
  readonly judgement: Judgement;
}

export const RECORD_PREFIX = 'r:';
/** When a tab last loaded a page (key `t:<tabId>`): its badge and panel count from there. */
export const TAB_PREFIX = 't:';

/** Every record kept, oldest first. */
export async function readRecords(): Promise<CorsRecord[]> {
  const all = await ext.storage.session.get(null);
  return Object.entries(all)
    .filter(([key]) => key.startsWith(RECORD_PREFIX))
    .map(([, value]) => value as CorsRecord)
    .sort((a, b) => a.time - b.time || Number(a.id) - Number(b.id));
}

/** The records of one tab since it last loaded a page. */
export async function tabRecords(tabId: number): Promise<CorsRecord[]> {
  const since = Number(
    (await ext.storage.session.get(`${TAB_PREFIX}${tabId}`))[`${TAB_PREFIX}${tabId}`] ?? 0,
  );
  return (await readRecords()).filter((r) => r.tabId === tabId && r.time >= since);
}
