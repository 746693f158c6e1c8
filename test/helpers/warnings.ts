// The CorsicaWarnings a piece of code emits, caught from process 'warning' events (corsica emits
// them with process.emitWarning, once per process and code, on the next tick).

export interface EmittedWarning {
  readonly code: string;
  readonly message: string;
}

/** The CorsicaWarnings emitted while `fn` runs (and on the tick after it). */
export async function warningsDuring(fn: () => unknown): Promise<EmittedWarning[]> {
  const seen: EmittedWarning[] = [];
  const listener = (w: Error & { code?: string }) => {
    if (w.name === 'CorsicaWarning') seen.push({ code: w.code ?? '', message: w.message });
  };
  process.on('warning', listener);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}
