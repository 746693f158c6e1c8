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

/** What the pages read: every record, and when each tab last loaded a page. */
export interface Kept {
  /** Every record, oldest first. */
  readonly records: readonly CorsRecord[];
  /** The records of one tab since it last loaded a page. */
  forTab(tabId: number): CorsRecord[];
}

/**
 * Calls `show` with what is kept now and again whenever it changes. The store is read once; after
 * that only the changes storage.onChanged carries are applied (reading every record again on each
 * change would cost a list's length per request), and bursts are shown once.
 */
export function watchRecords(show: (kept: Kept) => void): void {
  const entries = new Map<string, unknown>();
  let scheduled = false;
  const kept = (): Kept => {
    const records = [...entries]
      .filter(([key]) => key.startsWith(RECORD_PREFIX))
      .map(([, value]) => value as CorsRecord)
      .sort((a, b) => a.time - b.time || Number(a.id) - Number(b.id));
    return {
      records,
      forTab: (tabId) => {
        const since = Number(entries.get(`${TAB_PREFIX}${tabId}`) ?? 0);
        return records.filter((r) => r.tabId === tabId && r.time >= since);
      },
    };
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      show(kept());
    }, 50);
  };
  let ready = false;
  ext.storage.onChanged.addListener((changes, area) => {
    if (area !== 'session') return;
    for (const [key, change] of Object.entries(changes)) {
      const value = (change as { newValue?: unknown }).newValue;
      if (value === undefined) entries.delete(key);
      else entries.set(key, value);
    }
    if (ready) schedule();
  });
  void ext.storage.session.get(null).then((all) => {
    // Changes that arrived meanwhile are newer than what the first read returned.
    for (const [key, value] of Object.entries(all)) if (!entries.has(key)) entries.set(key, value);
    ready = true;
    schedule();
  });
}
