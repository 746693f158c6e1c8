// The toolbar popup: the current tab's blocked requests in a line each, a way to the full
// explanation, and the per-site opt-in. The extension watches loopback hosts from the start (local
// development); any other site only once the user allows it here (optional host permissions, so
// the browser asks the user, and the grant can be withdrawn in the browser's extension settings).

import { ext, watchRecords } from '../api.js';
import { sitePatterns } from '../site.js';
import { esc, setHtml } from '../view.js';

async function main(): Promise<void> {
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  const tabId = tab?.id ?? -1;
  const patterns = tab?.url === undefined ? null : sitePatterns(tab.url);

  watchRecords((kept) => {
    const records = kept.forTab(tabId);
    const blocked = records.filter((r) => r.judgement.verdict === 'blocked');
    document.getElementById('summary')!.textContent =
      `${records.length} cross-origin request${records.length === 1 ? '' : 's'}, ${blocked.length} blocked.`;
    setHtml(
      document.getElementById('blocked')!,
      blocked
        .map(
          (r) =>
            `<li class="req blocked" data-id="${esc(r.id)}"><strong>${esc(r.method)}</strong> ${esc(r.url)} <code>${esc(r.judgement.code)}</code></li>`,
        )
        .join(''),
    );
  });

  document.getElementById('open')!.addEventListener('click', () => {
    void ext.tabs.create({ url: ext.runtime.getURL(`panel.html?tab=${tabId}`) });
  });

  async function showAccess(): Promise<void> {
    const site = document.getElementById('watchSite')!;
    if (patterns !== null && !(await ext.permissions.contains({ origins: patterns }))) {
      site.hidden = false;
      site.textContent = `Watch ${patterns[0]!.slice(4, -2)}`;
    } else site.hidden = true;
  }
  void showAccess();

  // permissions.request must run in the click itself (a user gesture), before any await.
  document.getElementById('watchSite')!.addEventListener('click', () => {
    if (patterns !== null) void ext.permissions.request({ origins: patterns }).then(showAccess);
  });
  document.getElementById('watchAll')!.addEventListener('click', () => {
    void ext.permissions.request({ origins: ['*://*/*'] }).then(showAccess);
  });
}

void main();
