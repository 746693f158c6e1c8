// The extension's background (a service worker in Chromium, an event page in Firefox): it listens
// to webRequest without blocking anything, gathers each fetch's requests and answers (flights.ts),
// judges each cross-origin one with corsica's model of this browser (judge.ts), keeps the records
// in storage.session (gone with the browser session) and counts the blocked ones on the toolbar
// badge of their tab. It sends no request of its own.

import { type CorsRecord, currentEngine, ext, RECORD_PREFIX, TAB_PREFIX } from './api.js';
import { type Flight, isCrossOrigin, type RequestDetails, Tracker } from './flights.js';
import { judge } from './judge.js';

const engine = currentEngine();
const tracker = new Tracker();
const FILTER = { urls: ['<all_urls>'], types: ['xmlhttprequest'] };
/** Chromium shows preflights and the headers it manages (Cookie, Origin...) only with extraHeaders. */
const extra = (spec: string[]) => (engine === 'chromium' ? [...spec, 'extraHeaders'] : spec);
/** The most records kept: the oldest go first. */
const MAX_RECORDS = 2000;

/** Blocked request ids per tab since the tab last loaded a page, for the badge. */
const blocked = new Map<number, Set<string>>();
const kept: string[] = [];
let queue: Promise<void> = Promise.resolve();

function badge(tabId: number): void {
  if (tabId < 0) return;
  const count = blocked.get(tabId)?.size ?? 0;
  void ext.action.setBadgeText({ tabId, text: count === 0 ? '' : String(count) }).catch(() => {});
}

async function record(flight: Flight): Promise<void> {
  if (!isCrossOrigin(flight)) {
    if (flight.end !== null) tracker.forget(flight);
    return;
  }
  const judgement = await judge(flight, engine);
  const rec: CorsRecord = {
    id: flight.id,
    tabId: flight.tabId,
    time: flight.started,
    url: flight.hops[0]!.url,
    method: flight.method,
    initiator: flight.initiator,
    engine,
    incognito: flight.incognito,
    observed: flight.end,
    judgement,
  };
  const key = `${RECORD_PREFIX}${flight.id}`;
  if (!kept.includes(key)) {
    kept.push(key);
    if (kept.length > MAX_RECORDS)
      await ext.storage.session.remove(kept.splice(0, kept.length - MAX_RECORDS));
  }
  await ext.storage.session.set({ [key]: rec });
  const ids = blocked.get(flight.tabId) ?? new Set<string>();
  if (judgement.verdict === 'blocked') ids.add(flight.id);
  else ids.delete(flight.id);
  blocked.set(flight.tabId, ids);
  badge(flight.tabId);
  // A blocked verdict is final; others wait for the browser's own end (Chromium may still report a refusal).
  if (flight.end !== null || judgement.verdict === 'blocked') tracker.forget(flight);
}

/** One at a time, in event order: a flight's later picture is always judged after its earlier one. */
function judged(flight: Flight | null): void {
  if (flight === null) return;
  queue = queue.then(() => record(flight)).catch((err) => console.error('corsica:', err));
}

const wr = ext.webRequest;
wr.onBeforeRequest.addListener((d) => judged(tracker.beforeRequest(d)), FILTER);
wr.onSendHeaders.addListener((d) => judged(tracker.sendHeaders(d)), FILTER, extra(['requestHeaders']));
wr.onHeadersReceived.addListener(
  (d) => judged(tracker.headersReceived(d)),
  FILTER,
  extra(['responseHeaders']),
);
wr.onBeforeRedirect.addListener((d) => judged(tracker.beforeRedirect(d)), FILTER, extra(['responseHeaders']));
wr.onCompleted.addListener((d) => judged(tracker.completed(d)), FILTER, extra(['responseHeaders']));
wr.onErrorOccurred.addListener((d) => judged(tracker.errorOccurred(d)), FILTER, extra([]));

// A page load starts the tab's count again.
wr.onBeforeRequest.addListener(
  (d: RequestDetails) => {
    if (d.tabId < 0) return;
    blocked.delete(d.tabId);
    badge(d.tabId);
    void ext.storage.session.set({ [`${TAB_PREFIX}${d.tabId}`]: d.timeStamp });
  },
  { urls: ['<all_urls>'], types: ['main_frame'] },
);
ext.tabs.onRemoved.addListener((tabId) => blocked.delete(tabId));
// Chromium stops an idle service worker and starts it again on the next event: what it kept
// before is still in storage.session, and counts towards the cap.
void ext.storage.session.get(null).then((all) => {
  const before = Object.entries(all)
    .filter(([key]) => key.startsWith(RECORD_PREFIX) && !kept.includes(key))
    .sort(([, a], [, b]) => (a as CorsRecord).time - (b as CorsRecord).time)
    .map(([key]) => key);
  kept.unshift(...before);
});
void ext.action.setBadgeBackgroundColor({ color: '#b3261e' }).catch(() => {});
