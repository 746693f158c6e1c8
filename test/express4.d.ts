// `express4` is Express 4 installed under an alias (npm:express@^4) beside Express 5; its API is
// close enough to @types/express for the tests that run both.
declare module 'express4' {
  import express = require('express');
  export = express;
}
