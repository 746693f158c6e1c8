// The playground page: plain HTML, CSS and a small script (no framework, no build step), so it
// loads at once and works with the keyboard and at phone width.

import { GALLERY } from './gallery.js';

const STYLE = `
*{box-sizing:border-box}body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{padding:.8rem 1rem;background:#123;color:#fff}header h1{margin:0;font-size:1.2rem}header p{margin:.2rem 0 0;opacity:.85}
main{display:grid;gap:1rem;padding:1rem;grid-template-columns:1fr 1fr}@media(max-width:800px){main{grid-template-columns:1fr}}
section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.8rem}h2{margin:.1rem 0 .6rem;font-size:1.05rem}
label{display:block;margin:.4rem 0 .15rem;font-weight:600}input,select,textarea{width:100%;font:inherit;padding:.35rem;border:1px solid #bbb;border-radius:4px}
textarea{font-family:ui-monospace,monospace;font-size:13px}button{font:inherit;padding:.45rem .9rem;border-radius:4px;border:1px solid #123;background:#123;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#123}button:focus,input:focus,textarea:focus,select:focus{outline:3px solid #59f}
#gallery{display:flex;flex-wrap:wrap;gap:.4rem}#results{grid-column:1/-1}.wide{grid-column:1/-1}
.verdict{font-size:1.1rem;font-weight:700;padding:.4rem .6rem;border-radius:4px;display:inline-block}.allowed{background:#dff5e3;color:#135c22}.blocked,.network-error{background:#fde2e1;color:#8a1c12}
.warn{background:#fff4d6;border:1px solid #e6c35c;padding:.5rem;border-radius:4px;margin:.5rem 0}
pre{white-space:pre-wrap;word-break:break-word;background:#f4f4f4;padding:.5rem;border-radius:4px;font-size:13px;margin:.3rem 0}
fieldset{border:1px solid #ddd;border-radius:6px;margin:0 0 .4rem}ol.timeline{padding-left:1.2rem}ol.timeline li{margin:.4rem 0}.row{display:flex;gap:.5rem;align-items:center}.row>*{flex:1}
`;

const SCRIPT = `
const API = document.body.dataset.api;
const $ = (id) => document.getElementById(id);
const lines = (text) => text.split('\\n').map((l) => l.trim()).filter(Boolean).map((l) => { const i = l.indexOf(':'); return [l.slice(0, i).trim(), l.slice(i + 1).trim()]; }).filter(([n]) => n);
const GALLERY = ${JSON.stringify(GALLERY)};

function state() {
  return {
    mode: $('mode').value, options: $('options').value,
    preflightStatus: $('preflightStatus').value, preflightHeaders: $('preflightHeaders').value,
    actualStatus: $('actualStatus').value, actualHeaders: $('actualHeaders').value,
    method: $('method').value, headers: $('headers').value, body: $('body').value,
    credentials: $('credentials').checked, target: $('target').value,
  };
}
function load(s) {
  s = JSON.parse(JSON.stringify(s).split('PAGE_ORIGIN').join(location.origin));
  for (const [k, v] of Object.entries(s)) { const el = $(k); if (!el) continue; if (el.type === 'checkbox') el.checked = !!v; else el.value = v; }
  showMode(); jsonToForm(); renderCode();
}
const FORM = ['origin', 'methods', 'maxAge', 'allowedHeaders', 'exposedHeaders', 'credentials'];
/** Form → JSON: the form writes the fields it knows and keeps any other option in the JSON. */
function formToJson() {
  let o = {}; try { o = JSON.parse($('options').value || '{}'); } catch {}
  const origins = $('f-origin').value.split('\\n').map((x) => x.trim()).filter(Boolean);
  if (origins.length === 0) delete o.origin; else o.origin = origins.length === 1 && origins[0] === '*' ? '*' : origins;
  for (const k of ['methods', 'allowedHeaders', 'exposedHeaders']) { const v = $('f-' + k).value.trim(); if (v) o[k] = v.split(',').map((x) => x.trim()).filter(Boolean); else delete o[k]; }
  const age = $('f-maxAge').value.trim(); if (age) o.maxAge = Number(age); else delete o.maxAge;
  if ($('f-credentials').checked) o.credentials = true; else delete o.credentials;
  $('options').value = JSON.stringify(o, null, 2); renderCode();
}
/** JSON → form, when the JSON parses. */
function jsonToForm() {
  let o; try { o = JSON.parse($('options').value || '{}'); } catch { return; }
  const list = (v) => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));
  $('f-origin').value = o.origin === undefined ? '' : Array.isArray(o.origin) ? o.origin.join('\\n') : String(o.origin);
  $('f-methods').value = list(o.methods); $('f-allowedHeaders').value = list(o.allowedHeaders); $('f-exposedHeaders').value = list(o.exposedHeaders);
  $('f-maxAge').value = o.maxAge === undefined ? '' : String(o.maxAge); $('f-credentials').checked = o.credentials === true;
}
function showMode() { const raw = $('mode').value === 'raw'; $('policyPane').hidden = raw; $('rawPane').hidden = !raw; }
function serverSpec(s) {
  if (s.mode === 'raw') return { mode: 'raw', preflight: { status: Number(s.preflightStatus), headers: lines(s.preflightHeaders) }, actual: { status: Number(s.actualStatus), headers: lines(s.actualHeaders) } };
  return { mode: 'policy', options: JSON.parse(s.options || '{}') };
}
function requestSpec(s) {
  return { method: s.method || 'GET', headers: lines(s.headers), body: s.body === '' ? null : s.body, credentials: s.credentials, target: s.target.trim() || null };
}
function share() { location.hash = btoa(unescape(encodeURIComponent(JSON.stringify(state())))); }
const esc = (t) => String(t).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
const headerText = (h) => Object.entries(h).filter(([n]) => /^(access-control-|origin$|vary$)/i.test(n)).map(([n, v]) => n + ': ' + v).join('\\n') || '(no CORS headers)';

async function send() {
  const s = state(); share(); renderCode();
  const out = $('output'); out.innerHTML = '<p>Sending…</p>';
  let server, request;
  try { server = serverSpec(s); request = requestSpec(s); } catch (e) { out.innerHTML = '<p class="warn">The options are not valid JSON: ' + esc(e.message) + '</p>'; return; }
  const run = await (await fetch('/api/run', { method: 'POST', body: JSON.stringify({ server, request }) })).json();
  if (run.error) { out.innerHTML = '<p class="warn">corsica refuses this configuration:</p><pre>' + esc(run.error) + '</pre>'; return; }
  const init = { method: request.method, headers: request.headers, credentials: request.credentials ? 'include' : 'same-origin' };
  if (request.body !== null) init.body = request.body;
  let real;
  try {
    const res = await fetch(run.url, init);
    real = { allowed: true, status: res.status, readable: [...res.headers.keys()], body: (await res.text()).slice(0, 200) };
  } catch (e) { real = { allowed: false, error: String(e) }; }
  const seen = request.target ? null : (await (await fetch('/api/seen?id=' + run.id)).json()).seen;
  const model = await (await fetch('/api/explain', { method: 'POST', body: JSON.stringify({ server, request, origin: location.origin }) })).json();
  render(real, seen, model);
}

function render(real, seen, model) {
  const out = $('output');
  const html = [];
  html.push('<ol class="timeline">');
  html.push('<li><strong>Preflight</strong>: ' + (model.preflightNeeded ? 'needed, because ' + esc(model.preflightReasons.join('; ')) : 'not needed: a simple request') + '</li>');
  const exchanges = seen ? seen.map((x) => ({ method: x.method, req: x.requestHeaders, status: x.status, res: x.responseHeaders, reason: x.serverReason })) : model.exchanges.map((x) => ({ method: x.request.method, req: x.request.headers, status: x.response && x.response.status, res: Object.fromEntries((x.response && x.response.headers) || []) }));
  for (const x of exchanges) {
    const answer = x.status === null || x.status === undefined
      ? '<strong id="noAnswer">no answer</strong>: ' + esc(model.typeError || 'the server could not be reached') + ' (a network error, not a CORS refusal)'
      : 'answered <strong>' + esc(x.status) + '</strong><pre>' + esc(headerText(x.res)) + '</pre>';
    const reason = x.reason ? '<p class="server-reason">corsica on the server: ' + esc(x.reason) + '</p>' : '';
    html.push('<li><strong>' + esc(x.method) + '</strong> ' + (seen ? 'as the server saw it' : 'as sent') + '<pre>' + esc(headerText(x.req)) + '</pre>' + answer + reason + '</li>');
  }
  if (exchanges.length === 0) html.push('<li>No request reached the server.</li>');
  html.push('</ol>');
  html.push('<p>Your browser: <span id="realVerdict" class="verdict ' + (real.allowed ? 'allowed">allowed' : 'blocked">blocked') + '</span> ' + (real.allowed ? 'status ' + real.status + '; the page can read: ' + esc(real.readable.join(', ') || '(no headers)') : esc(real.error) + ' (the console shows why)') + '</p>');
  html.push('<p>corsica\\'s model of Chromium: <span id="modelVerdict" class="verdict ' + model.verdict + '">' + model.verdict + '</span></p>');
  if ((model.verdict === 'allowed') !== real.allowed) html.push('<p class="warn" id="disagree">The model and your browser disagree. If this is Chromium, please report it; other browsers differ in places (see the README).</p>');
  if (model.error) {
    html.push('<div id="explanation"><p><strong>Chromium says</strong>:</p><pre id="chromiumMessage">' + esc(model.error.consoleMessage) + '</pre>');
    html.push('<p><strong>Firefox</strong>: ' + esc(model.error.firefox || '—') + '</p><p><strong>Cause</strong>: <span id="cause">' + esc(model.error.cause) + '</span></p>');
    html.push('<p><strong>Fix</strong>: ' + esc(model.error.fix.summary) + '</p><pre>corsica: ' + esc(model.error.fix.corsica) + '\\ncors:    ' + esc(model.error.fix.cors) + '\\nfastify: ' + esc(model.error.fix.fastify) + '\\nnginx:   ' + esc(model.error.fix.nginx) + '</pre></div>');
  } else if (model.verdict === 'allowed') {
    html.push('<p>Readable response headers (model): ' + esc(model.exposedHeaders.join(', ') || '(none)') + '</p>');
  }
  const spec = (() => { try { return serverSpec(state()); } catch { return null; } })();
  if (spec && spec.mode === 'policy' && spec.options && spec.options.privateNetwork) html.push('<p class="warn" data-warning="PRIVATE_NETWORK_ACCESS_LEGACY">⚠ Warning (PRIVATE_NETWORK_ACCESS_LEGACY): privateNetwork answers Private Network Access preflights (Access-Control-Request-Private-Network), which Chromium no longer sends: it replaced them with Local Network Access, a permission prompt without headers, so this option changes nothing there. Loopback to loopback, as here, never prompts.</p>');
  for (const w of model.warnings || []) html.push('<p class="warn" data-warning="' + esc(w.code) + '">⚠ ' + (w.severity === 'hole' ? 'Security hole' : 'Warning') + ' (' + esc(w.code) + (w.pitfall ? ', pitfall ' + w.pitfall : '') + '): ' + esc(w.message) + ' <em>Fix</em>: ' + esc(w.fix) + '</p>');
  out.innerHTML = html.join('');
  out.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

let codeAsked = 0;
async function renderCode() {
  let s; try { s = serverSpec(state()); } catch { $('code').textContent = '(the options are not valid JSON)'; return; }
  if (s.mode === 'raw') { $('code').textContent = 'Raw mode: the test API sends exactly the headers you typed.'; return; }
  // Written by the server (src/playground/snippets.ts), the code the tests run in the real packages.
  const asked = ++codeAsked;
  const answer = await (await fetch('/api/snippets', { method: 'POST', body: JSON.stringify({ options: s.options, request: requestSpec(state()) }) })).json();
  if (asked === codeAsked) $('code').textContent = answer.code;
}

for (const g of GALLERY) {
  const b = document.createElement('button'); b.className = 'secondary'; b.type = 'button'; b.textContent = g.title; b.title = g.note;
  b.addEventListener('click', () => { load({ ...g.state, target: '' }); $('note').textContent = g.note; send(); });
  $('gallery').append(b);
}
$('mode').addEventListener('change', () => { showMode(); renderCode(); });
for (const k of FORM) $('f-' + k).addEventListener('input', formToJson);
$('options').addEventListener('input', jsonToForm);
for (const id of ['options', 'method', 'headers', 'body', 'credentials']) $(id).addEventListener('input', renderCode);
$('send').addEventListener('click', send);
// A shared link was made by Send: opening it sends again, so it shows its result, not only its inputs.
if (location.hash.length > 1) { try { load(JSON.parse(decodeURIComponent(escape(atob(location.hash.slice(1)))))); send(); } catch {} } else load(GALLERY[0].state);
document.body.dataset.ready = 'yes';
`;

export function playgroundPage(apiUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>corsica playground</title><style>${STYLE}</style></head>
<body data-api="${apiUrl}">
<header><h1>corsica playground</h1><p>See CORS happen in your own browser, with the reason for every verdict. The page is on this origin; the test API is on <code>${apiUrl}</code>. Pitfall numbers are those of the article corsica started from, “Cross-Origin Resource Sharing (CORS)” by Bilal Ul Haque (DEV Community).</p></header>
<main>
<section class="wide" aria-labelledby="g"><h2 id="g">Scenarios</h2><div id="gallery"></div><p id="note" aria-live="polite"></p></section>
<section aria-labelledby="s"><h2 id="s">Server (the test API)</h2>
<label for="mode">Mode</label><select id="mode"><option value="policy">corsica policy</option><option value="raw">raw headers (reproduce a broken server)</option></select>
<div id="policyPane">
<fieldset id="form"><legend>Form (writes the JSON below)</legend>
<label for="f-origin">Allowed origins (one per line, or *)</label><textarea id="f-origin" rows="2" spellcheck="false"></textarea>
<div class="row"><div><label for="f-methods">Methods</label><input id="f-methods" placeholder="GET,HEAD,PUT,PATCH,POST,DELETE"></div><div><label for="f-maxAge">Max age (s)</label><input id="f-maxAge" inputmode="numeric"></div></div>
<div class="row"><div><label for="f-allowedHeaders">Allowed headers</label><input id="f-allowedHeaders" placeholder="(reflect the request's)"></div><div><label for="f-exposedHeaders">Exposed headers</label><input id="f-exposedHeaders"></div></div>
<label><input type="checkbox" id="f-credentials" style="width:auto"> credentials</label>
</fieldset>
<label for="options">corsica options (JSON)</label><textarea id="options" rows="8" spellcheck="false"></textarea></div>
<div id="rawPane" hidden>
<div class="row"><div><label for="preflightStatus">Preflight status</label><input id="preflightStatus" value="204" inputmode="numeric"></div><div><label for="actualStatus">Response status</label><input id="actualStatus" value="200" inputmode="numeric"></div></div>
<label for="preflightHeaders">Preflight response headers (Name: value per line)</label><textarea id="preflightHeaders" rows="4" spellcheck="false"></textarea>
<label for="actualHeaders">Response headers</label><textarea id="actualHeaders" rows="4" spellcheck="false"></textarea>
</div></section>
<section aria-labelledby="r"><h2 id="r">Request (fetch from this page)</h2>
<div class="row"><div><label for="method">Method</label><input id="method" value="GET"></div><div><label for="credentials"><input type="checkbox" id="credentials" style="width:auto"> credentials: 'include'</label></div></div>
<label for="headers">Headers (Name: value per line)</label><textarea id="headers" rows="3" spellcheck="false"></textarea>
<label for="body">Body</label><textarea id="body" rows="2" spellcheck="false"></textarea>
<label for="target">Or probe another URL (leave empty for the test API)</label><input id="target" placeholder="https://api.example.com/items" type="url">
<p><button id="send" type="button">Send</button></p></section>
<section id="results" aria-live="polite"><h2>What happened</h2><div id="output"><p>Pick a scenario or press Send.</p></div></section>
<section class="wide" aria-labelledby="c"><h2 id="c">Code for this policy</h2><pre id="code"></pre></section>
</main>
<script>${SCRIPT}</script>
</body></html>`;
}
