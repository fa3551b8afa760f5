import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';

/** Upper bounds (seconds) of the processing-time histogram: around HAProxy's typical `timeout processing`. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** The quantile summaries cover the last ten minutes (five buckets of two minutes). */
const SUMMARY_WINDOW = { maxAgeSeconds: 600, ageBuckets: 5, percentiles: [0.5, 0.9, 0.99] };

/**
 * The agent's Prometheus metrics, on prom-client (its registry renders the text format; process, event-loop
 * lag and GC metrics come with it): inspections, interruptions by rule, processing time (histogram, and
 * quantiles of the last ten minutes), errors, reloads, and what operations must see when it happens: audit
 * records lost, error-log lines lost or dropped by the rate limit, collection store problems.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly inspections = new Counter({ name: 'rampart_spoa_inspections_total', help: 'Inspections by application, direction and outcome (pass, interrupted, error).', labelNames: ['app', 'direction', 'outcome'] as const, registers: [this.registry] });
  readonly interruptions = new Counter({ name: 'rampart_spoa_interruptions_total', help: 'Interrupted transactions by interrupting rule id and status.', labelNames: ['rule_id', 'status'] as const, registers: [this.registry] });
  readonly errors = new Counter({ name: 'rampart_spoa_errors_total', help: 'Errors by kind: agent error codes (error variable), SPOP protocol errors, handler failures, workers.', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly reloads = new Counter({ name: 'rampart_spoa_reloads_total', help: 'Rule reloads by result.', labelNames: ['result'] as const, registers: [this.registry] });
  readonly logWriteFailures = new Counter({ name: 'rampart_spoa_log_write_failures_total', help: 'Records or lines that could not be written, by log (audit, error, debug, trace).', labelNames: ['log'] as const, registers: [this.registry] });
  readonly logLinesDropped = new Counter({ name: 'rampart_spoa_log_lines_dropped_total', help: 'Log lines not written because their rule exceeded the per-rule rate limit, by log (error, interruptions) and rule id.', labelNames: ['log', 'rule_id'] as const, registers: [this.registry] });
  readonly collectionErrors = new Counter({ name: 'rampart_spoa_collection_errors_total', help: 'Persistent collection store problems by code (collections-unavailable, collections-full, ...).', labelNames: ['code'] as const, registers: [this.registry] });
  readonly collectionsUnavailable = new Counter({ name: 'rampart_spoa_collections_unavailable_total', help: 'Transactions whose persistent collections in Redis (--collections) could not be read or written, by outcome: skipped (ran without them) or denied (error 1008).', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly collectionRoundTrips = new Counter({ name: 'rampart_spoa_collections_round_trips_total', help: 'Round trips (one pipeline each) to Redis (--collections) by outcome: ok, failed (no connection, no answer in time).', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly collectionLatency = new Histogram({ name: 'rampart_spoa_collections_round_trip_seconds', help: 'Duration of the round trips to Redis (--collections) that were answered.', buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25], registers: [this.registry] });
  readonly processing = new Histogram({ name: 'rampart_spoa_processing_seconds', help: "Time from NOTIFY received to ACK ready, per NOTIFY (HAProxy's timeout processing must cover it).", buckets: BUCKETS, registers: [this.registry] });
  readonly processingRecent = new Summary({ name: 'rampart_spoa_processing_recent_seconds', help: 'Quantiles of the processing time of the NOTIFYs of the last 10 minutes.', ...SUMMARY_WINDOW, registers: [this.registry] });
  readonly inspectionRecent = new Summary({ name: 'rampart_spoa_inspection_recent_seconds', help: 'Quantiles of the processing time of the NOTIFYs of the last 10 minutes that were inspected (not shed or failed).', ...SUMMARY_WINDOW, registers: [this.registry] });
  readonly rules = new Gauge({ name: 'rampart_spoa_rules', help: 'Rules loaded (all applications).', registers: [this.registry] });
  readonly connections = new Gauge({ name: 'rampart_spoa_connections', help: 'Open SPOP connections.', registers: [this.registry] });
  readonly healthy = new Gauge({ name: 'rampart_spoa_healthy', help: 'Whether /healthz says ok (1) or not (0): rules loaded, logs written, collections available.', registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** One NOTIFY answered, `seconds` after it arrived. */
  observeProcessing(seconds: number, inspected: boolean): void {
    this.processing.observe(seconds);
    this.processingRecent.observe(seconds);
    if (inspected) this.inspectionRecent.observe(seconds);
  }

  /** Round trips a worker's Redis collection store made (carried by a verdict). */
  observeCollections(activity: { roundTrips: readonly number[]; failedRoundTrips: number }): void {
    for (const seconds of activity.roundTrips) this.collectionLatency.observe(seconds);
    if (activity.roundTrips.length > 0) this.collectionRoundTrips.inc({ outcome: 'ok' }, activity.roundTrips.length);
    if (activity.failedRoundTrips > 0) this.collectionRoundTrips.inc({ outcome: 'failed' }, activity.failedRoundTrips);
  }

  /** Forgets the processing-time samples (benchmarks measure one load phase). */
  resetProcessing(): void {
    this.processing.reset();
    this.processingRecent.reset();
    this.inspectionRecent.reset();
  }

  /** The text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
