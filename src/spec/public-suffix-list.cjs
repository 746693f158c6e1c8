// The Public Suffix List itself (tldts, about 130 KB of code), in a file of its own so that only
// what needs it loads it: src/spec/public-suffix.ts requires this file on its first question.
// It also registers the list on globalThis, so that an app bundled for an edge runtime, where
// no file can be required on demand, makes it available with `import 'corsica/public-suffix-list'`
// (and so that ES module and CommonJS copies of corsica in one process share one list).
'use strict';

const { getPublicSuffix } = require('tldts');

globalThis[Symbol.for('corsica.publicSuffixList')] = getPublicSuffix;
module.exports = { getPublicSuffix };
