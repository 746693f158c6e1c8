// The Public Suffix List itself (tldts, about 130 KB of code) and the table of names with public
// suffixes under them, in a file of their own so that only what needs them loads them:
// src/syntax/public-suffix.ts requires this file on its first question. It registers them on
// globalThis, where that module finds them: so an app bundled for an edge runtime, where no file
// can be required on demand, makes them available with `import 'corsica/public-suffix-list'`, and
// ES module and CommonJS copies of corsica in one process share one list.
'use strict';

const { getPublicSuffix, parse } = require('tldts');
// The TypeScript module itself: tsx (running the sources) and esbuild (the build) both read it.
const { SUFFIX_PARENTS } = require('./public-suffix-parents.ts');

// Registered, not exported: 'corsica/public-suffix-list' is imported for this effect alone.
globalThis[Symbol.for('corsica.publicSuffixList')] = { getPublicSuffix, parse, SUFFIX_PARENTS };
