// How an audit sends its probes: one request each through the check transport, a few in flight at
// once, each answer cut down to what the rules read (kept-headers.ts), and a server that stops
// answering costs a few rounds of timeouts, not one per probe.

import type { Transport } from '../browser/index.js';
import type { ProbeRecord } from './finding.js';
import { keptHeaders } from './kept-headers.js';
import type { Probe } from './probes.js';
import { wireHeaders } from './rules.js';

/**
 * Header lines read of each answer: a real one has a few dozen; a hostile one of 12,000 lines,
 * times ~95 probes in flight eight at a time, once took the audit past 300 MiB.
 */
export const MAX_HEADER_LINES = 1000;

type Answer = ProbeRecord['response'];

function recordOf(
  probe: Probe,
  url: string,
  extra: readonly [string, string][],
  answer: Answer,
  error: string | null,
): ProbeRecord {
  const request = { method: probe.method, url, headers: wireHeaders(probe, extra) };
  return { kind: probe.kind, origin: probe.origin, request, response: answer, error };
}

async function send(
  transport: Transport,
  url: string,
  probe: Probe,
  extra: readonly [string, string][],
): Promise<ProbeRecord> {
  const record = recordOf(probe, url, extra, null, null);
  try {
    const response = await transport({ ...record.request, credentials: false });
    // Only what the rules read is kept, within fixed bounds: a hostile answer costs little memory.
    const { headers, dropped } = keptHeaders(response.headers);
    // At the cap, Node dropped lines past it too: at least one more than kept.
    const capped = response.headers.length >= MAX_HEADER_LINES ? 1 : 0;
    return {
      ...record,
      response: {
        status: response.status,
        headers,
        ...(dropped + capped > 0 ? { droppedLines: dropped + capped } : {}),
      },
    };
  } catch (err) {
    return { ...record, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of results. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface Sender {
  /** Sends probes, `concurrency` at a time, and keeps their records in order. */
  many(probes: readonly Probe[]): Promise<ProbeRecord[]>;
}

/**
 * A sender for one URL. After 2 x concurrency unanswered probes in a row the rest are not sent;
 * `sent` is told of every probe, sent or given up.
 */
export function sender(
  transport: Transport,
  url: string,
  extra: readonly [string, string][],
  concurrency: number,
  sent: () => void,
): Sender {
  let silentInARow = 0;
  const once = async (p: Probe): Promise<ProbeRecord> => {
    if (silentInARow >= 2 * concurrency) {
      sent();
      return recordOf(p, url, extra, null, 'not sent: the server had stopped answering');
    }
    const record = await send(transport, url, p, extra);
    silentInARow = record.response === null ? silentInARow + 1 : 0;
    sent();
    return record;
  };
  return { many: (probes) => pool(probes, concurrency, once) };
}
