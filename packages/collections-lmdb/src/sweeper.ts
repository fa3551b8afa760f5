/** What the sweeper needs from a store: one bounded batch of deletions. */
export interface Sweepable {
  sweepBatch(now: number): { deleted: number; more: boolean };
  readonly isClosed: boolean;
}

/**
 * Deletes stale records in the background, a batch per write transaction, and stops each tick after
 * `budgetMs` so a request waiting on the main thread (or on the write lock in another process) waits at most
 * one batch. ModSecurity v2 instead sweeps the whole collection on ~1% of requests, inside the request.
 */
export class Sweeper {
  private readonly timer: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly store: Sweepable,
    private readonly clock: () => number,
    intervalMs: number,
    private readonly budgetMs: number,
    private readonly onError: (error: unknown) => void,
    /** Monotonic milliseconds for the time budget; injected in tests. */
    private readonly elapsedMs: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /** One tick: batches until nothing is due or the budget is spent; returns how many records were deleted. */
  tick(): number {
    if (this.running || this.store.isClosed) return 0;
    this.running = true;
    let deleted = 0;
    try {
      const started = this.elapsedMs();
      const now = this.clock();
      for (;;) {
        const batch = this.store.sweepBatch(now);
        deleted += batch.deleted;
        if (!batch.more || this.elapsedMs() - started >= this.budgetMs) break;
      }
    } catch (e) {
      this.onError(e);
    } finally {
      this.running = false;
    }
    return deleted;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
