// A command used wrongly: a missing argument, an unreadable file, a bad flag value. Printed as one
// line and exit code 2, without a stack trace.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
