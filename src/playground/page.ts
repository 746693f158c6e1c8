// The playground page: plain HTML, CSS and a small script (page-script.ts; no framework), so it
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

/** The page; `token` is this start's, which the page's script sends with every call to its API. */
export function playgroundPage(apiUrl: string, token: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="corsica-token" content="${token}"><title>corsica playground</title><style>${STYLE}</style></head>
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
<p><button id="send" type="button">Send</button> <button id="audit" class="secondary" type="button">Audit this API</button></p></section>
<section id="results" aria-live="polite"><h2>What happened</h2><div id="output"><p>Pick a scenario or press Send.</p></div></section>
<section class="wide" aria-labelledby="c"><h2 id="c">Code for this policy</h2><pre id="code"></pre></section>
</main>
<script type="application/json" id="gallery-data">${JSON.stringify(GALLERY).replace(/</g, '\\u003c')}</script>
<script type="module" src="/page-script.js"></script>
</body></html>`;
}
