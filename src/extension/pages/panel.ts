// The DevTools panel "CORS" (also opened as a page: panel.html?tab=<tab id> from the popup, or
// panel.html?id=<request id> from requests.html): the inspected tab's cross-origin requests, and
// for the one selected its verdict, the browser's own words, the cause, the fix, what the other
// browsers would do, the warnings and the `corsica check` command that reproduces it.

import { type CorsRecord, ext, watchRecords } from '../api.js';
import { detail, recordItem, setHtml } from '../view.js';

const params = new URLSearchParams(location.search);
const tabId = ext.devtools?.inspectedWindow.tabId ?? (params.has('tab') ? Number(params.get('tab')) : null);
let selected = params.get('id');

/** Copies through a selected text area: the Clipboard API is not granted to DevTools panels. */
function copy(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

function show(records: readonly CorsRecord[]): void {
  const chosen =
    records.find((r) => r.id === selected) ??
    [...records].reverse().find((r) => r.judgement.verdict === 'blocked') ??
    records.at(-1);
  const main = document.getElementById('detail')!;
  setHtml(main, chosen === undefined ? '' : detail(chosen));
  for (const li of Array.from(document.querySelectorAll<HTMLElement>('#list li')))
    li.classList.toggle('selected', li.dataset.id === chosen?.id);
  document.getElementById('copy')?.addEventListener('click', () => {
    copy(chosen?.judgement.command ?? '');
    document.getElementById('copy')!.textContent = 'Copied';
  });
}

let shown: CorsRecord[] = [];
document.getElementById('list')!.addEventListener('click', (event) => {
  const li = (event.target as HTMLElement).closest<HTMLElement>('li.req');
  if (li === null) return;
  selected = li.dataset.id ?? null;
  show(shown);
});

watchRecords((kept) => {
  const all = tabId === null ? [...kept.records] : kept.forTab(tabId);
  shown = tabId === null && selected !== null ? all.filter((r) => r.id === selected) : all;
  setHtml(document.getElementById('list')!, shown.map((r) => recordItem(r, false)).join(''));
  document.getElementById('empty')!.hidden = shown.length > 0;
  document.body.dataset.count = String(shown.length);
  show(shown);
});
