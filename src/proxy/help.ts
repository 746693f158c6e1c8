// The help page at `/`: how to use this proxy, and what it will and will not do. "This instance"
// is one line per option that has one in src/proxy/option-table.ts. It never names an internal
// address: anyone can read it.

import { OPTION_ROWS } from './option-table.js';
import type { ResolvedProxyConfig } from './options.js';

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function helpPage(base: string, config: ResolvedProxyConfig): string {
  const instance = OPTION_ROWS.flatMap(([, row]) =>
    row.page === undefined ? [] : [`<li>${html(row.page(config))}</li>\n`],
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>corsica proxy</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code{background:#f2f2f2;padding:0 .2em}</style>
</head><body>
<h1>corsica proxy</h1>
<p>A CORS proxy: it forwards your page's request to another server and adds the CORS headers the browser needs.</p>
<h2>Use</h2>
<p>Put this proxy's address in front of the URL:</p>
<pre><code>fetch('${html(base)}https://api.example.com/items')
fetch('${html(base)}?url=' + encodeURIComponent('https://api.example.com/items?q=1'))</code></pre>
<p>Responses carry <code>x-request-url</code> and <code>x-final-url</code>, and every header is readable by the page.</p>
<h2>This instance</h2>
<ul>
${instance}</ul>
<p>Refusals are JSON: <code>{"error": {"rule", "message", "fix"}}</code>. Health: <code>/healthz</code>; metrics: <code>/metrics</code>.</p>
</body></html>
`;
}
