// requests.html: every cross-origin request kept this session, across tabs, oldest first; it
// follows storage.session as records arrive. Automation reads its list items' data- attributes.

import { readRecords } from '../api.js';
import { live, recordItem } from '../view.js';

live(async () => {
  const records = await readRecords();
  document.getElementById('requests')!.innerHTML = records.map((r) => recordItem(r)).join('');
  document.getElementById('empty')!.hidden = records.length > 0;
  document.body.dataset.count = String(records.length);
});
