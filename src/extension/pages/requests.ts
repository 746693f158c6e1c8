// requests.html: every cross-origin request kept this session, across tabs, oldest first; it
// follows storage.session as records arrive. Automation reads its list items' data- attributes.

import { watchRecords } from '../api.js';
import { recordItem, setHtml } from '../view.js';

watchRecords(({ records }) => {
  setHtml(document.getElementById('requests')!, records.map((r) => recordItem(r)).join(''));
  document.getElementById('empty')!.hidden = records.length > 0;
  document.body.dataset.count = String(records.length);
});
