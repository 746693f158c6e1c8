// Preloaded (--require) into a child process that runs one of @fastify/cors's own test files from
// node_modules: the file's `require('..')` / `require('../')`, the plugin under test, gets
// corsica/fastify instead (its source, through tsx). Nothing else in the file changes. Each
// redirect is recorded in the file named by CORSICA_REDIRECT_LOG, so that the suite can tell a
// run against corsica from a run against @fastify/cors itself.
'use strict';

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const peerTests = path.join(path.dirname(require.resolve('@fastify/cors/package.json')), 'test');
const corsica = path.join(__dirname, '..', '..', 'src', 'adapters', 'fastify', 'index.ts');

let plugin;
const load = Module._load;
Module._load = function redirect(request, parent, isMain) {
  if (
    (request === '..' || request === '../') &&
    parent?.filename !== undefined &&
    path.dirname(parent.filename) === peerTests
  ) {
    if (plugin === undefined) {
      const exports = load.call(this, corsica, parent, isMain);
      // What require('@fastify/cors') returns: the plugin, with its names hung on it.
      plugin = Object.assign(exports.default, exports, { fastifyCors: exports.default });
    }
    if (process.env.CORSICA_REDIRECT_LOG) {
      fs.appendFileSync(process.env.CORSICA_REDIRECT_LOG, `${path.basename(parent.filename)}\n`);
    }
    return plugin;
  }
  return load.call(this, request, parent, isMain);
};
