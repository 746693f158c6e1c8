// Prometheus metrics for the proxy (prom-client), one registry per proxy instance.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ProxyMetrics {
  readonly registry: Registry;
  /** Counts a finished request by outcome: proxied, preflight, or the refusal rule. */
  outcome(outcome: string): void;
  /** An upstream exchange begins. */
  begin(): void;
  /** It ended after `seconds`, with this outcome (no closure per request: the caller keeps the time). */
  end(outcome: string, seconds: number): void;
}

export function createMetrics(): ProxyMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'corsica_proxy_requests_total',
    help: 'Requests handled by the proxy, by outcome (proxied, preflight, or the rule that refused them).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'corsica_proxy_upstream_in_flight',
    help: 'Requests currently forwarded upstream.',
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'corsica_proxy_upstream_seconds',
    help: 'Time from forwarding a request to the end of its answer.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  // Bound children once: a label lookup per request is measurable on the hot path.
  const children = new Map<string, { inc(): void }>();
  return {
    registry,
    outcome(outcome) {
      let child = children.get(outcome);
      if (child === undefined) {
        child = requests.labels(outcome);
        children.set(outcome, child);
      }
      child.inc();
    },
    begin() {
      inFlight.inc();
    },
    end(outcome, seconds) {
      inFlight.dec();
      duration.observe(seconds);
      this.outcome(outcome);
    },
  };
}
