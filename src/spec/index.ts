// Primitives of the Fetch standard shared by the server half (policy) and the client half (browser).
export * from './header-list.js';
export * from './header-names.js';
export * from './methods.js';
export * from './origin-syntax.js';
export * from './tokens.js';
