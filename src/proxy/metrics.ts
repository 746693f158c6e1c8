// Prometheus metrics for the proxy (prom-client), one registry per proxy instance. A request only
// adds to plain numbers; prom-client reads them when /metrics is scraped. (prom-client's own
// updates cost a microsecond and more each under load, labelled counter and histogram together
// about 2 µs per request: several percent of what the proxy spends on one.)

import { Counter, Gauge, Registry } from 'prom-client';

export interface ProxyMetrics {
  readonly registry: Registry;
  /** Counts a finished request by outcome: proxied, preflight, or the refusal rule. */
  outcome(outcome: string): void;
  /** An upstream exchange begins. */
  begin(): void;
  /** It ended after `seconds`, with this outcome (no closure per request: the caller keeps the time). */
  end(outcome: string, seconds: number): void;
}

const DURATION = 'corsica_proxy_upstream_seconds';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The exchange durations as prom-client's registry reads a histogram (`get()`), from plain counts. */
class DurationHistogram {
  readonly name = DURATION;
  readonly help = 'Time from forwarding a request to the end of its answer.';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Observations per bucket (the last: above every bound), not yet cumulative. */
  private readonly counts = new Float64Array(BUCKETS.length + 1);
  private sum = 0;
  private count = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }

  get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    let cumulative = 0;
    for (let i = 0; i < BUCKETS.length; i++) {
      cumulative += this.counts[i]!;
      values.push({ labels: { le: BUCKETS[i]! }, value: cumulative, metricName: `${DURATION}_bucket` });
    }
    values.push({ labels: { le: '+Inf' }, value: this.count, metricName: `${DURATION}_bucket` });
    values.push({ labels: {}, value: this.sum, metricName: `${DURATION}_sum` });
    values.push({ labels: {}, value: this.count, metricName: `${DURATION}_count` });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export function createMetrics(): ProxyMetrics {
  const registry = new Registry();
  const outcomes = new Map<string, number>();
  let inFlight = 0;
  new Counter({
    name: 'corsica_proxy_requests_total',
    help: 'Requests handled by the proxy, by outcome (proxied, preflight, or the rule that refused them).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [outcome, n] of outcomes) this.inc({ outcome }, n);
    },
  });
  new Gauge({
    name: 'corsica_proxy_upstream_in_flight',
    help: 'Requests currently forwarded upstream.',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const duration = new DurationHistogram();
  registry.registerMetric(duration as never);
  return {
    registry,
    outcome(outcome) {
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    },
    begin() {
      inFlight++;
    },
    end(outcome, seconds) {
      inFlight--;
      duration.observe(seconds);
      this.outcome(outcome);
    },
  };
}
