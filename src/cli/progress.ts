// A progress line for long audits (--openapi on hundreds of paths): written over itself on
// stderr when stderr is a terminal, and never otherwise (CI logs and pipes get nothing).

import { visible } from './terminal.js';

/** What a progress line is written to: stderr, or a test's stand-in. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** Shows `done` of `planned` probes, and what is being audited. */
  update(done: number, planned: number, what: string): void;
  /** Erases the line, so that the report starts on a clean one. */
  end(): void;
}

/** Erase the line and go back to its start (ECMA-48 EL). */
const CLEAR = '\r\x1b[2K';
/** Redraws at most this often: a terminal need not see every probe. */
const EVERY_MS = 100;

export function progressLine(stream: ProgressStream): Progress {
  if (stream.isTTY !== true) return { update() {}, end() {} };
  let shown = false;
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(done, planned, what) {
      const now = performance.now();
      if (done < planned && now - last < EVERY_MS) return;
      last = now;
      shown = true;
      stream.write(`${CLEAR}corsica audit: ${done}/${planned} probes, ${visible(what)}`);
    },
    end() {
      if (shown) stream.write(CLEAR);
      shown = false;
    },
  };
}
