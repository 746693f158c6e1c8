// The published corsica/browser: the browser model (src/browser/), which says what a browser does
// and says, and the advice on a failure it finds (src/advice/), which says why and what to change.
// Two layers inside corsica, one entry for users. Only what the README's "API reference" lists is
// exported (test/package/surface.test.ts).

export { type Advice, adviceFor, type Fix } from '../advice/index.js';
export * from '../browser/index.js';
