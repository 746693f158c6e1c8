// Shared measuring machinery for the in-process benchmarks: mock and real responses, a timing loop
// per contestant, and interleaved rounds reported as medians.

import { spawnSync } from 'node:child_process';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** The `(req, res, next)` shape shared by corsica/node, `cors` and the hand-written floors. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** What a benchmark request is made of. */
export interface RequestSpec {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a middleware did to a response: compared across contestants once, before timing. */
export interface Outcome {
  readonly status: number;
  readonly ended: number;
  readonly nextCalls: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A response object and how to reset it between iterations. `res` is typed as ServerResponse for the
 * middlewares' sake; the mock only has what CORS middlewares use.
 */
export interface Target {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly reset: (res: ServerResponse) => void;
  /** Calls of `end()` since the target was made. */
  ended(): number;
  headers(): Record<string, string>;
}

export interface ResponseKind {
  readonly name: string;
  target(spec: RequestSpec): Target;
}

/**
 * Header storage by lower-cased name, as node's ServerResponse does; `end()` only counts. A reset
 * gives it a new Map, like a new response per request. (A null-prototype object, node's own storage,
 * made single header writes jump between 60 and 500 ns from one run to the next; a Map is steady.)
 */
class MockResponse {
  statusCode = 200;
  endCalls = 0;
  store = new Map<string, unknown>();
  setHeader(name: string, value: unknown): this {
    this.store.set(name.toLowerCase(), value);
    return this;
  }
  getHeader(name: string): unknown {
    return this.store.get(name.toLowerCase());
  }
  end(): this {
    this.endCalls++;
    return this;
  }
}

function resetMock(res: ServerResponse): void {
  const mock = res as unknown as MockResponse;
  mock.store = new Map();
  mock.statusCode = 200;
}

export const mockResponses: ResponseKind = {
  name: 'mock req/res',
  target(spec) {
    const req = { method: spec.method, url: '/', headers: { ...spec.headers } } as unknown as IncomingMessage;
    const mock = new MockResponse();
    return {
      req,
      res: mock as unknown as ServerResponse,
      reset: resetMock,
      ended: () => mock.endCalls,
      headers: () => Object.fromEntries([...mock.store].map(([k, v]) => [k, String(v)])),
    };
  },
};

// A real ServerResponse keeps its headers under this symbol; setting it to null is what a fresh
// response looks like, so a reset costs one store and the next setHeader allocates the header
// object as it would on a new response.
let kOutHeaders: symbol | undefined;

function realTarget(spec: RequestSpec): Target {
  const req = new IncomingMessage(new Socket());
  req.method = spec.method;
  req.url = '/';
  req.headers = { ...spec.headers };
  const res = new ServerResponse(req);
  kOutHeaders ??= Object.getOwnPropertySymbols(res).find((s) => s.description === 'kOutHeaders');
  if (kOutHeaders === undefined) throw new Error('ServerResponse has no kOutHeaders symbol on this Node.js');
  // end() would serialize the head and buffer it (there is no socket); a benchmark only counts it.
  let endCalls = 0;
  res.end = function end(this: ServerResponse) {
    endCalls++;
    return this;
  } as ServerResponse['end'];
  const symbol = kOutHeaders;
  return {
    req,
    res,
    reset: (r) => {
      (r as unknown as Record<symbol, unknown>)[symbol] = null;
      r.statusCode = 200;
    },
    ended: () => endCalls,
    headers: () => Object.fromEntries(Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)])),
  };
}

export const realResponses: ResponseKind = {
  name: 'http.ServerResponse',
  target: realTarget,
};

/** Runs a middleware once on a fresh target and reports what it did. */
export function outcome(mw: Middleware, kind: ResponseKind, spec: RequestSpec): Outcome {
  const t = kind.target(spec);
  let nextCalls = 0;
  mw(t.req, t.res, () => {
    nextCalls++;
  });
  const headers = t.headers();
  const sorted = Object.fromEntries(
    Object.keys(headers)
      .sort()
      .map((k) => [k, headers[k]!]),
  );
  return { status: t.res.statusCode, ended: t.ended(), nextCalls, headers: sorted };
}

type Loop = (
  mw: Middleware,
  req: IncomingMessage,
  res: ServerResponse,
  reset: (res: ServerResponse) => void,
  next: () => void,
  n: number,
) => number;

// Each contestant gets its own compiled copy of the loop, so that its call sites see one middleware
// only (closures made from one function literal share their type feedback in V8).
const LOOP_SOURCE = `
  let sink = 0;
  for (let i = 0; i < n; i++) {
    reset(res);
    mw(req, res, next);
    sink += res.statusCode;
  }
  return sink;
`;

function freshLoop(): Loop {
  return new Function('mw', 'req', 'res', 'reset', 'next', 'n', LOOP_SOURCE) as Loop;
}

/** Something timed: `run(n)` does n operations and returns a value that depends on them. */
export interface Series {
  readonly name: string;
  run(n: number): number;
}

/** A series that calls `mw` on the same target `n` times, resetting the response each time. */
export function middlewareSeries(name: string, mw: Middleware, target: Target): Series {
  const loop = freshLoop();
  let nextCalls = 0;
  const next = () => {
    nextCalls++;
  };
  return {
    name,
    run: (n) => loop(mw, target.req, target.res, target.reset, next, n) + nextCalls,
  };
}

export interface MeasureOptions {
  /** Interleaved rounds; each series runs once per round. */
  readonly rounds: number;
  /** Target duration of one series' batch in one round. */
  readonly roundMs: number;
  /** Warm-up time per series before calibration. */
  readonly warmupMs: number;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

export function measureOptions(defaults: MeasureOptions): MeasureOptions {
  return {
    rounds: Math.round(envNumber('BENCH_ROUNDS', defaults.rounds)),
    roundMs: envNumber('BENCH_ROUND_MS', defaults.roundMs),
    warmupMs: envNumber('BENCH_WARMUP_MS', defaults.warmupMs),
  };
}

/** Consumed results, printed at the end so that no work can be proven useless. */
let blackhole = 0;

export function checksum(): number {
  return blackhole;
}

function timeBatch(series: Series, n: number): number {
  const start = process.hrtime.bigint();
  blackhole = (blackhole + series.run(n)) % 1_000_003;
  return Number(process.hrtime.bigint() - start);
}

export interface Measured {
  readonly name: string;
  /** Median over the rounds, nanoseconds per operation. */
  readonly median: number;
  /** Half the interquartile range over the median: a rough noise figure. */
  readonly spread: number;
}

/** The q-quantile of sorted numbers, interpolated between the two nearest. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Warms every series up, calibrates a batch size per series, then runs `rounds` interleaved rounds
 * (the order rotates each round, to cancel drift and order effects) and returns the medians.
 */
export function measure(series: readonly Series[], options: MeasureOptions): Measured[] {
  const batch = series.map((s) => {
    let n = 1;
    const warmupEnd = performance.now() + options.warmupMs;
    while (performance.now() < warmupEnd) {
      const ns = timeBatch(s, n);
      if (ns < 1e6) n *= 2;
    }
    // Calibrate: the batch that takes about roundMs.
    for (;;) {
      const ns = timeBatch(s, n);
      if (ns >= options.roundMs * 1e6 * 0.5 || n >= 2 ** 30) {
        return Math.max(1, Math.round((n * options.roundMs * 1e6) / ns));
      }
      n *= 2;
    }
  });
  const samples: number[][] = series.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < series.length; k++) {
      const i = (k + round) % series.length;
      samples[i]!.push(timeBatch(series[i]!, batch[i]!) / batch[i]!);
    }
  }
  return series.map((s, i) => {
    const sorted = [...samples[i]!].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    return { name: s.name, median, spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2 / median };
  });
}

/** Pads a table's cells to their column widths. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, row[i]!.length);
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}

export function mark(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

/**
 * The response kind this process measures. Without BENCH_RESPONSES, runs the calling script once per
 * kind, each in its own process, and returns null: in one process, the middlewares' shared functions
 * would see both response classes and turn polymorphic, which costs corsica (whose code is shared)
 * more than the floors (whose closures differ per run) and says nothing about a real server.
 */
export function responseKindOrFork(script: string): ResponseKind | null {
  const wanted = process.env.BENCH_RESPONSES;
  if (wanted === 'mock') return mockResponses;
  if (wanted === 'real') return realResponses;
  if (wanted !== undefined && wanted !== '')
    throw new Error(`BENCH_RESPONSES must be mock or real, got ${wanted}`);
  for (const kind of ['mock', 'real']) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_RESPONSES: kind },
    });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
  return null;
}
