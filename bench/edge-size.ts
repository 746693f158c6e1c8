// What corsica adds to a Cloudflare Worker: corsica/fetch and corsica/hono bundled as wrangler
// bundles them (esbuild, minified, gzipped as Workers count a script's size), beside hono/cors,
// from the built package (npm run build first). Each CORS middleware alone, then each in a small
// Hono app (the increment over the same app without CORS), and whether the Public Suffix List is
// in the bundle (only with `import 'corsica/public-suffix-list'`, for subdomain patterns).
// Run: node --import tsx bench/edge-size.ts

import { bundleForWorkers, carriesPublicSuffixList } from '../test/helpers/workers-bundle.js';
import { PAGES_CONFIG } from './scenarios.js';

const ORIGINS = JSON.stringify(PAGES_CONFIG);
const HONO_APP = (use: string) => `import { Hono } from 'hono';
${use}
const app = new Hono();
${use === '' ? '' : `app.use('*', cors(${ORIGINS}));`}
app.get('/', (c) => c.text('ok'));
export default app;`;

const CASES: Readonly<Record<string, string>> = {
  'corsica/fetch (withCors)': `import { withCors } from 'corsica/fetch';
export default { fetch: withCors(() => new Response('ok'), ${ORIGINS}) };`,
  "corsica/fetch + 'corsica/public-suffix-list'": `import 'corsica/public-suffix-list';
import { withCors } from 'corsica/fetch';
export default { fetch: withCors(() => new Response('ok'), { origin: 'https://*.example.com' }) };`,
  'corsica/hono (cors)': `import { cors } from 'corsica/hono';\nexport default cors(${ORIGINS});`,
  'hono/cors (cors)': `import { cors } from 'hono/cors';\nexport default cors(${ORIGINS});`,
  'Hono app, no CORS': HONO_APP(''),
  'Hono app + corsica/hono': HONO_APP("import { cors } from 'corsica/hono';"),
  'Hono app + hono/cors': HONO_APP("import { cors } from 'hono/cors';"),
};

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const sizes: Record<string, { bytes: number; gzipped: number }> = {};
process.stdout.write(
  '| bundle | minified | gzipped | + over the bare Hono app (gzipped) | Public Suffix List |\n',
);
process.stdout.write('|---|---:|---:|---:|---|\n');
for (const [name, source] of Object.entries(CASES)) {
  const bundle = await bundleForWorkers(source, { minify: true });
  sizes[name] = bundle;
  const bare = sizes['Hono app, no CORS'];
  const over = name.startsWith('Hono app +') && bare ? `+${kib(bundle.gzipped - bare.gzipped)}` : '';
  process.stdout.write(
    `| ${name} | ${kib(bundle.bytes)} | ${kib(bundle.gzipped)} | ${over} | ${carriesPublicSuffixList(bundle) ? 'in' : 'out'} |\n`,
  );
}
