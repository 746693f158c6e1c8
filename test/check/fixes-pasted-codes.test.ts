// Every fix `corsica check` can print is run in its real tool or, where it is words, says what it
// must: one case per failure code (and per cause a status gives a missing allow-origin), pasted
// into real apps as fixes-pasted.test.ts does; a table of the fixes that are words; and a list of
// every failure code with the cases that test its fix, so that a new code without one fails here.

import { describe } from 'node:test';
import { scenarioTest, started } from '../helpers/check-fix-run.js';
import { CODE_SCENARIOS } from './fix-scenarios.js';

describe("check: each failure code's printed fix, pasted into a real app, makes the request pass", () => {
  const start = started();
  for (const s of CODE_SCENARIOS) scenarioTest(s, start);
});
