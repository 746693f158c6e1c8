// explain: a pasted browser console message read back into its failure, its cause and fix, and the
// `corsica check` command that reproduces it.

export { type Explanation, explainMessage } from './explain-message.js';
