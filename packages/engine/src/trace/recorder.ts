import type { TraceEvent, TraceSink } from './events';

/** A sink that keeps every event, in order, for a tool to read after the transaction (`rampart explain`, tests). */
export class TraceRecorder implements TraceSink {
  readonly values: boolean;
  readonly events: TraceEvent[] = [];

  /** `values` false leaves out the events of every value looked at (a trace of rules and matches only). */
  constructor(options: { values?: boolean } = {}) {
    this.values = options.values ?? true;
  }

  event(e: TraceEvent): void {
    this.events.push(e);
  }

  /** The events of one kind. */
  of<K extends TraceEvent['kind']>(kind: K): Array<Extract<TraceEvent, { kind: K }>> {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }
}
