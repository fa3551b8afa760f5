export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Stops sending to a server that keeps failing: after `threshold` failed round trips in a row the circuit
 * opens and calls fail at once (no request waits for a timeout it can predict) for `resetMs`; then one round
 * trip is let through as a probe, whose success closes the circuit again and whose failure re-opens it.
 *
 * Written here rather than taken from a library (opossum): it guards one pipeline flush, not a function with
 * its own timer and rolling statistics, and the whole of it is these few lines.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly resetMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`breaker threshold must be an integer >= 1, got ${threshold}`);
    if (!(resetMs >= 0)) throw new RangeError(`breaker reset time must be >= 0 ms, got ${resetMs}`);
  }

  get state(): BreakerState {
    if (this.failures < this.threshold) return 'closed';
    return this.clock() < this.openUntil || this.probing ? 'open' : 'half-open';
  }

  /** Whether a round trip may start now; in the half-open state the first caller becomes the probe. */
  allows(): boolean {
    if (this.failures < this.threshold) return true;
    if (this.probing || this.clock() < this.openUntil) return false;
    this.probing = true;
    return true;
  }

  /** Milliseconds until the next probe may go (0 when closed). */
  retryInMs(): number {
    return this.failures < this.threshold ? 0 : Math.max(0, this.openUntil - this.clock());
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
  }

  failure(): void {
    this.failures++;
    this.probing = false;
    if (this.failures >= this.threshold) this.openUntil = this.clock() + this.resetMs;
  }
}
