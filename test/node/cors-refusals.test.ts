// Every way of saying no, as the `cors` package means it: the same Express app (Express 4 and 5),
// built once with `cors` and once with corsica/node, gets the same requests and must give the same
// answers. The one documented difference (docs/migrating-from-cors.md) is `Vary: Origin` on a
// refusal, which a cache needs and which allows nothing.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import corsPackage from 'cors';
import corsica from '../../src/adapters/node/index.js';
import { close, corsHeadersOf, listen, type RawResponse, send, varyNames } from '../helpers/http.js';
import {
  buildRefusingApp,
  type CorsFactory,
  EXPRESS,
  type ExpressName,
  PARTNER,
} from '../helpers/refusing-app.js';
import { warningsDuring } from '../helpers/warnings.js';

const SITE = 'https://site.example';
const preflight = (origin: string, method = 'PUT') => ({
  origin,
  'access-control-request-method': method,
  'access-control-request-headers': 'content-type',
});

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** What both must answer. */
  readonly status: number;
  readonly body: string | RegExp;
  readonly acao?: string;
}

const CASES: readonly Case[] = [
  {
    name: 'a preflight the strict app-wide function refuses falls through to the public router, which allows it',
    method: 'OPTIONS',
    path: '/public/items',
    headers: preflight(SITE),
    status: 204,
    body: '',
    acao: '*',
  },
  {
    name: 'the actual request after it is readable',
    method: 'PUT',
    path: '/public/items',
    headers: { origin: SITE },
    status: 200,
    body: '{"updated":true}',
    acao: '*',
  },
  {
    name: 'a preflight the strict function allows is answered by it',
    method: 'OPTIONS',
    path: '/public/items',
    headers: preflight(PARTNER),
    status: 204,
    body: '',
    acao: PARTNER,
  },
  {
    name: 'a request without Origin reaches the origin function, whose error becomes 403',
    method: 'GET',
    path: '/private/items',
    headers: {},
    status: 403,
    body: '{"error":"an Origin header is required"}',
  },
  {
    name: 'a refused origin on an actual request reaches the app without CORS headers',
    method: 'GET',
    path: '/private/items',
    headers: { origin: SITE },
    status: 200,
    body: '{"secret":42}',
  },
  {
    name: 'a refused preflight with no later handler gets the framework answer, not a CORS grant',
    method: 'OPTIONS',
    path: '/private/items',
    headers: preflight(SITE, 'GET'),
    status: 200,
    body: /^GET, ?HEAD$/,
  },
  {
    name: 'origin: false hands a preflight to the app',
    method: 'OPTIONS',
    path: '/off/items',
    headers: preflight(SITE),
    status: 200,
    body: 'app answered OPTIONS',
  },
  {
    name: 'origin: false hands a request to the app without CORS headers',
    method: 'GET',
    path: '/off/items',
    headers: { origin: SITE },
    status: 200,
    body: 'app answered GET',
  },
  {
    name: "a delegate's { origin: false } hands a preflight to the app",
    method: 'OPTIONS',
    path: '/delegate-off/items',
    headers: preflight(SITE),
    status: 200,
    body: 'app answered OPTIONS',
  },
  {
    name: "a delegate's origin function refusing hands a preflight to the app",
    method: 'OPTIONS',
    path: '/delegate-fn/items',
    headers: preflight(SITE),
    status: 200,
    body: 'app answered OPTIONS',
  },
  {
    name: "a delegate's origin function is asked about a request without Origin too",
    method: 'GET',
    path: '/delegate-fn/items',
    headers: {},
    status: 403,
    body: '{"error":"an Origin header is required"}',
  },
  {
    name: "a preflight from the opaque origin 'null' falls through to the public router as well",
    method: 'OPTIONS',
    path: '/public/items',
    headers: preflight('null'),
    status: 204,
    body: '',
    acao: '*',
  },
  {
    name: 'an origin function refusing under preflightContinue hands the preflight on',
    method: 'OPTIONS',
    path: '/continue/items',
    headers: preflight(SITE),
    status: 200,
    body: 'app answered OPTIONS',
  },
];

for (const name of Object.keys(EXPRESS) as ExpressName[]) {
  describe(`every way of saying no answers as cors does (${name})`, () => {
    const servers: Server[] = [];
    let theirs: string;
    let ours: string;

    before(async () => {
      const start = async (factory: CorsFactory) => {
        const { server, url } = await listen(buildRefusingApp(name, factory) as never);
        servers.push(server);
        return url;
      };
      theirs = await start(corsPackage as unknown as CorsFactory);
      ours = await start(corsica as unknown as CorsFactory);
    });
    after(async () => {
      for (const s of servers) await close(s);
    });

    const expectOne = (who: string, r: RawResponse, c: Case) => {
      assert.equal(r.status, c.status, `${who} status`);
      if (typeof c.body === 'string') assert.equal(r.body, c.body, `${who} body`);
      else assert.match(r.body, c.body, `${who} body`);
      assert.equal(r.headers['access-control-allow-origin'], c.acao, `${who} Access-Control-Allow-Origin`);
    };

    for (const c of CASES) {
      it(c.name, async () => {
        const [a, b] = await Promise.all([
          send(`${theirs}${c.path}`, c.method, c.headers),
          send(`${ours}${c.path}`, c.method, c.headers),
        ]);
        expectOne('cors', a, c);
        expectOne('corsica', b, c);
        if (c.acao === undefined || c.acao === '*')
          assert.deepEqual(corsHeadersOf(b.headers), corsHeadersOf(a.headers), 'CORS headers');
        // corsica's Vary is cors's, plus Origin where the answer depended on it.
        const extra = varyNames(b).filter((v) => !varyNames(a).includes(v));
        assert.ok(
          extra.every((v) => v === 'origin'),
          `Vary: cors ${a.headers.vary}, corsica ${b.headers.vary}`,
        );
      });
    }
  });
}

describe('a misspelt option: cors ignores it and opens the API, corsica refuses to start', () => {
  for (const name of Object.keys(EXPRESS) as ExpressName[])
    it(`cors({ orign }) answers '*' to every site, corsica/node throws OPTION_MISSPELLED (${name})`, async () => {
      const app = EXPRESS[name]();
      app.use(corsPackage({ orign: PARTNER } as never));
      app.get('/x', (_req, res) => {
        res.send('secret');
      });
      const { server, url } = await listen(app as never);
      try {
        const r = await send(`${url}/x`, 'GET', { origin: SITE });
        assert.equal(r.headers['access-control-allow-origin'], '*', 'what cors does with the typo');
      } finally {
        await close(server);
      }
      assert.throws(
        () => EXPRESS[name]().use(corsica({ orign: PARTNER } as never)),
        (err: Error & { problems?: { code: string }[] }) =>
          err.name === 'CorsConfigError' &&
          err.problems?.[0]?.code === 'OPTION_MISSPELLED' &&
          err.message.includes("orign: 'orign' is not a corsica option; it looks like 'origin' misspelt"),
      );
    });

  it('a key far from every option name warns and changes nothing: both answer alike', async () => {
    const options = { origin: PARTNER, whitelist: [SITE] };
    const codes = (await warningsDuring(() => corsica(options as never))).map((w) => w.code);
    assert.deepEqual(codes, ['CORSICA_UNKNOWN_OPTION']);
    const answers = [];
    for (const factory of [corsPackage, corsica] as unknown as CorsFactory[]) {
      const app = EXPRESS['Express 5']();
      app.use(factory(options));
      app.get('/x', (_req, res) => {
        res.send('ok');
      });
      const { server, url } = await listen(app as never);
      try {
        answers.push(
          (await send(`${url}/x`, 'GET', { origin: PARTNER })).headers['access-control-allow-origin'],
        );
      } finally {
        await close(server);
      }
    }
    assert.deepEqual(answers, [PARTNER, PARTNER]);
  });
});
