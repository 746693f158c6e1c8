// Where the proxy's time goes under load: each build's proxy is warmed up, then profiled (the
// inspector's CPU profiler, as `node --cpu-prof`) while autocannon loads it, and the profile's self
// time is summed by function and by where the code lives (corsica, undici, node's internals, the
// garbage collector; a bundled build's chunks hold both corsica and undici). A profile counts CPU samples,
// so it stays readable on a busy machine where req/s do not; compare the shares, not the totals.
//
//   BENCH_BASELINE=8d043b6 npx tsx bench/proxy-profile.ts    this checkout and 8d043b6 (as proxy-ab.ts)
//   BENCH_SECONDS=10 BENCH_TOP=40 BENCH_BODY_BYTES=1024 ...
//   BENCH_HEAP=all ...        bytes allocated per request instead, by the function that allocated them
//   BENCH_HEAP=survivors ...  only the bytes that outlived a young-generation collection (promoted:
//                             what makes the collector's work grow)
// The .cpuprofile and .heapprofile files stay in a temporary directory (printed) for DevTools.

import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { pin } from './ab.js';
import { type Build, buildsFromEnv } from './builds.js';
import { table } from './harness.js';
import { startChild, stopChild } from './processes.js';

const servers = fileURLToPath(new URL('./proxy-servers.mjs', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const top = Number(process.env.BENCH_TOP ?? 30);
const bodyBytes = Number(process.env.BENCH_BODY_BYTES ?? 0);
const options = process.env.BENCH_PROXY_OPTIONS ?? '{}';
const heapMode = process.env.BENCH_HEAP;
if (heapMode !== undefined && heapMode !== 'all' && heapMode !== 'survivors')
  throw new Error(`BENCH_HEAP must be all or survivors, got ${heapMode}`);
const heap = heapMode !== undefined;
const unit = heap ? 'bytes' : 'µs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface CpuProfile {
  readonly nodes: { readonly id: number; readonly callFrame: CallFrame }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}
interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: HeapNode[];
}

/** Where a function lives, from its script's URL (bundled builds name their chunk: see below). */
function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)' || name === '(idle)') return name;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('node_modules/undici') || url.includes('/node-chunk-'))
    return 'undici (and, bundled, corsica)';
  if (url.includes('node_modules/')) return url.replace(/.*node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1');
  if (url.includes('/dist/') || url.includes('/src/')) return 'corsica';
  return url === '' ? '(native)' : url;
}

interface Summary {
  readonly byFunction: Map<string, number>;
  readonly byArea: Map<string, number>;
  total: number;
}

function count(summary: Summary, { functionName, url, lineNumber }: CallFrame, amount: number): void {
  if (functionName === '(idle)' || amount === 0) return;
  summary.total += amount;
  const where = url.replace(/^.*\/(node_modules|src|dist)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  summary.byFunction.set(key, (summary.byFunction.get(key) ?? 0) + amount);
  const a = area(url, functionName);
  summary.byArea.set(a, (summary.byArea.get(a) ?? 0) + amount);
}

/** Self time (µs) by function, or with `heap` allocated bytes by the function that allocated them. */
function summarize(data: unknown): Summary {
  const summary: Summary = { byFunction: new Map(), byArea: new Map(), total: 0 };
  if (heap) {
    const walk = (node: HeapNode) => {
      count(summary, node.callFrame, node.selfSize);
      for (const child of node.children) walk(child);
    };
    walk((data as { head: HeapNode }).head);
    return summary;
  }
  const profile = data as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  for (let i = 0; i < profile.samples.length; i++)
    count(summary, frames.get(profile.samples[i]!)!, profile.timeDeltas[i] ?? 0);
  return summary;
}

const pct = (x: number, total: number) => `${((100 * x) / total).toFixed(1)}%`;

async function profile(build: Build, upstreamPort: number): Promise<void> {
  const { child, port } = await startChild(servers, [
    'corsica',
    String(upstreamPort),
    build.proxyModule,
    options,
  ]);
  pin(child.pid!, 1);
  const load = {
    url: `http://127.0.0.1:${port}/http://127.0.0.1:${upstreamPort}/data`,
    connections: 50,
    headers: { origin: 'https://app.example.com', 'content-type': 'application/octet-stream' },
    ...(bodyBytes > 0 ? { method: 'POST' as const, body: 'x'.repeat(bodyBytes) } : {}),
  };
  // Warmed up first: start-up (module loading, compiling) is not what a request costs.
  await autocannon({ ...load, duration: 2 });
  const ask = (profile: string) => {
    const answer = once(child, 'message');
    child.send({ profile, ...(heap ? { heap: heapMode } : {}) });
    return answer.then(([m]) => m as { profile?: unknown });
  };
  await ask('start');
  const r = await autocannon({ ...load, duration: seconds });
  const { profile: data } = await ask('stop');
  await stopChild(child);
  const file = join(dir, `${build.label.replace(/\W+/g, '-')}.${heap ? 'heapprofile' : 'cpuprofile'}`);
  writeFileSync(file, JSON.stringify(data));
  const { byFunction, byArea, total } = summarize(data);
  const requests = r.requests.total;
  const what = heap ? 'allocated' : 'sampled';
  console.log(
    `\n${build.label}: ${requests} requests, ${(total / requests).toFixed(0)} ${unit} ${what} per request (${file})`,
  );
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  console.log(
    table([
      ['area', 'self', `${unit}/req`],
      ...sorted(byArea).map(([k, v]) => [k, pct(v, total), (v / requests).toFixed(1)]),
    ]),
  );
  console.log(
    table([
      ['function', 'self', `${unit}/req`],
      ...sorted(byFunction)
        .slice(0, top)
        .map(([k, v]) => [k.slice(0, 110), pct(v, total), (v / requests).toFixed(2)]),
    ]),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'corsica-profile-'));
const builds = buildsFromEnv();
try {
  const upstream = await startChild(servers, ['upstream']);
  pin(process.pid, 0);
  pin(upstream.child.pid!, 0);
  try {
    for (const build of builds) await profile(build, upstream.port);
  } finally {
    await stopChild(upstream.child);
  }
} finally {
  for (const build of builds) build.dispose();
}
