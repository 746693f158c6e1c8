// The playground's one-click scenarios: the seed article's situations and pitfalls, and the errors
// people actually hit (auth before CORS, no OPTIONS route, a 500 without headers, a redirected
// preflight). PAGE_ORIGIN stands for the page's own origin, filled in by the page.

export interface Scenario {
  readonly title: string;
  /** What the scenario shows, in one or two sentences. */
  readonly note: string;
  /** Form values, by field id. */
  readonly state: Readonly<Record<string, string | boolean>>;
}

const base = {
  mode: 'policy',
  preflightStatus: '204',
  preflightHeaders: '',
  actualStatus: '200',
  actualHeaders: '',
  method: 'GET',
  headers: '',
  body: '',
  credentials: false,
};
const options = (o: object) => JSON.stringify(o, null, 2);

export const GALLERY: readonly Scenario[] = [
  {
    title: 'Simple request',
    note: 'A GET with no custom headers needs no preflight; the answer names this page as allowed.',
    state: { ...base, options: options({ origin: ['PAGE_ORIGIN'] }) },
  },
  {
    title: 'JSON POST (preflight)',
    note: 'Content-Type: application/json is not a "simple" type, so the browser asks first with OPTIONS.',
    state: {
      ...base,
      options: options({ origin: ['PAGE_ORIGIN'], allowedHeaders: ['Content-Type'] }),
      method: 'POST',
      headers: 'Content-Type: application/json',
      body: '{"name":"corsica"}',
    },
  },
  {
    title: 'Header not allowed',
    note: 'The page sends X-Api-Key, which the policy does not list: the preflight answer does not cover it.',
    state: {
      ...base,
      options: options({ origin: ['PAGE_ORIGIN'], allowedHeaders: ['Content-Type'] }),
      headers: 'X-Api-Key: secret',
    },
  },
  {
    title: 'Credentials with *',
    note: 'Pitfall 7: with credentials, browsers refuse Access-Control-Allow-Origin: *. corsica refuses such a configuration, so this is raw mode.',
    state: {
      ...base,
      mode: 'raw',
      actualHeaders: 'Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true',
      credentials: true,
    },
  },
  {
    title: 'Two origins in the header',
    note: 'Pitfall 2: the header takes one origin. A list (or the header twice) is refused; echo the one that matched.',
    state: {
      ...base,
      mode: 'raw',
      actualHeaders: 'Access-Control-Allow-Origin: PAGE_ORIGIN, https://other.example',
    },
  },
  {
    title: 'Wrong port',
    note: 'Pitfall 4: an origin is scheme, host and port. Allowing another port of the same host allows nothing here.',
    state: { ...base, options: options({ origin: ['http://127.0.0.1:1'] }) },
  },
  {
    title: 'Missing Vary',
    note: 'Pitfall 5: the browser allows this, but the answer depends on Origin without saying so (no Vary: Origin), so a shared cache may hand it to another site. corsica always sends Vary.',
    state: { ...base, mode: 'raw', actualHeaders: 'Access-Control-Allow-Origin: PAGE_ORIGIN' },
  },
  {
    title: 'Unexposed header',
    note: 'Pitfall 6: the API sends X-Total-Count, but without Access-Control-Expose-Headers the page cannot read it. Add exposedHeaders to see it appear.',
    state: { ...base, options: options({ origin: ['PAGE_ORIGIN'] }) },
  },
  {
    title: 'Preflight 401 (auth before CORS)',
    note: 'The most common cause of "No Access-Control-Allow-Origin header": authentication runs before CORS and answers the preflight 401. A preflight never carries cookies or Authorization, so it can never pass; CORS must answer it first.',
    state: {
      ...base,
      mode: 'raw',
      preflightStatus: '401',
      method: 'PUT',
      headers: 'Authorization: Bearer token',
    },
  },
  {
    title: 'Preflight 404 (no OPTIONS route)',
    note: 'CORS set up on the GET route only (app.get("/x", cors(), ...)): nothing answers OPTIONS, so the preflight gets 404. Mount CORS app-wide.',
    state: { ...base, mode: 'raw', preflightStatus: '404', method: 'DELETE' },
  },
  {
    title: '500 without CORS headers',
    note: 'The handler crashed and the error answer skipped the CORS headers: the browser shows a CORS error and hides the 500. Fix the error, and keep CORS headers on error answers.',
    state: { ...base, mode: 'raw', actualStatus: '500' },
  },
  {
    title: 'Redirect on a preflight',
    note: 'A trailing-slash or http-to-https redirect answers the preflight with 3xx: browsers never follow redirects on preflights.',
    state: {
      ...base,
      mode: 'raw',
      preflightStatus: '301',
      preflightHeaders: 'Location: /items/\nAccess-Control-Allow-Origin: PAGE_ORIGIN',
      method: 'PUT',
    },
  },
  {
    title: 'Private Network Access',
    note: 'privateNetwork answers legacy PNA preflights (Access-Control-Request-Private-Network). Chromium now uses Local Network Access instead: a permission prompt, no headers; loopback to loopback does not prompt.',
    state: { ...base, options: options({ origin: ['PAGE_ORIGIN'], privateNetwork: true }), method: 'PUT' },
  },
];
