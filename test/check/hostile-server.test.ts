// `corsica check` and `corsica audit` run on a developer's machine against servers nobody vouches
// for. Each test here is an attack a hostile server made on them, written before its fix.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probe } from '../../src/check/index.js';
import { runCli } from '../helpers/cli.js';
import { rawServer } from '../helpers/http.js';

const PAGE = 'https://app.example.com';

// hono's advisory for `/\s*,\s*/` came with a 200,000-space regression test; so does ours. The
// transport accepts 256 KiB of headers, so this much padding reaches the model. A quadratic trim or
// split takes minutes here; the timeout only keeps a regression from holding the run.
const PADDING = ' '.repeat(200_000);

describe('check: headers padded with 200,000 spaces are read in linear time', { timeout: 60_000 }, () => {
  const cases: { header: string; method: string; headers?: Record<string, string> }[] = [
    { header: `Vary: Accept${PADDING}x, Origin`, method: 'GET' },
    { header: `Access-Control-Expose-Headers: X-A${PADDING}x, X-B`, method: 'GET' },
    { header: `Access-Control-Allow-Headers: X-A${PADDING}x, X-B`, method: 'GET', headers: { 'X-B': '1' } },
    { header: `Access-Control-Allow-Methods: PUT${PADDING}x, PATCH`, method: 'PATCH' },
    { header: `Access-Control-Allow-Origin: ${PAGE}${PADDING}x`, method: 'GET' },
  ];
  for (const c of cases) {
    const name = c.header.slice(0, c.header.indexOf(':'));
    it(`${name} padded inside the value: every engine answers`, async () => {
      const s = await rawServer(
        c.header.startsWith('Access-Control-Allow-Origin')
          ? [c.header]
          : [`Access-Control-Allow-Origin: ${PAGE}`, c.header],
      );
      try {
        for (const browser of ['chromium', 'firefox', 'webkit'] as const) {
          const { report } = await probe(`${s.url}/x`, {
            origin: PAGE,
            method: c.method,
            header: Object.entries(c.headers ?? {}).map(([n, v]) => `${n}: ${v}`),
            browser,
          });
          assert.ok(['allowed', 'blocked'].includes(report.verdict), `${browser}: ${report.verdict}`);
        }
      } finally {
        await s.close();
      }
    });
  }
});

// llhttp takes bytes 0x80-0xFF in header values and Node decodes them as Latin-1, so a server can
// send C1 controls: U+009B is CSI and U+009D is OSC in xterm.js (VS Code), VTE, screen and mosh.
// Printed raw, this value erases the screen, writes a clean verdict and renames the window.
const C1_PAYLOAD = '\x9b2J\x9b1;1HOK - nothing exploitable or broken\x9d0;all clear\x9c';
const C1 = /[\u007f-\u009f]/;

/** An API that echoes any origin with credentials (exploitable) and carries the payload. */
function hostileApi(payload: string): (head: string) => string[] {
  return (head) => {
    const origin = /\r\norigin: ([^\r]*)/i.exec(head)?.[1] ?? 'https://x.example';
    return [
      `Access-Control-Allow-Origin: ${origin}`,
      'Access-Control-Allow-Credentials: true',
      `Vary: ${payload}`,
      `Access-Control-Expose-Headers: ${payload}`,
    ];
  };
}

describe('check and audit: a server cannot write control sequences to the terminal', () => {
  for (const command of ['check', 'audit'] as const) {
    const args = (url: string) =>
      command === 'check' ? ['check', `${url}/x`, '--origin', PAGE, '--credentials'] : ['audit', `${url}/x`];

    it(`${command}: C1 controls from the server are printed as visible escapes, and the verdict stands`, async () => {
      const s = await rawServer(hostileApi(C1_PAYLOAD));
      try {
        const run = await runCli(args(s.url));
        assert.doesNotMatch(run.stdout, C1, 'no raw C1 control reaches the terminal');
        assert.match(run.stdout, /\\x9b2J\\x9b1;1H/);
        assert.match(run.stdout, /\\x9d0;all clear\\x9c/);
        if (command === 'audit') {
          assert.equal(run.code, 1);
          assert.match(run.stdout, /✖ \d+ exploitable/);
        } else {
          assert.equal(run.code, 0);
          assert.match(run.stdout, /security hole \(REFLECTS_ANY_ORIGIN_WITH_CREDENTIALS\)/);
        }
      } finally {
        await s.close();
      }
    });

    it(`${command} --json: C1 controls are \\u escapes, and the JSON still holds the exact value`, async () => {
      const s = await rawServer(hostileApi(C1_PAYLOAD));
      try {
        const run = await runCli([...args(s.url), '--json']);
        assert.doesNotMatch(run.stdout, C1);
        assert.match(run.stdout, /\\u009b2J/);
        assert.ok(
          JSON.stringify(JSON.parse(run.stdout)).includes(C1_PAYLOAD),
          'the parsed JSON carries the header value byte for byte',
        );
      } finally {
        await s.close();
      }
    });
  }
});

/** Runs the built command with a hook that reports its peak resident memory (MiB) on exit. */
async function peakMiB(
  args: readonly string[],
): Promise<{ run: Awaited<ReturnType<typeof runCli>>; peak: number }> {
  const hook = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss-kib='+process.resourceUsage().maxRSS+'\\n'))`;
  const run = await runCli(args, { nodeArgs: ['--import', hook] });
  const kib = Number(/peak-rss-kib=(\d+)/.exec(run.stderr)?.[1]);
  assert.ok(kib > 0, run.stderr);
  return { run, peak: kib / 1024 };
}

describe('audit: memory stays bounded whatever the answers carry', () => {
  // 256 KiB of header lines per answer, the most the transport accepts, on every one of ~95
  // probes: 12,000 Vary lines once took `audit --json` to ~800 MiB, thousands of exposed names to
  // hundreds. The bound is the issue's: under 128 MiB.
  const answers: Record<string, (origin: string) => string[]> = {
    '12,000 Vary lines': () => Array.from({ length: 12_000 }, () => 'Vary: Accept-Encoding'),
    '12,000 exposed names': () => [
      `Access-Control-Expose-Headers: ${Array.from({ length: 12_000 }, (_, i) => `x-h${i}`).join(', ')}`,
    ],
  };
  for (const [name, extra] of Object.entries(answers)) {
    it(`${name}: audit and audit --json peak under 128 MiB, and the hole is still found`, async () => {
      const s = await rawServer((head) => {
        const origin = /\r\norigin: ([^\r]*)/i.exec(head)?.[1] ?? 'https://x.example';
        return [
          `Access-Control-Allow-Origin: ${origin}`,
          'Access-Control-Allow-Credentials: true',
          ...extra(origin),
        ];
      });
      try {
        for (const json of [false, true]) {
          const { run, peak } = await peakMiB(['audit', `${s.url}/x`, ...(json ? ['--json'] : [])]);
          assert.equal(run.code, 1, run.stderr);
          assert.match(run.stdout, /reflected-any-origin-with-credentials/);
          assert.ok(peak < 128, `${json ? '--json' : 'text'}: peak ${peak.toFixed(0)} MiB`);
        }
      } finally {
        await s.close();
      }
    });
  }
});
