// How a record reads in the extension's pages: one line per request (requests.html, the popup and
// the panel's list, each with data- attributes automation reads) and the whole explanation (the
// panel). Every string that came from a server or a page is escaped.

import { BROWSER_NAMES } from '../check/engines.js';
import type { CorsRecord } from './api.js';
import { UNSEEN_VALUE } from './judge.js';

/**
 * Puts markup built by this module (every outside string through esc) into an element, parsed as
 * an inert document first rather than through innerHTML.
 */
export function setHtml(element: Element, html: string): void {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  element.replaceChildren(...Array.from(parsed.body.childNodes));
}

export const esc = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const VERDICT_WORDS: Readonly<Record<string, string>> = {
  allowed: 'allowed',
  blocked: 'blocked',
  'network-error': 'network error',
  pending: 'waiting…',
};

/** One request as a list item, with the attributes the tests and other tools read. */
export function recordItem(r: CorsRecord, link = true): string {
  const j = r.judgement;
  const attrs = [
    ['id', r.id],
    ['url', r.url],
    ['method', r.method],
    ['initiator', r.initiator],
    ['verdict', j.verdict],
    ['code', j.code],
    ['alt-code', j.altCode ?? ''],
    ['warnings', (j.report?.warnings ?? []).map((w) => w.code).join(',')],
    ['tab', r.tabId],
  ]
    .map(([k, v]) => `data-${k}="${esc(v)}"`)
    .join(' ');
  const warn = (j.report?.warnings.length ?? 0) > 0 ? ' <span class="warn">⚠</span>' : '';
  const code = j.code === '' ? '' : ` <code>${esc(j.code)}</code>`;
  const url = link ? `<a href="panel.html?id=${encodeURIComponent(r.id)}">${esc(r.url)}</a>` : esc(r.url);
  return `<li class="req ${esc(j.verdict)}" ${attrs}><span class="verdict">${esc(VERDICT_WORDS[j.verdict] ?? j.verdict)}</span>${warn} <strong>${esc(r.method)}</strong> ${url} <span class="from">from ${esc(r.initiator)}</span>${code}</li>`;
}

function headerBlock(headers: Record<string, string> | readonly (readonly [string, string])[]): string {
  const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
  return `<pre>${pairs.map(([n, v]) => `${esc(n)}: ${esc(v)}`).join('\n')}</pre>`;
}

function exchanges(r: CorsRecord): string {
  const list = r.judgement.report?.exchanges ?? [];
  if (list.length === 0) return '';
  const items = list.map((x) => {
    const kind =
      x.request.method === 'OPTIONS' && 'Access-Control-Request-Method' in x.request.headers
        ? 'preflight'
        : 'request';
    const answer =
      x.response === null
        ? '<p>no answer</p>'
        : `<p>← ${esc(x.response.status)}</p>${headerBlock(x.response.headers)}`;
    return `<li><p>${kind}: <strong>${esc(x.request.method)}</strong> ${esc(x.request.url)}</p>${headerBlock(x.request.headers)}${answer}</li>`;
  });
  return `<h3>What went over the wire</h3><ol class="exchanges">${items.join('')}</ol>`;
}

function fixTable(r: CorsRecord): string {
  const fix = r.judgement.report?.error?.fix;
  if (fix === undefined) return '';
  const rows = (['corsica', 'cors', 'fastify', 'hono', 'nginx'] as const)
    .map((k) => `<tr><th>${k}</th><td><code>${esc(fix[k])}</code></td></tr>`)
    .join('');
  return `<h3>Fix</h3><p id="fix">${esc(fix.summary)}</p><table class="fix">${rows}</table>`;
}

function engines(r: CorsRecord): string {
  const items = r.judgement.others.map((o) => {
    const what =
      o.verdict === 'unknown'
        ? 'unknown: it would send requests this browser did not'
        : `${VERDICT_WORDS[o.verdict]}${o.key === null ? '' : ` (${esc(o.key)})`}`;
    return `<li data-engine="${esc(o.engine)}" data-verdict="${esc(o.verdict)}">${esc(BROWSER_NAMES[o.engine])}: ${what}</li>`;
  });
  return `<h3>In each browser</h3><ul id="engines">${items.join('')}</ul>`;
}

/**
 * The CLI's warnings on an allowed answer, and one it cannot give without a probe: `corsica check`
 * sends a second request with an origin nobody trusts to see whether the server echoes any origin;
 * the extension sends nothing, so it says where that probe matters.
 */
function warnings(r: CorsRecord): string {
  const report = r.judgement.report;
  const items = (report?.warnings ?? []).map(
    (w) =>
      `<li class="warn" data-code="${esc(w.code)}">⚠ ${esc(w.code)}${w.pitfall === undefined ? '' : ` (pitfall ${w.pitfall})`}: ${esc(w.message)} ${esc(w.fix)}</li>`,
  );
  const answer = report?.actual?.response?.headers ?? [];
  const get = (name: string) => answer.find(([n]) => n.toLowerCase() === name)?.[1];
  if (
    report?.verdict === 'allowed' &&
    get('access-control-allow-origin') === r.initiator &&
    get('access-control-allow-credentials') === 'true'
  )
    items.push(
      `<li class="warn" data-code="ECHOES_ORIGIN_WITH_CREDENTIALS">⚠ The answer names this page's origin with credentials. If the server echoes any origin, any site can read your users' data: run the command below, which probes with an origin nobody trusts (the extension sends no request of its own).</li>`,
    );
  return items.length === 0 ? '' : `<h3>Allowed, but</h3><ul id="warnings">${items.join('')}</ul>`;
}

/** What the model had to assume, said plainly. */
function caveats(r: CorsRecord): string {
  const j = r.judgement;
  const lines = [...j.notes];
  if (!j.headersSeen)
    lines.push(
      `The browser stopped at the preflight and never sent the request, so its header values are unknown (shown as ${UNSEEN_VALUE}).`,
    );
  if (!j.credentialsSeen && j.credentials === 'include')
    lines.push(
      "Nothing on the wire showed credentials; only credentials: 'include' explains what the browser did, so it is judged with them.",
    );
  return lines.length === 0
    ? ''
    : `<ul class="caveats">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

/** The whole explanation of one request, for the panel. */
export function detail(r: CorsRecord): string {
  const j = r.judgement;
  const report = j.report;
  const error = report?.error;
  const lines = (error?.reason.lines ?? []).map((l) => `<p class="console">${esc(l.text)}</p>`).join('');
  const blockedPart =
    error === null || error === undefined
      ? report?.typeError
        ? `<p id="typeError">No answer: ${esc(report.typeError)} (a network error, not a CORS refusal).</p>`
        : ''
      : `<h3>The browser says</h3><div id="message">${lines}</div><h3>Cause</h3><p id="cause">${esc(error.cause)}</p>${fixTable(r)}`;
  return `<article class="detail ${esc(j.verdict)}" data-id="${esc(r.id)}" data-verdict="${esc(j.verdict)}" data-code="${esc(j.code)}">
<h2><span class="verdict">${esc(VERDICT_WORDS[j.verdict] ?? j.verdict)}</span> <strong>${esc(r.method)}</strong> ${esc(r.url)}</h2>
<p class="from">from ${esc(r.initiator)}${report?.preflightNeeded ? ` · preflight needed: ${esc(report.preflightReasons.join('; '))}` : ' · no preflight needed'}</p>
${blockedPart}${warnings(r)}${engines(r)}
<h3>Reproduce</h3><pre id="command">${esc(j.command)}</pre><button id="copy" type="button">Copy as corsica check</button>
${caveats(r)}${exchanges(r)}
</article>`;
}
