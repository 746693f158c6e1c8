// The one error class of an audit's input (a URL, an origin, a header, an OpenAPI file...): the
// command line prints its message as one line and exits 2.

/** The URL, origin, headers, limits or API description of an audit are not usable as written. */
export class AuditInputError extends Error {
  override readonly name: string = 'AuditInputError';
}
