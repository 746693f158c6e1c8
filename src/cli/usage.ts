// A command used wrongly: a missing argument, an unreadable file, a bad flag value. Printed as one
// line and exit code 2, without a stack trace.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A port given on the command line: a whole number from 0 to 65535, or a UsageError. */
export function portOption(flag: string, value: string): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`${flag} must be a port from 0 to 65535, not '${value}'`);
  return port;
}

/** A listen failure in words (a port in use, a port that needs privileges), or the error itself. */
export function listenFailure(err: unknown, what: string): unknown {
  const e = err as { code?: string; address?: string; port?: number };
  // Node leaves the port out of an EADDRNOTAVAIL error for port 0.
  const where =
    e.address === undefined ? '' : e.port === undefined ? ` ${e.address}` : ` ${e.address}:${e.port}`;
  if (e.code === 'EADDRINUSE')
    return new UsageError(
      `${what} cannot listen on${where}: the port is in use. Choose another with --port, or stop what listens there.`,
    );
  if (e.code === 'EACCES')
    return new UsageError(
      `${what} cannot listen on${where}: ports below 1024 need privileges. Choose a port from 1024 up with --port.`,
    );
  if (e.code === 'EADDRNOTAVAIL')
    return new UsageError(`${what} cannot listen on${where}: no such address on this machine. Check --host.`);
  return err;
}
