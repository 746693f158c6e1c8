// Real WebKit for browser tests: WebKitGTK's MiniBrowser (Debian libwebkit2gtk-4.1-0, which
// webkit2gtk-driver depends on) under Xvfb (Debian xvfb). One long-lived browser per test file runs
// batches of fetch() calls in one page and reports, for each, the verdict, the status and readable
// headers, and the console lines WebKit printed for it.
//
// MiniBrowser started with --enable-write-console-messages-to-stdout=true prints every console
// message on its stderr, CORS refusals included ("CONSOLE SECURITY ERROR ..."), but those lines carry
// no URL. So the page runs one fetch at a time and writes a console marker before and after it; the
// lines between a scenario's two markers are that scenario's. The page takes its batches from, and
// returns its results to, a small server on its own origin (http://127.0.0.1:<port>), by long poll.
// MiniBrowser gets a throwaway HOME and XDG directories rather than --private: in a private window
// it writes no console lines at all (WebKitGTK 2.50.6).
//
// Nothing here waits without a limit: starting Xvfb, loading the page, and every batch (which must
// show progress, a marker on stderr, at least every `stallMs`) each have a timeout, and close()
// kills both process groups. When MiniBrowser cannot start, the error says why, with its stderr.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MINIBROWSER_PATH = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB_PATH = '/usr/bin/Xvfb';

/** The Debian packages this helper needs, for messages and for .ci/run. */
export const WEBKIT_PACKAGES = { minibrowser: 'libwebkit2gtk-4.1-0', xvfb: 'xvfb' } as const;

/**
 * Why WebKit tests cannot run here, or false when they can. Under CI=true a missing browser is an
 * error, thrown at once, so that a CI run never passes by skipping its browser tests.
 */
export function webkitSkipReason(): string | false {
  const missing: string[] = [];
  if (!existsSync(MINIBROWSER_PATH))
    missing.push(
      `${MINIBROWSER_PATH} not found: install the Debian package ${WEBKIT_PACKAGES.minibrowser} (apt-get install -y webkit2gtk-driver pulls it in)`,
    );
  if (!existsSync(XVFB_PATH))
    missing.push(`${XVFB_PATH} not found: install the Debian package ${WEBKIT_PACKAGES.xvfb}`);
  if (missing.length === 0) return false;
  const reason = missing.join('; ');
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

/** One fetch() for the page to make. */
export interface WebKitFetch {
  /** Names the fetch in its markers and its result; unique within a batch, no whitespace. */
  readonly key: string;
  readonly url: string;
  readonly method?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly credentials?: 'omit' | 'same-origin' | 'include';
  readonly body?: string | null;
  readonly redirect?: 'follow' | 'error' | 'manual';
  readonly cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
}

/** What WebKit made of one fetch(). */
export interface WebKitResult {
  readonly key: string;
  /**
   * `allowed`: fetch() resolved. `blocked`: it rejected and WebKit printed "Fetch API cannot load
   * <url> due to access control checks." (after a `CONSOLE SECURITY ERROR` line with the reason;
   * WebKit counts a redirect it will not follow as such a refusal too). `network-error`: it rejected
   * without that line (fetch() refused the request, connection failed, a restricted port, timeout);
   * the page itself sees `TypeError: Load failed` in both cases.
   */
  readonly verdict: 'allowed' | 'blocked' | 'network-error';
  /** The rejection as the page saw it (`TypeError: Load failed`), or null when allowed. */
  readonly error: string | null;
  /** True when the page gave up on the fetch after `fetchTimeoutMs`. */
  readonly timedOut: boolean;
  readonly status: number | null;
  /** Response header lines the page can read (lower-case names, as Headers iterates them). */
  readonly headers: readonly (readonly [string, string])[] | null;
  /** The response's type (`cors`, `basic`, `opaqueredirect`) and final URL, when allowed. */
  readonly type: string | null;
  readonly finalUrl: string | null;
  /**
   * Every console line WebKit printed between this fetch's markers, from `CONSOLE` on (the source
   * location WebKit puts before some of them, `http://127.0.0.1:4321/:18:28: `, is cut off).
   */
  readonly console: readonly string[];
  /** Time the page spent on this fetch, in milliseconds. */
  readonly ms: number;
}

export interface WebKitOptions {
  /** Loading the page after MiniBrowser starts; 30 s by default. */
  readonly startTimeoutMs?: number;
  /** One fetch inside the page, after which it is aborted; 10 s by default. */
  readonly fetchTimeoutMs?: number;
  /**
   * The longest a batch may go without a marker on stderr (20 s by default, and always 2 s more
   * than `fetchTimeoutMs`); then the batch fails, and so does every later one.
   */
  readonly stallMs?: number;
}

export interface WebKitBrowser {
  /** The page's origin, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** `MiniBrowser --version`'s answer, e.g. "WebKitGTK 2.50.6". */
  readonly version: string;
  /** Runs the fetches one after another in the one page; batches queue. */
  run(fetches: readonly WebKitFetch[]): Promise<WebKitResult[]>;
  /** Every line MiniBrowser printed so far on stderr and stdout (markers included). */
  readonly stderr: readonly string[];
  /** Lines printed during a batch but outside every fetch's markers (none expected). */
  readonly stray: readonly string[];
  close(): Promise<void>;
}

/** The line WebKit prints when it refuses a fetch for CORS (after a `CONSOLE SECURITY ERROR` reason). */
const ACCESS_CONTROL = /^CONSOLE JS ERROR Fetch API cannot load \S+ due to access control checks\.$/;

/** What the page reports per fetch (before the console lines are attached). */
interface PageResult {
  readonly key: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly timedOut?: boolean;
  readonly status?: number;
  readonly headers?: [string, string][];
  readonly type?: string;
  readonly url?: string;
  readonly ms: number;
}

interface Batch {
  readonly id: number;
  readonly fetches: readonly WebKitFetch[];
  resolve(results: PageResult[]): void;
  reject(error: Error): void;
}

const PAGE = (marker: string, fetchTimeoutMs: number) => `<!doctype html>
<html><head><meta charset="utf-8"><title>corsica webkit runner</title><link rel="icon" href="data:,"></head>
<body><script>
'use strict';
const MARK = ${JSON.stringify(marker)};
async function one(f) {
  const init = { method: f.method, headers: f.headers, credentials: f.credentials, redirect: f.redirect };
  if (f.cache) init.cache = f.cache;
  if (f.body !== null && f.body !== undefined) init.body = f.body;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; abort.abort(); }, ${fetchTimeoutMs});
  init.signal = abort.signal;
  const t0 = performance.now();
  console.log(MARK + ' begin ' + f.key);
  let out;
  try {
    const res = await fetch(f.url, init);
    await res.arrayBuffer();
    out = { key: f.key, ok: true, status: res.status, headers: [...res.headers], type: res.type, url: res.url };
  } catch (err) {
    out = { key: f.key, ok: false, error: String(err), timedOut };
  }
  clearTimeout(timer);
  out.ms = performance.now() - t0;
  console.log(MARK + ' end ' + f.key);
  return out;
}
async function loop() {
  for (;;) {
    let job;
    try {
      const res = await fetch('/next', { method: 'POST', cache: 'no-store' });
      job = await res.json();
    } catch (err) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (job.stop) return;
    if (!job.fetches) continue;
    const results = [];
    for (const f of job.fetches) results.push(await one(f));
    try {
      await fetch('/result', { method: 'POST', cache: 'no-store', body: JSON.stringify({ id: job.id, results }) });
    } catch (err) {}
  }
}
loop();
</script></body></html>`;

/** Strips the source location WebKit puts before a script's own console lines ("http://h/:2:12: "). */
export function consoleText(line: string): string {
  const at = line.indexOf(': CONSOLE ');
  return at >= 0 && !line.startsWith('CONSOLE ') ? line.slice(at + 2) : line;
}

function readBody(req: IncomingMessage, limit = 16 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('result too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Kills a child's whole process group (it was spawned detached, so the group's id is its pid),
 * quietly if it is gone. `evenIfLeaderExited` reaches the members left behind by a dead leader.
 */
function killGroup(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals,
  evenIfLeaderExited = false,
): void {
  if (child?.pid === undefined) return;
  if (!evenIfLeaderExited && (child.exitCode !== null || child.signalCode !== null)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

function exited(child: ChildProcess | undefined, ms: number): Promise<boolean> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts Xvfb on a free display; resolves to the display name (":3"). */
function startXvfb(timeoutMs: number): Promise<{ xvfb: ChildProcess; display: string }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(XVFB_PATH, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    xvfb.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-4000);
    });
    let answer = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      killGroup(xvfb, 'SIGKILL');
      reject(
        new Error(`Xvfb (${XVFB_PATH}) did not start: ${why}${stderr ? `\nIts stderr:\n${stderr}` : ''}`),
      );
    };
    const timer = setTimeout(() => fail(`no display number within ${timeoutMs} ms`), timeoutMs);
    xvfb.once('error', (err) => fail(err.message));
    xvfb.once('exit', (code, signal) => fail(`it exited (${signal ?? code})`));
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      answer += d.toString('utf8');
      if (!answer.includes('\n')) return;
      clearTimeout(timer);
      xvfb.removeAllListeners('exit');
      resolve({ xvfb, display: `:${answer.trim()}` });
    });
  });
}

function minibrowserVersion(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(MINIBROWSER_PATH, ['--version'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('WebKitGTK (version unknown)');
    }, 5000);
    child.once('error', () => resolve('WebKitGTK (version unknown)'));
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(out.trim() || 'WebKitGTK (version unknown)');
    });
  });
}

/**
 * Starts Xvfb and MiniBrowser, and loads the runner page. Rejects, with MiniBrowser's stderr, when
 * the page has not asked for work within `startTimeoutMs`.
 */
export async function launchWebKit(options: WebKitOptions = {}): Promise<WebKitBrowser> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000;
  // A fetch the page gives up on still ends with its marker: a stall is longer than any fetch.
  const stallMs = Math.max(options.stallMs ?? 20_000, fetchTimeoutMs + 2_000);
  const reason = webkitSkipReason();
  if (reason !== false) throw new Error(reason);

  const marker = `corsica-webkit-${randomBytes(6).toString('hex')}`;
  const page = PAGE(marker, fetchTimeoutMs);
  const home = mkdtempSync(join(tmpdir(), 'corsica-webkit-'));

  // The page's side of the conversation: a long poll for the next batch, and its results.
  const queue: Batch[] = [];
  let current: Batch | null = null;
  let waiting: ServerResponse | null = null;
  let pollTimer: NodeJS.Timeout | undefined;
  let pageAsked: (() => void) | null = null;
  let stopping = false;
  const sendNext = () => {
    if (waiting === null) return;
    let answer: unknown;
    if (stopping) answer = { stop: true };
    else if (current === null && queue.length > 0) {
      current = queue.shift()!;
      answer = { id: current.id, fetches: current.fetches };
    } else return;
    clearTimeout(pollTimer);
    const res = waiting;
    waiting = null;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(answer));
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/next') {
      req.resume();
      pageAsked?.();
      if (waiting !== null) waiting.end(JSON.stringify({}));
      waiting = res;
      // Answer an idle poll now and then, so that no layer times the page's request out.
      clearTimeout(pollTimer);
      pollTimer = setTimeout(() => {
        if (waiting === res) {
          waiting = null;
          res.end(JSON.stringify({}));
        }
      }, 15_000);
      sendNext();
      return;
    }
    if (req.method === 'POST' && path === '/result') {
      readBody(req).then(
        (text) => {
          res.end('ok');
          try {
            const { id, results } = JSON.parse(text) as { id: number; results: PageResult[] };
            if (current?.id === id) current.resolve(results);
          } catch (err) {
            current?.reject(new Error(`the page sent results that do not parse: ${String(err)}`));
          }
        },
        () => res.end(),
      );
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(page);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closeServer = async () => {
    clearTimeout(pollTimer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  let xvfb: ChildProcess | undefined;
  let browser: ChildProcess | undefined;
  const onExit = () => {
    killGroup(browser, 'SIGKILL', true);
    killGroup(xvfb, 'SIGKILL');
  };
  process.once('exit', onExit);
  const stderr: string[] = [];
  const stray: string[] = [];
  const cleanup = async () => {
    process.removeListener('exit', onExit);
    killGroup(browser, 'SIGTERM');
    await exited(browser, 2000);
    // Its web and network processes too, whatever state they are in (they share its group).
    killGroup(browser, 'SIGKILL', true);
    await exited(browser, 2000);
    killGroup(xvfb, 'SIGTERM');
    if (!(await exited(xvfb, 2000))) killGroup(xvfb, 'SIGKILL');
    await closeServer();
    rmSync(home, { recursive: true, force: true });
  };

  // Progress: every stderr line; markers wake whoever waits for one.
  let lineWaiter: ((line: string) => void) | null = null;
  let lastProgress = Date.now();
  let browserGone: string | null = null;
  /** Set when a batch failed: the page may still be inside it, so the browser takes no more. */
  let broken: string | null = null;
  let pending = '';
  const onStderr = (d: Buffer) => {
    pending += d.toString('utf8');
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, '');
      pending = pending.slice(nl + 1);
      stderr.push(line);
      if (line.includes(marker)) lastProgress = Date.now();
      lineWaiter?.(line);
      nl = pending.indexOf('\n');
    }
  };

  try {
    const started = await startXvfb(10_000);
    xvfb = started.xvfb;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DISPLAY: started.display,
      GDK_BACKEND: 'x11',
      HOME: home,
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      NO_AT_BRIDGE: '1',
      LIBGL_ALWAYS_SOFTWARE: '1',
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    };
    delete env.WAYLAND_DISPLAY;
    const version = await minibrowserVersion(env);
    const loaded = new Promise<void>((resolve) => {
      pageAsked = () => {
        pageAsked = null;
        resolve();
      };
    });
    browser = spawn(MINIBROWSER_PATH, ['--enable-write-console-messages-to-stdout=true', `${origin}/`], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    browser.stdout?.on('data', onStderr);
    browser.stderr?.on('data', onStderr);
    const failedToStart = new Promise<never>((_resolve, reject) => {
      browser!.once('error', (err) => reject(err));
      browser!.once('exit', (code, signal) => {
        browserGone = `MiniBrowser exited (${signal ?? code})`;
        reject(new Error(browserGone));
      });
    });
    failedToStart.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        loaded,
        failedToStart,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the runner page at ${origin}/ did not load within ${startTimeoutMs} ms`)),
            startTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }

    let batchIds = 0;
    let chain: Promise<unknown> = Promise.resolve();

    /** Waits for the line `<marker> end <key>` on stderr (it may lag the page's report). */
    const waitForLine = (wanted: string, ms: number) =>
      new Promise<boolean>((resolve) => {
        if (stderr.some((l) => l.endsWith(wanted))) return resolve(true);
        const timer = setTimeout(() => {
          lineWaiter = null;
          resolve(false);
        }, ms);
        lineWaiter = (line) => {
          if (!line.endsWith(wanted)) return;
          clearTimeout(timer);
          lineWaiter = null;
          resolve(true);
        };
      });

    const runBatch = async (fetches: readonly WebKitFetch[]): Promise<WebKitResult[]> => {
      if (fetches.length === 0) return [];
      for (const f of fetches)
        if (!/^\S+$/.test(f.key))
          throw new Error(`fetch key ${JSON.stringify(f.key)} must have no whitespace`);
      if (browserGone !== null) throw new Error(`WebKit is not running: ${browserGone}`);
      if (broken !== null) throw new Error(`WebKit runs no more fetches after an earlier failure: ${broken}`);
      const firstLine = stderr.length;
      lastProgress = Date.now();
      const results = await new Promise<PageResult[]>((resolve, reject) => {
        const fail = (why: string) => {
          clearInterval(watch);
          // The page may still be inside the batch: nothing after it could be told apart.
          broken ??= why;
          if (current === batch) current = null;
          const queued = queue.indexOf(batch);
          if (queued >= 0) queue.splice(queued, 1);
          const tail = stderr.slice(-20).join('\n');
          reject(new Error(`WebKit batch failed: ${why}. Last stderr lines:\n${tail}`));
        };
        const watch = setInterval(() => {
          if (browserGone !== null) fail(browserGone);
          else if (Date.now() - lastProgress > stallMs)
            fail(`no progress for ${stallMs} ms (no marker on MiniBrowser's stderr)`);
        }, 250);
        const batch: Batch = {
          id: ++batchIds,
          fetches: fetches.map((f) => ({
            key: f.key,
            url: f.url,
            method: f.method ?? 'GET',
            headers: (f.headers ?? []).map(([n, v]) => [n, v] as const),
            credentials: f.credentials ?? 'same-origin',
            body: f.body ?? null,
            redirect: f.redirect ?? 'follow',
            ...(f.cache === undefined ? {} : { cache: f.cache }),
          })),
          resolve: (r) => {
            clearInterval(watch);
            current = null;
            resolve(r);
            sendNext();
          },
          reject: (err) => fail(err.message),
        };
        queue.push(batch);
        sendNext();
      });
      const lastKey = results.at(-1)?.key;
      if (lastKey !== undefined && !(await waitForLine(`${marker} end ${lastKey}`, 5000)))
        throw new Error(
          `WebKit's stderr never showed the end marker of ${lastKey}. Last stderr lines:\n${stderr.slice(-12).join('\n')}`,
        );
      // Split the stderr lines of this batch between the markers.
      const lines = new Map<string, string[]>();
      let open: string[] | null = null;
      for (const raw of stderr.slice(firstLine)) {
        const text = consoleText(raw);
        const m = text.startsWith('CONSOLE LOG ') ? text.slice(12) : null;
        if (m?.startsWith(`${marker} begin `)) {
          open = [];
          lines.set(m.slice(marker.length + 7), open);
        } else if (m?.startsWith(`${marker} end `)) open = null;
        else if (open !== null) open.push(text);
        else stray.push(raw);
      }
      return results.map((r) => {
        const printed = lines.get(r.key) ?? [];
        const refused = printed.some((l) => ACCESS_CONTROL.test(l));
        return {
          key: r.key,
          verdict: r.ok ? 'allowed' : refused ? 'blocked' : 'network-error',
          error: r.ok ? null : (r.error ?? 'unknown error'),
          timedOut: r.timedOut === true,
          status: r.ok ? (r.status ?? null) : null,
          headers: r.ok ? (r.headers ?? []) : null,
          type: r.ok ? (r.type ?? null) : null,
          finalUrl: r.ok ? (r.url ?? null) : null,
          console: printed,
          ms: r.ms,
        };
      });
    };

    return {
      origin,
      version,
      stderr,
      stray,
      run(fetches) {
        const next = chain.then(() => runBatch(fetches));
        chain = next.catch(() => undefined);
        return next;
      },
      async close() {
        stopping = true;
        sendNext();
        for (const b of [...queue, ...(current === null ? [] : [current])])
          b.reject(new Error('WebKit closed'));
        await cleanup();
      },
    };
  } catch (err) {
    const tail = stderr.slice(-30).join('\n');
    await cleanup();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `WebKit (${MINIBROWSER_PATH}) could not start: ${why}${tail ? `\nMiniBrowser's stderr:\n${tail}` : '\nMiniBrowser printed nothing.'}`,
    );
  }
}
