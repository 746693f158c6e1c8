// The SARIF 2.1.0 schema as Microsoft's SARIF tools ship it (@microsoft/jest-sarif), compiled
// with Ajv for draft-04; its patterns predate the u flag.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// CommonJS modules whose default export TypeScript reads as the namespace: loaded as Node loads them.
const Ajv: typeof import('ajv-draft-04').default = require('ajv-draft-04');
const addFormats: typeof import('ajv-formats').default = require('ajv-formats');

const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);

/** Whether a value is a valid SARIF 2.1.0 log; `validSarif.errors` says why not. */
export const validSarif = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
