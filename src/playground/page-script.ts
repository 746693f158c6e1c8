// The playground page's own script. It runs in the browser, not in Node: the server serves it
// compiled (dist/page-script.js, built by tsup; from the sources, esbuild compiles it on the fly),
// so the type checker and the linter read it like any other file. Only type imports here.

import type { AuditReport } from '../audit/index.js';
import type { CheckReport } from '../check/report.js';
import type { Scenario } from './gallery.js';
import type { RawAnswer, RequestSpec, Seen as SeenExchange, ServerSpec } from './server.js';

/** The engine of the browser this page runs in: the model compared with it is that engine's. */
const ENGINE: 'chromium' | 'firefox' | 'webkit' = /Firefox\//.test(navigator.userAgent)
  ? 'firefox'
  : /AppleWebKit\//.test(navigator.userAgent) && !/(Chrome|Chromium|Edg)\//.test(navigator.userAgent)
    ? 'webkit'
    : 'chromium';
const ENGINE_NAME = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit (Safari)' }[ENGINE];

/** The page's fields, as a shareable state (the link's hash holds it). */
type FormState = Record<string, string | boolean>;

/** The browser's own result for the real fetch. */
type RealResult =
  | { allowed: true; status: number; readable: string[]; body: string }
  | { allowed: false; error: string };

/** Every field of the page is an input, a textarea or a select; all three have `value`. */
const $ = (id: string) => document.getElementById(id) as HTMLInputElement;
const GALLERY: Scenario[] = JSON.parse($('gallery-data').textContent ?? '[]');
const FIELDS = [
  'mode',
  'options',
  'preflightStatus',
  'preflightHeaders',
  'actualStatus',
  'actualHeaders',
  'method',
  'headers',
  'body',
  'credentials',
  'target',
];
const FORM = ['origin', 'methods', 'maxAge', 'allowedHeaders', 'exposedHeaders', 'credentials'];

/** "Name: value" lines to header pairs; lines without a name are dropped. */
const lines = (text: string): [string, string][] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l): [string, string] => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    })
    .filter(([n]) => n);

const esc = (t: unknown) =>
  String(t).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);

const headerText = (h: Record<string, string>) =>
  Object.entries(h)
    .filter(([n]) => /^(access-control-|origin$|vary$)/i.test(n))
    .map(([n, v]) => `${n}: ${v}`)
    .join('\n') || '(no CORS headers)';

/** This start's token: the playground's API answers only calls that carry it (guard.ts). */
const TOKEN = document.querySelector<HTMLMetaElement>('meta[name="corsica-token"]')?.content ?? '';
const OWN = { 'X-Corsica-Playground-Token': TOKEN };

/** A call to the page's own API; a refusal (400, 403) comes back as `{ error }`. */
async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (
    await fetch(path, { method: 'POST', headers: OWN, body: JSON.stringify(body) })
  ).json() as Promise<T>;
}

function state(): FormState {
  const s: FormState = {};
  for (const id of FIELDS) s[id] = $(id).type === 'checkbox' ? $(id).checked : $(id).value;
  return s;
}

function load(saved: Readonly<FormState>): void {
  const s: FormState = JSON.parse(JSON.stringify(saved).split('PAGE_ORIGIN').join(location.origin));
  for (const [k, v] of Object.entries(s)) {
    const el = $(k);
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = !!v;
    else el.value = String(v);
  }
  showMode();
  jsonToForm();
  void renderCode();
}

/** Form → JSON: the form writes the fields it knows and keeps any other option in the JSON. */
function formToJson(): void {
  let o: Record<string, unknown> = {};
  try {
    o = JSON.parse($('options').value || '{}');
  } catch {
    // invalid JSON: the form starts a fresh object
  }
  const origins = $('f-origin')
    .value.split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
  if (origins.length === 0) delete o.origin;
  else o.origin = origins.length === 1 && origins[0] === '*' ? '*' : origins;
  for (const k of ['methods', 'allowedHeaders', 'exposedHeaders']) {
    const v = $(`f-${k}`).value.trim();
    if (v)
      o[k] = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    else delete o[k];
  }
  const age = $('f-maxAge').value.trim();
  if (age) o.maxAge = Number(age);
  else delete o.maxAge;
  if ($('f-credentials').checked) o.credentials = true;
  else delete o.credentials;
  $('options').value = JSON.stringify(o, null, 2);
  void renderCode();
}

/** JSON → form, when the JSON parses. */
function jsonToForm(): void {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse($('options').value || '{}');
  } catch {
    return;
  }
  const list = (v: unknown) => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));
  $('f-origin').value =
    o.origin === undefined ? '' : Array.isArray(o.origin) ? o.origin.join('\n') : String(o.origin);
  $('f-methods').value = list(o.methods);
  $('f-allowedHeaders').value = list(o.allowedHeaders);
  $('f-exposedHeaders').value = list(o.exposedHeaders);
  $('f-maxAge').value = o.maxAge === undefined ? '' : String(o.maxAge);
  $('f-credentials').checked = o.credentials === true;
}

function showMode(): void {
  const raw = $('mode').value === 'raw';
  $('policyPane').hidden = raw;
  $('rawPane').hidden = !raw;
}

function serverSpec(s: FormState): ServerSpec {
  const answer = (status: unknown, headers: unknown): RawAnswer => ({
    status: Number(status),
    headers: lines(String(headers)),
  });
  if (s.mode === 'raw')
    return {
      mode: 'raw',
      preflight: answer(s.preflightStatus, s.preflightHeaders),
      actual: answer(s.actualStatus, s.actualHeaders),
    };
  return { mode: 'policy', options: JSON.parse(String(s.options) || '{}') };
}

function requestSpec(s: FormState): RequestSpec {
  return {
    method: String(s.method) || 'GET',
    headers: lines(String(s.headers)),
    body: s.body === '' ? null : String(s.body),
    credentials: s.credentials === true,
    target: String(s.target).trim() || null,
  };
}

function share(): void {
  location.hash = btoa(unescape(encodeURIComponent(JSON.stringify(state()))));
}

async function send(): Promise<void> {
  const s = state();
  share();
  void renderCode();
  const out = $('output');
  out.innerHTML = '<p>Sending…</p>';
  let server: ServerSpec;
  let request: RequestSpec;
  try {
    server = serverSpec(s);
    request = requestSpec(s);
  } catch (e) {
    out.innerHTML = `<p class="warn">The options are not valid JSON: ${esc((e as Error).message)}</p>`;
    return;
  }
  const run = await postJson<{ id: string; url: string; error?: string; invalid?: boolean }>('/api/run', {
    server,
    request,
  });
  if (run.error) {
    const what = run.invalid ? 'The playground cannot send this' : 'corsica refuses this configuration';
    out.innerHTML = `<p class="warn">${what}:</p><pre>${esc(run.error)}</pre>`;
    return;
  }
  const init: RequestInit = {
    method: request.method,
    headers: request.headers as [string, string][],
    credentials: request.credentials ? 'include' : 'same-origin',
  };
  if (request.body !== null) init.body = request.body;
  let real: RealResult;
  try {
    const res = await fetch(run.url, init);
    const readable: string[] = [];
    res.headers.forEach((_, name) => {
      readable.push(name);
    });
    real = { allowed: true, status: res.status, readable, body: (await res.text()).slice(0, 200) };
  } catch (e) {
    real = { allowed: false, error: String(e) };
  }
  const seen = request.target
    ? null
    : ((await (await fetch(`/api/seen?id=${run.id}`, { headers: OWN })).json()) as { seen: SeenExchange[] })
        .seen;
  const model = await postJson<CheckReport>('/api/explain', {
    server,
    request,
    origin: location.origin,
    engine: ENGINE,
  });
  render(real, seen, model);
}

interface ShownExchange {
  method: string;
  req: Record<string, string>;
  status: number | undefined;
  res: Record<string, string>;
  reason?: string | null;
}

/** The exchanges to show: as the test API saw them, or (another URL) as the model sent them. */
function exchangesOf(seen: SeenExchange[] | null, model: CheckReport): ShownExchange[] {
  if (seen)
    return seen.map((x) => ({
      method: x.method,
      req: x.requestHeaders,
      status: x.status,
      res: x.responseHeaders,
      reason: x.serverReason,
    }));
  return model.exchanges.map((x) => ({
    method: x.request.method,
    req: x.request.headers,
    status: x.response?.status,
    res: Object.fromEntries(x.response?.headers ?? []),
  }));
}

function timeline(seen: SeenExchange[] | null, model: CheckReport): string[] {
  const html = ['<ol class="timeline">'];
  html.push(
    `<li><strong>Preflight</strong>: ${model.preflightNeeded ? `needed, because ${esc(model.preflightReasons.join('; '))}` : 'not needed: a simple request'}</li>`,
  );
  const exchanges = exchangesOf(seen, model);
  for (const x of exchanges) {
    const answer =
      x.status === null || x.status === undefined
        ? `<strong id="noAnswer">no answer</strong>: ${esc(model.typeError || 'the server could not be reached')} (a network error, not a CORS refusal)`
        : `answered <strong>${esc(x.status)}</strong><pre>${esc(headerText(x.res))}</pre>`;
    const reason = x.reason ? `<p class="server-reason">corsica on the server: ${esc(x.reason)}</p>` : '';
    html.push(
      `<li><strong>${esc(x.method)}</strong> ${seen ? 'as the server saw it' : 'as sent'}<pre>${esc(headerText(x.req))}</pre>${answer}${reason}</li>`,
    );
  }
  if (exchanges.length === 0) html.push('<li>No request reached the server.</li>');
  html.push('</ol>');
  return html;
}

function verdicts(real: RealResult, model: CheckReport): string[] {
  const html = [
    `<p>Your browser (<span id="engine">${ENGINE_NAME}</span>): <span id="realVerdict" class="verdict ${real.allowed ? 'allowed">allowed' : 'blocked">blocked'}</span> ${real.allowed ? `status ${real.status}; the page can read: ${esc(real.readable.join(', ') || '(no headers)')}` : `${esc(real.error)} (the console shows why)`}</p>`,
    `<p>corsica's model of ${ENGINE_NAME}: <span id="modelVerdict" class="verdict ${model.verdict}">${model.verdict}</span></p>`,
  ];
  if ((model.verdict === 'allowed') !== real.allowed)
    html.push(
      `<p class="warn" id="disagree">The model of ${ENGINE_NAME} and your browser disagree: please report it, with the shared link of this page.</p>`,
    );
  const error = model.error;
  if (error) {
    const fix = error.fix;
    const lines = error.reason.lines.map((l) => l.text).join('\n');
    html.push(
      `<div id="explanation"><p><strong>Chromium says</strong>:</p><pre id="chromiumMessage">${esc(error.consoleMessage)}</pre>`,
      ENGINE === 'chromium'
        ? ''
        : `<p><strong>${ENGINE_NAME} says</strong> (its console):</p><pre id="engineMessage">${esc(lines)}</pre>`,
      `<p><strong>Firefox</strong>: ${esc(error.firefox || '—')}</p><p><strong>Cause</strong>: <span id="cause">${esc(error.cause)}</span></p>`,
      `<p><strong>Fix</strong>: ${esc(fix.summary)}</p><pre>corsica: ${esc(fix.corsica)}\ncors:    ${esc(fix.cors)}\nfastify: ${esc(fix.fastify)}\nhono:    ${esc(fix.hono)}\nnginx:   ${esc(fix.nginx)}</pre></div>`,
    );
  } else if (model.verdict === 'allowed') {
    html.push(
      `<p>Readable response headers (model): ${esc(model.exposedHeaders.join(', ') || '(none)')}</p>`,
    );
  }
  return html;
}

function warnings(model: CheckReport): string[] {
  const html: string[] = [];
  let spec: ServerSpec | null = null;
  try {
    spec = serverSpec(state());
  } catch {
    // invalid JSON: no option to warn about
  }
  if (spec?.mode === 'policy' && (spec.options as { privateNetwork?: unknown }).privateNetwork)
    html.push(
      '<p class="warn" data-warning="PRIVATE_NETWORK_ACCESS_LEGACY">⚠ Warning (PRIVATE_NETWORK_ACCESS_LEGACY): privateNetwork answers Private Network Access preflights (Access-Control-Request-Private-Network), which Chromium no longer sends: it replaced them with Local Network Access, a permission prompt without headers, so this option changes nothing there. Loopback to loopback, as here, never prompts.</p>',
    );
  for (const w of model.warnings ?? [])
    html.push(
      `<p class="warn" data-warning="${esc(w.code)}">⚠ ${w.severity === 'hole' ? 'Security hole' : 'Warning'} (${esc(w.code)}${w.pitfall ? `, pitfall ${w.pitfall}` : ''}): ${esc(w.message)} <em>Fix</em>: ${esc(w.fix)}</p>`,
    );
  return html;
}

function render(real: RealResult, seen: SeenExchange[] | null, model: CheckReport): void {
  const out = $('output');
  out.innerHTML = [...timeline(seen, model), ...verdicts(real, model), ...warnings(model)].join('');
  out.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

/** `corsica audit` of the test API as set up (or of the URL to probe), for this page's origin as the site. */
async function runAudit(): Promise<void> {
  const s = state();
  const out = $('output');
  out.innerHTML = '<p>Auditing… (about 95 probes)</p>';
  let server: ServerSpec;
  try {
    server = serverSpec(s);
  } catch (e) {
    out.innerHTML = `<p class="warn">The options are not valid JSON: ${esc((e as Error).message)}</p>`;
    return;
  }
  const request = requestSpec(s);
  const answer = await postJson<AuditReport | { error: string }>('/api/audit', {
    server,
    request,
    origin: location.origin,
  });
  if ('error' in answer) {
    out.innerHTML = `<p class="warn">The audit could not run: ${esc(answer.error)}</p>`;
    return;
  }
  const html = [
    `<p id="auditSummary">Audit of ${esc(answer.url)} for the site ${esc(answer.site)}: <strong>${answer.counts.exploitable} exploitable, ${answer.counts.broken} broken, ${answer.counts.info} info</strong> (${answer.probes.length} probes)</p>`,
  ];
  for (const severity of ['exploitable', 'broken', 'info'] as const) {
    const found = answer.findings.filter((f) => f.severity === severity);
    if (found.length === 0) continue;
    html.push(`<h3>${severity} (${found.length})</h3><ul class="findings">`);
    for (const f of found)
      html.push(
        `<li data-class="${esc(f.class)}" data-severity="${severity}"><strong>${esc(f.class)}</strong>: ${esc(f.message)}${f.origin ? `<br>proof: Origin: <code>${esc(f.origin)}</code>` : ''}<br><em>Attack</em>: ${esc(f.impact)}<br><em>Fix</em>: ${esc(f.fix.summary)}</li>`,
      );
    html.push('</ul>');
  }
  if (answer.findings.length === 0) html.push('<p>No finding.</p>');
  for (const note of answer.notes) html.push(`<p class="warn">${esc(note)}</p>`);
  out.innerHTML = html.join('');
  out.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

let codeAsked = 0;
async function renderCode(): Promise<void> {
  let s: ServerSpec;
  try {
    s = serverSpec(state());
  } catch {
    $('code').textContent = '(the options are not valid JSON)';
    return;
  }
  if (s.mode === 'raw') {
    $('code').textContent = 'Raw mode: the test API sends exactly the headers you typed.';
    return;
  }
  // Written by the server (src/playground/snippets.ts), the code the tests run in the real packages.
  const asked = ++codeAsked;
  const answer = await postJson<{ code: string }>('/api/snippets', {
    options: s.options,
    request: requestSpec(state()),
  });
  if (asked === codeAsked) $('code').textContent = answer.code;
}

for (const g of GALLERY) {
  const b = document.createElement('button');
  b.className = 'secondary';
  b.type = 'button';
  b.textContent = g.title;
  b.title = g.note;
  b.addEventListener('click', () => {
    load({ ...g.state, target: '' });
    $('note').textContent = g.note;
    void send();
  });
  $('gallery').append(b);
}
$('mode').addEventListener('change', () => {
  showMode();
  void renderCode();
});
for (const k of FORM) $(`f-${k}`).addEventListener('input', formToJson);
$('options').addEventListener('input', jsonToForm);
for (const id of ['options', 'method', 'headers', 'body', 'credentials'])
  $(id).addEventListener('input', () => void renderCode());
$('send').addEventListener('click', () => void send());
$('audit').addEventListener('click', () => void runAudit());
/**
 * A link that names another URL to probe is anyone's to write: it could point this page, and the
 * playground behind it, at a device on your network. Show the request and wait for a click.
 */
function confirmTarget(s: FormState): void {
  const request = requestSpec(s);
  const headers = request.headers.map(([n, v]) => `${n}: ${v}`).join('\n');
  $('output').innerHTML = [
    `<p class="warn" id="confirmTarget">This link asks to send <strong>${esc(request.method)}</strong> to <code>${esc(request.target)}</code>, from your browser and from this playground (which can reach your local network). Nothing has been sent. Check the request and press Send if you mean it.</p>`,
    `<pre>${esc(`${request.method} ${request.target}\n${headers}${request.body === null ? '' : `\n\n${request.body}`}`)}</pre>`,
  ].join('');
}

// A shared link was made by Send: opening it sends again, so it shows its result, not only its
// inputs; unless it probes another URL than the test API, which waits for a click.
if (location.hash.length > 1) {
  try {
    const saved: FormState = JSON.parse(decodeURIComponent(escape(atob(location.hash.slice(1)))));
    load(saved);
    if (String(saved.target ?? '').trim() === '') void send();
    else confirmTarget(state());
  } catch {
    // a broken link: the page opens empty
  }
} else if (GALLERY[0]) load(GALLERY[0].state);
document.body.dataset.ready = 'yes';
