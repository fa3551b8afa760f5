import type { RampartError } from '@rampart/engine';

/**
 * Passes errors on, at most one per code per interval: a client that makes every write fail (oversized or
 * too many records) must not also flood the log. The next report of a code says how many were held back.
 */
export class ThrottledReporter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: (error: RampartError) => void,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  report(error: RampartError): void {
    const now = this.clock();
    const seen = this.last.get(error.code);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    if (seen && seen.suppressed > 0) error.message += ` (${seen.suppressed} more since the last report)`;
    this.last.set(error.code, { at: now, suppressed: 0 });
    this.sink(error);
  }
}
