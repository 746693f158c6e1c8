// An Express app that says no to CORS in each of the ways the `cors` package knows, written as apps
// written against `cors` do: a strict app-wide `app.options(*)` in front of a public router with its
// own `cors()`, an origin function that refuses requests without Origin, `origin: false`, a delegate
// answering `{ origin: false }`, and `preflightContinue`. Built with `cors` or `corsica/node`, on
// Express 4 or 5, it must answer the same (test/node/cors-refusals.test.ts, and in Chromium
// test/e2e/browser-refusals.test.ts).

import type { RequestHandler } from 'express';
import express from 'express';
import express4 from 'express4';

/** `cors` or `corsica/node`: a factory of (req, res, next) middleware. */
export type CorsFactory = (options?: unknown) => RequestHandler;

/** The one origin the strict policy lets in. */
export const PARTNER = 'https://partner.example';

export const EXPRESS = { 'Express 4': express4 as unknown as typeof express, 'Express 5': express } as const;
export type ExpressName = keyof typeof EXPRESS;

/** The strict origin function: callers without an Origin are refused with an error, as apps do. */
function strictOrigin(origin: string | undefined, cb: (err: Error | null, allow?: boolean) => void): void {
  if (!origin) {
    cb(new Error('an Origin header is required'));
    return;
  }
  cb(null, origin === PARTNER);
}

export function buildRefusingApp(name: ExpressName, cors: CorsFactory): ReturnType<typeof express> {
  const app = EXPRESS[name]();
  const answer: RequestHandler = (req, res) => {
    res.send(`app answered ${req.method}`);
  };
  // `origin: false` and a delegate's `{ origin: false }`: CORS off, every request reaches the app.
  app.use('/off', cors({ origin: false }));
  app.all('/off/items', answer);
  app.use(
    '/delegate-off',
    cors((_req: unknown, cb: (err: null, options: unknown) => void) => cb(null, { origin: false })),
  );
  app.all('/delegate-off/items', answer);
  // A delegate answering with the strict origin function.
  app.use(
    '/delegate-fn',
    cors((_req: unknown, cb: (err: null, options: unknown) => void) => cb(null, { origin: strictOrigin })),
  );
  app.all('/delegate-fn/items', answer);
  // preflightContinue with an origin function that refuses everyone.
  app.use(
    '/continue',
    cors({
      origin: (_o: string, cb: (e: null, a: boolean) => void) => cb(null, false),
      preflightContinue: true,
    }),
  );
  app.all('/continue/items', answer);
  // A private route guarded by the strict function: requests without Origin are refused (403).
  const strict = { origin: strictOrigin, credentials: true };
  app.get('/private/items', cors(strict), (_req, res) => {
    res.json({ secret: 42 });
  });
  // The strict policy answers every preflight app-wide, in front of a public router with its own cors().
  app.options(name === 'Express 4' ? '*' : '/{*path}', cors(strict));
  const open = EXPRESS[name].Router();
  open.use(cors());
  open.get('/items', (_req, res) => {
    res.json({ public: true });
  });
  open.put('/items', (_req, res) => {
    res.json({ updated: true });
  });
  app.use('/public', open);
  app.use(((err, _req, res, _next) => {
    res.status(403).json({ error: (err as Error).message });
  }) as express.ErrorRequestHandler);
  return app;
}
