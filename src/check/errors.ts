// Errors of the check engine: a request to check that cannot be made as written. The command
// line shows them as usage errors (exit 2); the playground as a message beside the form.

/** The URL, origin, headers or timeout of a check are not what a page could send. */
export class CheckInputError extends Error {
  override readonly name = 'CheckInputError';
}
