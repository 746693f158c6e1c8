// An A/B comparison of two HTTP servers on one shared machine, the tool that decides "faster" and
// "no slower". Four processes are started A B B A (the process started first once served 13% more
// than the second whatever the code: ABBA cancels such a bias by slot), pinned to one core while
// the load generator and upstream stay on the other, and loaded in turn by autocannon, the order
// reversed every other round (A B B A, then A B B A backwards), each run after a warm-up. Every
// round gives one ratio (A's two runs against B's two), so the spread of the ratio is printed
// beside its median, with each side's req/s and CPU time per request (from /proc, what the
// server process itself spent).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { quantile } from './harness.js';

export interface Server {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface Contestant {
  readonly label: string;
  start(): Promise<Server>;
}

/** What autocannon sends: the URL on a server's port, and the request. */
export interface Load {
  url(port: number): string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface AbSettings {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name} must be a number ≥ ${min}, got ${raw}`);
  return value;
}

/** BENCH_ROUNDS, BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS over these defaults. */
export function abSettings(defaults: AbSettings): AbSettings {
  return {
    rounds: Math.round(envNumber('BENCH_ROUNDS', defaults.rounds, 2)),
    seconds: envNumber('BENCH_SECONDS', defaults.seconds, 1),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', defaults.warmupSeconds, 0),
    connections: Math.round(envNumber('BENCH_CONNECTIONS', defaults.connections, 1)),
  };
}

/** Pins a process to one core (taskset); without taskset it runs unpinned, and noisier. */
export function pin(pid: number, core: number): void {
  try {
    execFileSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' });
  } catch {
    // no taskset
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface Spread {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    min: s[0]!,
    max: s.at(-1)!,
  };
}

export interface Side {
  readonly label: string;
  /** Requests per second, one per run. */
  readonly rps: Spread;
  /** The server's CPU microseconds per request, one per run. */
  readonly cpu: Spread;
  /** The 99th percentile of latency in milliseconds, one per run. */
  readonly p99: Spread;
}

export interface AbResult {
  readonly a: Side;
  readonly b: Side;
  /** A's req/s over B's, one per round. */
  readonly rpsRatio: Spread;
  /** A's CPU per request over B's, one per round (below 1: A spends less). */
  readonly cpuRatio: Spread;
  /** Median req/s of each process, in the order started (A B B A). */
  readonly bySlot: readonly number[];
  /** Errors, timeouts and non-2xx answers, by side (a benchmark of failures is no benchmark). */
  readonly failures: { readonly a: number; readonly b: number };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Runs the comparison; servers are started on `core` (the caller keeps itself on another). */
export async function runAb(a: Contestant, b: Contestant, load: Load, settings: AbSettings, core = 1) {
  const order = [a, b, b, a];
  const slots: { side: 'a' | 'b'; server: Server }[] = [];
  try {
    for (const contestant of order) {
      const server = await contestant.start();
      pin(server.pid, core);
      slots.push({ side: contestant === a ? 'a' : 'b', server });
    }
    const runs = {
      a: { rps: [] as number[], cpu: [] as number[], p99: [] as number[] },
      b: { rps: [] as number[], cpu: [] as number[], p99: [] as number[] },
    };
    const bySlot: number[][] = slots.map(() => []);
    const rpsRatios: number[] = [];
    const cpuRatios: number[] = [];
    const failures = { a: 0, b: 0 };
    for (let round = 0; round < settings.rounds; round++) {
      const round_ = {
        a: { rps: [] as number[], cpu: [] as number[] },
        b: { rps: [] as number[], cpu: [] as number[] },
      };
      for (const slot of round % 2 === 0 ? slots : [...slots].reverse()) {
        const options = {
          url: load.url(slot.server.port),
          connections: settings.connections,
          method: load.method ?? 'GET',
          headers: load.headers ?? {},
          ...(load.body === undefined ? {} : { body: load.body }),
        };
        if (settings.warmupSeconds > 0) await autocannon({ ...options, duration: settings.warmupSeconds });
        const before = cpuSeconds(slot.server.pid);
        const r = await autocannon({ ...options, duration: settings.seconds });
        const cpu = ((cpuSeconds(slot.server.pid) - before) * 1e6) / Math.max(1, r.requests.total);
        failures[slot.side] += r.errors + r.timeouts + r.non2xx;
        round_[slot.side].rps.push(r.requests.average);
        round_[slot.side].cpu.push(cpu);
        runs[slot.side].rps.push(r.requests.average);
        runs[slot.side].cpu.push(cpu);
        runs[slot.side].p99.push(r.latency.p99);
        bySlot[slots.indexOf(slot)]!.push(r.requests.average);
      }
      rpsRatios.push(mean(round_.a.rps) / mean(round_.b.rps));
      cpuRatios.push(mean(round_.a.cpu) / mean(round_.b.cpu));
    }
    return {
      a: { label: a.label, rps: spread(runs.a.rps), cpu: spread(runs.a.cpu), p99: spread(runs.a.p99) },
      b: { label: b.label, rps: spread(runs.b.rps), cpu: spread(runs.b.cpu), p99: spread(runs.b.p99) },
      rpsRatio: spread(rpsRatios),
      cpuRatio: spread(cpuRatios),
      bySlot: bySlot.map((xs) => spread(xs).median),
      failures,
    } satisfies AbResult;
  } finally {
    for (const slot of slots) await slot.server.stop();
  }
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n1 = (x: number) => x.toFixed(1);
const n2 = (x: number) => x.toFixed(2);
const range = (s: Spread, f: (x: number) => string) =>
  `${f(s.median)} (IQR ${f(s.q1)}–${f(s.q3)}, range ${f(s.min)}–${f(s.max)})`;

/** The figures of one comparison, as a commit message or the README quotes them. */
export function formatAb(title: string, r: AbResult, settings: AbSettings): string {
  return [
    `${title}: ${settings.rounds} rounds of A B B A, ${settings.seconds} s runs after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections`,
    `  A ${r.a.label}: ${range(r.a.rps, n0)} req/s, ${range(r.a.cpu, n1)} µs CPU per request`,
    `  B ${r.b.label}: ${range(r.b.rps, n0)} req/s, ${range(r.b.cpu, n1)} µs CPU per request`,
    `  A/B req/s ${range(r.rpsRatio, n2)}; CPU per request ${range(r.cpuRatio, n2)} (per-round ratios)`,
    `  by slot (A B B A): ${r.bySlot.map(n0).join(' ')} req/s; failed answers: A ${r.failures.a}, B ${r.failures.b}`,
  ].join('\n');
}
