// corsica proxy in this checkout against the same proxy in another checkout (a commit before a
// change), for "no slower than before": one upstream, four proxy processes started A B B A (an
// A/A run showed the process started first serving 13% more than the one started second, whatever
// the code; ABBA cancels such a bias by slot), pinned to one core, autocannon runs in rotation,
// medians of req/s and of the proxy's CPU time per request.
//
//   git worktree add /tmp/before <commit> && (cd /tmp/before && ln -s $PWD/node_modules . && npx tsup)
//   npm run build && BENCH_OTHER=/tmp/before npx tsx bench/proxy-ab.ts
//   BENCH_ROUNDS=6 BENCH_SECONDS=3 BENCH_CONNECTIONS=50 ...

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startChild, stopChild } from './processes.js';

const other = process.env.BENCH_OTHER;
if (other === undefined) throw new Error('set BENCH_OTHER to the other checkout (built, with node_modules)');
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const here = fileURLToPath(new URL('./proxy-servers.ts', import.meta.url));
const there = join(other, 'bench', 'proxy-servers.ts');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Proxies on core 1; the upstream and autocannon (this process) on core 0. */
function pin(pid: number, core: number): void {
  try {
    execFileSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' });
  } catch {
    // no taskset: unpinned, and noisier
  }
}

type Side = 'this' | 'other';
const upstream = await startChild(here, ['upstream']);
pin(process.pid, 0);
pin(upstream.child.pid!, 0);
const slots: { side: Side; port: number; pid: number; stop: () => Promise<void> }[] = [];
for (const side of ['this', 'other', 'other', 'this'] as const) {
  const child = await startChild(side === 'this' ? here : there, ['corsica', String(upstream.port)]);
  pin(child.child.pid!, 1);
  slots.push({ side, port: child.port, pid: child.child.pid!, stop: () => stopChild(child.child) });
}
const rps: Record<Side, number[]> = { this: [], other: [] };
const bySlot: number[][] = slots.map(() => []);
const cpu: Record<Side, number[]> = { this: [], other: [] };
try {
  for (let round = 0; round < rounds; round++) {
    for (const slot of round % 2 === 0 ? slots : [...slots].reverse()) {
      const url = `http://127.0.0.1:${slot.port}/http://127.0.0.1:${upstream.port}/`;
      const options = { url, connections, headers: { origin: 'https://app.example.com' } };
      await autocannon({ ...options, duration: 1 });
      const before = cpuSeconds(slot.pid);
      const r = await autocannon({ ...options, duration: seconds });
      rps[slot.side].push(r.requests.average);
      if (r.errors + r.timeouts + r.non2xx > 0)
        console.log(`  ${slot.side}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
      bySlot[slots.indexOf(slot)]!.push(r.requests.average);
      cpu[slot.side].push(((cpuSeconds(slot.pid) - before) * 1e6) / r.requests.total);
    }
  }
} finally {
  for (const slot of slots) await slot.stop();
  await stopChild(upstream.child);
}
const [a, b] = [median(rps.this), median(rps.other)];
const [ca, cb] = [median(cpu.this), median(cpu.other)];
console.log(
  `proxy A/B: ${rounds} rounds of 4 slots (A B B A), ${seconds} s runs, ${connections} connections`,
);
console.log(`  this checkout: ${Math.round(a)} req/s, ${ca.toFixed(1)} µs CPU per request`);
console.log(`  ${other}: ${Math.round(b)} req/s, ${cb.toFixed(1)} µs CPU per request`);
console.log(`  this / other: ${(a / b).toFixed(3)} req/s, ${(ca / cb).toFixed(3)} CPU per request`);
console.log(`  by slot (A B B A): ${bySlot.map((xs) => Math.round(median(xs))).join(' ')}`);
