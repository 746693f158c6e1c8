// The Public Suffix List itself (tldts, about 130 KB of code) and the table of names with public
// suffixes under them, in a file of their own so that only what needs them loads them:
// src/spec/public-suffix.ts requires this file on its first question. It also registers them on
// globalThis, so that an app bundled for an edge runtime, where no file can be required on demand,
// makes them available with `import 'corsica/public-suffix-list'` (and so that ES module and
// CommonJS copies of corsica in one process share one list).
'use strict';

const { getPublicSuffix } = require('tldts');
// The TypeScript module itself: tsx (running the sources) and esbuild (the build) both read it.
const { SUFFIX_PARENTS } = require('./public-suffix-parents.ts');

const list = { getPublicSuffix, SUFFIX_PARENTS };
globalThis[Symbol.for('corsica.publicSuffixList')] = list;
module.exports = list;
