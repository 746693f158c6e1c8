// corsica proxy against itself at another commit: the tool that decides whether a change made the
// proxy faster or slower (bench/ab.ts: A B B A rounds, medians and spreads of req/s and of the
// proxy's CPU time per request). Both builds run under this checkout's harness and upstream, with
// the same options, so only the proxy's code differs.
//
//   BENCH_BASELINE=8d043b6 npx tsx bench/proxy-ab.ts     this checkout (built first) against 8d043b6,
//                                                        built in a temporary git worktree
//   BENCH_A=HEAD BENCH_BASELINE=HEAD~1 npx tsx bench/proxy-ab.ts      one commit against its parent
//   BENCH_OTHER=../other npx tsx bench/proxy-ab.ts       against another checkout, already built
//
// Knobs: BENCH_ROUNDS (8), BENCH_SECONDS (3), BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS (50);
// BENCH_BODY_BYTES (POST that many bytes instead of a GET); BENCH_PROXY_OPTIONS (JSON spread over
// both proxies' options, e.g. '{"rateLimit":"1000000/1m"}'); BENCH_BUILD=0 (use this checkout's
// dist as it is); BENCH_KEEP=1 (keep a commit's build for the next run); BENCH_GOAL (a least
// median ratio of req/s to report met or MISSED).

import { fileURLToPath } from 'node:url';
import { abSettings, type Contestant, formatAb, type Load, pin, runAb } from './ab.js';
import { type Build, buildsFromEnv } from './builds.js';
import { mark } from './harness.js';
import { startChild, stopChild } from './processes.js';

const servers = fileURLToPath(new URL('./proxy-servers.mjs', import.meta.url));
const settings = abSettings({ rounds: 8, seconds: 3, warmupSeconds: 1, connections: 50 });
const bodyBytes = Number(process.env.BENCH_BODY_BYTES ?? 0);
const options = process.env.BENCH_PROXY_OPTIONS ?? '{}';
JSON.parse(options);

const [a, b] = buildsFromEnv();
try {
  const upstream = await startChild(servers, ['upstream']);
  pin(process.pid, 0);
  pin(upstream.child.pid!, 0);
  const contestant = (build: Build): Contestant => ({
    label: build.label,
    async start() {
      const { child, port } = await startChild(servers, [
        'corsica',
        String(upstream.port),
        build.proxyModule,
        options,
      ]);
      return { port, pid: child.pid!, stop: () => stopChild(child) };
    },
  });
  const load: Load = {
    url: (port) => `http://127.0.0.1:${port}/http://127.0.0.1:${upstream.port}/data`,
    headers: { origin: 'https://app.example.com', 'content-type': 'application/octet-stream' },
    ...(bodyBytes > 0 ? { method: 'POST', body: 'x'.repeat(bodyBytes) } : {}),
  };
  try {
    const result = await runAb(contestant(a), contestant(b), load, settings);
    const what = bodyBytes > 0 ? `POST ${bodyBytes} bytes` : 'GET';
    console.log(formatAb(`corsica proxy A/B (${what}, options ${options})`, result, settings));
    const goal = process.env.BENCH_GOAL;
    if (goal !== undefined)
      console.log(`  goal A/B ≥ ${goal}: ${mark(result.rpsRatio.median >= Number(goal))}`);
  } finally {
    await stopChild(upstream.child);
  }
} finally {
  a.dispose();
  b.dispose();
}
