import type { Transaction } from '@rampart/engine';
import { ExplainRecorder, formatExplainJson, type HttpRequest } from '@rampart/tuning';
import type { RequestInput } from './inspection-input';

/**
 * One transaction traced on demand (the message's `trace` argument, or `--trace-header`): the engine's
 * evaluation trace goes to an ExplainRecorder, the same as `rampart explain` uses, and the record becomes one
 * line of the trace log when the transaction ends (after phase 5).
 */
export class TraceRecording {
  readonly recorder = new ExplainRecorder();
  private readonly request: HttpRequest;

  constructor(input: RequestInput, truncated: boolean) {
    this.request = {
      method: input.method,
      target: input.query !== undefined ? `${input.path}?${input.query}` : input.path,
      protocol: `HTTP/${input.version}`,
      headers: input.headers.map(([n, v]) => [n, v]),
      body: input.body?.toString('latin1') ?? '',
      connection: { clientIp: input.clientIp, clientPort: input.clientPort, serverIp: input.serverIp, serverPort: input.serverPort },
      notes: truncated ? [`HAProxy passed ${input.body?.length ?? 0} of the body's ${input.declaredBodySize} bytes (its buffer): the rules saw that prefix`] : [],
    };
  }

  /** The explain record as one line of JSON (rampart-explain/1), for the trace log. */
  line(tx: Transaction): string {
    return formatExplainJson(this.recorder.record(tx, this.request), 0);
  }
}
