// `express4` is Express 4 installed under an alias (npm:express@^4) beside Express 5; its API is
// close enough to @types/express for the tests that run both.
declare module 'express4' {
  import express = require('express');
  export = express;
}

// Fastify 4 and Koa 2 are installed under aliases beside Fastify 5 and Koa 3.
declare module 'fastify4' {
  import fastify = require('fastify');
  export = fastify;
}
declare module 'koa2' {
  import Koa = require('koa');
  export = Koa;
}
