// In-process cost of one middleware call: corsica/node against `cors` and against a hand-written
// floor, same configuration, same request and response objects, interleaved rounds, medians.
//
//   npm run build && npx tsx bench/middleware.ts            (BENCH_ROUNDS, BENCH_ROUND_MS, BENCH_WARMUP_MS to tune)
//
// Goals (from the issue): corsica / floor <= 1.15 and cors / corsica >= 2 on a simple allowed request,
// an allowed preflight and a denied request, for one configuration (the list scenario), on the mock
// response. The other rows (defaults, no Origin, a real ServerResponse) are measured and printed
// without a goal. Each response kind runs in its own process (see responseKindOrFork).

import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { cors as corsica } from 'corsica/node';
import {
  checksum,
  type Measured,
  type Middleware,
  mark,
  measure,
  measureOptions,
  middlewareSeries,
  mockResponses,
  outcome,
  type ResponseKind,
  responseKindOrFork,
  table,
} from './harness.js';
import { corsPackage, REQUESTS, SCENARIOS } from './scenarios.js';

const FLOOR_GOAL = 1.15;
const CORS_GOAL = 2;

const options = measureOptions({ rounds: 15, roundMs: 25, warmupMs: 300 });
const kind = responseKindOrFork(fileURLToPath(import.meta.url));
if (kind === null) process.exit();
const kinds: ResponseKind[] = [kind];

console.log(
  `middleware: node ${process.version}, ${options.rounds} interleaved rounds of ~${options.roundMs} ms per contestant, medians`,
);
console.log('ratios: corsica/floor (goal <= 1.15), cors/corsica (goal >= 2)\n');

const summary: string[][] = [['scenario', 'response', 'case', 'corsica/floor', 'cors/corsica', 'goals']];
let allMet = true;

for (const kind of kinds) {
  for (const scenario of SCENARIOS) {
    const contestants: [string, Middleware][] = [
      ['floor', scenario.floor()],
      ['corsica', corsica(scenario.options) as Middleware],
      ['cors', corsPackage(scenario.options)],
    ];
    const rows: string[][] = [
      ['case', 'floor ns', 'corsica ns', 'cors ns', 'corsica/floor', 'cors/corsica', '±noise', 'goals'],
    ];
    for (const { name, goal } of scenario.requests) {
      const spec = REQUESTS[name];
      // Apples to apples: the floor must answer exactly as corsica does.
      const expected = outcome(contestants[1]![1], kind, spec);
      const floorOutcome = outcome(contestants[0]![1], kind, spec);
      if (!isDeepStrictEqual(floorOutcome, expected)) {
        throw new Error(
          `floor and corsica disagree (${scenario.name}, ${name}):\n${JSON.stringify({ floor: floorOutcome, corsica: expected }, null, 2)}`,
        );
      }
      const series = contestants.map(([label, mw]) => middlewareSeries(label, mw, kind.target(spec)));
      const [floor, ours, theirs] = measure(series, options) as [Measured, Measured, Measured];
      const vsFloor = ours.median / floor.median;
      const vsCors = theirs.median / ours.median;
      const noise = Math.max(floor.spread, ours.spread, theirs.spread);
      const met = vsFloor <= FLOOR_GOAL && vsCors >= CORS_GOAL;
      const judged = goal && kind === mockResponses;
      if (judged) allMet &&= met;
      const goals = judged
        ? `floor ${mark(vsFloor <= FLOOR_GOAL)}, cors ${mark(vsCors >= CORS_GOAL)}`
        : '(no goal)';
      const cells = [
        name,
        floor.median.toFixed(0),
        ours.median.toFixed(0),
        theirs.median.toFixed(0),
        `${vsFloor.toFixed(2)}x`,
        `${vsCors.toFixed(2)}x`,
        `${(noise * 100).toFixed(1)}%`,
        goals,
      ];
      rows.push(cells);
      summary.push([
        scenario.name.split(' (')[0]!.split(' +')[0]!,
        kind.name,
        name,
        cells[4]!,
        cells[5]!,
        goals,
      ]);
    }
    console.log(`${scenario.name} — ${kind.name}`);
    console.log(`${table(rows)}\n`);
  }
}

console.log('summary');
console.log(table(summary));
console.log(`\n${allMet ? 'all goals met' : 'some goals MISSED'} (checksum ${checksum()})`);
