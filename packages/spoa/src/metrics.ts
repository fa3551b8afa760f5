/** Upper bounds (seconds) of the processing-time histogram: around HAProxy's typical `timeout processing`. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Processing times kept for the quantiles (a ring: the most recent ones). */
const RESERVOIR = 10_000;
/** Distinct label values kept per counter; beyond, they are counted under `other` (bounded memory). */
const MAX_LABEL_VALUES = 1000;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** The most recent samples, for quantiles. */
class Reservoir {
  private readonly ring = new Float64Array(RESERVOIR);
  private length = 0;
  private next = 0;

  add(v: number): void {
    this.ring[this.next] = v;
    this.next = (this.next + 1) % RESERVOIR;
    if (this.length < RESERVOIR) this.length++;
  }

  get size(): number {
    return this.length;
  }

  quantile(q: number): number {
    if (this.length === 0) return Number.NaN;
    const sorted = Array.from(this.ring.subarray(0, this.length)).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  }

  clear(): void {
    this.length = 0;
    this.next = 0;
  }
}

class LabeledCounter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labels: readonly string[],
  ) {}

  inc(labelValues: readonly string[], by = 1): void {
    let key = labelValues.map(escapeLabel).join('\u0000');
    if (!this.values.has(key) && this.values.size >= MAX_LABEL_VALUES) key = this.labels.map(() => 'other').join('\u0000');
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labelValues: readonly string[]): number {
    return this.values.get(labelValues.map(escapeLabel).join('\u0000')) ?? 0;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const [key, v] of this.values) {
      const parts = key.split('\u0000');
      const labels = this.labels.map((l, i) => `${l}="${parts[i] ?? ''}"`).join(',');
      out += `${this.name}${labels ? `{${labels}}` : ''} ${v}\n`;
    }
    return out;
  }
}

/**
 * The agent's Prometheus metrics, rendered in the text exposition format (version 0.0.4) by hand: requests,
 * interruptions by rule, processing time (histogram, plus quantiles of the last 10,000 as a summary), SPOP and
 * inspection errors, reloads.
 */
export class Metrics {
  readonly inspections = new LabeledCounter('rampart_spoa_inspections_total', 'Inspections by application, direction and outcome (pass, interrupted, error).', ['app', 'direction', 'outcome']);
  readonly interruptions = new LabeledCounter('rampart_spoa_interruptions_total', 'Interrupted transactions by interrupting rule id and status.', ['rule_id', 'status']);
  readonly errors = new LabeledCounter('rampart_spoa_errors_total', 'Errors by kind: agent error codes (error variable), SPOP protocol errors, handler failures.', ['kind']);
  readonly reloads = new LabeledCounter('rampart_spoa_reloads_total', 'Rule reloads by result.', ['result']);
  private readonly bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private count = 0;
  private sum = 0;
  private readonly recent = new Reservoir();
  /** Only NOTIFYs whose request or response was inspected (not shed, not failed): the engine's real cost. */
  private readonly inspected = new Reservoir();
  ruleCount = 0;
  connections = 0;

  /** One NOTIFY answered, `seconds` after it arrived. */
  observeProcessing(seconds: number, inspected: boolean): void {
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.bucketCounts[i]!++;
    this.recent.add(seconds);
    if (inspected) this.inspected.add(seconds);
  }

  /** Quantile (0..1) of the recent processing times (all NOTIFYs, or only inspected ones), in seconds; NaN before any. */
  quantile(q: number, onlyInspected = false): number {
    return (onlyInspected ? this.inspected : this.recent).quantile(q);
  }

  get processed(): number {
    return this.count;
  }

  /** Forgets the processing-time samples (benchmarks measure one load phase). */
  resetProcessing(): void {
    this.bucketCounts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.recent.clear();
    this.inspected.clear();
  }

  render(): string {
    let out = '';
    out += this.inspections.render() + this.interruptions.render() + this.errors.render() + this.reloads.render();
    const h = 'rampart_spoa_processing_seconds';
    out += `# HELP ${h} Time from NOTIFY received to ACK ready, per NOTIFY (HAProxy's timeout processing must cover it).\n# TYPE ${h} histogram\n`;
    BUCKETS.forEach((b, i) => (out += `${h}_bucket{le="${b}"} ${this.bucketCounts[i]}\n`));
    out += `${h}_bucket{le="+Inf"} ${this.count}\n${h}_sum ${this.sum}\n${h}_count ${this.count}\n`;
    const s = 'rampart_spoa_processing_recent_seconds';
    out += `# HELP ${s} Quantiles of the last ${RESERVOIR} processing times.\n# TYPE ${s} summary\n`;
    for (const q of [0.5, 0.9, 0.99]) out += `${s}{quantile="${q}"} ${this.recent.quantile(q)}\n`;
    out += `${s}_sum ${this.sum}\n${s}_count ${this.count}\n`;
    const i = 'rampart_spoa_inspection_recent_seconds';
    out += `# HELP ${i} Quantiles of the processing time of the last ${RESERVOIR} NOTIFYs that were inspected (not shed or failed).\n# TYPE ${i} summary\n`;
    for (const q of [0.5, 0.9, 0.99]) out += `${i}{quantile="${q}"} ${this.inspected.quantile(q)}\n`;
    out += `# HELP rampart_spoa_rules Rules loaded (all applications).\n# TYPE rampart_spoa_rules gauge\nrampart_spoa_rules ${this.ruleCount}\n`;
    out += `# HELP rampart_spoa_connections Open SPOP connections.\n# TYPE rampart_spoa_connections gauge\nrampart_spoa_connections ${this.connections}\n`;
    return out;
  }
}
