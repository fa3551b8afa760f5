/**
 * A bounded, time-limited map from transaction id to a value waiting for its response message. Entries
 * leave by `take` (the response came), by expiry, or by eviction when full (oldest first); the two last
 * call `onDrop`, which logs the transaction so that no request goes unlogged. Insertion order is kept by
 * the Map, so the sweep only looks at the head.
 */
export class TransactionCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly onDrop: (id: string, value: V, reason: 'expired' | 'evicted' | 'closed') => void,
    private readonly now: () => number = () => Date.now(),
    sweepIntervalMs = 1000,
  ) {
    if (sweepIntervalMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepIntervalMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  set(id: string, value: V, ttlMs: number): void {
    const old = this.entries.get(id);
    if (old !== undefined) {
      this.entries.delete(id);
      this.onDrop(id, old.value, 'evicted');
    }
    this.entries.set(id, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const first = this.entries.entries().next();
      if (first.done === true) break;
      this.entries.delete(first.value[0]);
      this.onDrop(first.value[0], first.value[1].value, 'evicted');
    }
  }

  /** Removes and returns the entry, or undefined when absent or expired (an expired one is dropped). */
  take(id: string): V | undefined {
    const e = this.entries.get(id);
    if (e === undefined) return undefined;
    this.entries.delete(id);
    if (e.expiresAt <= this.now()) {
      this.onDrop(id, e.value, 'expired');
      return undefined;
    }
    return e.value;
  }

  /** Drops expired entries. TTLs differ per application, so the whole map is scanned, bounded by maxEntries. */
  sweep(): void {
    const now = this.now();
    for (const [id, e] of this.entries) {
      if (e.expiresAt <= now) {
        this.entries.delete(id);
        this.onDrop(id, e.value, 'expired');
      }
    }
  }

  /** Drops everything (shutdown, reload of a worker). */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const [id, e] of this.entries) {
      this.entries.delete(id);
      this.onDrop(id, e.value, 'closed');
    }
  }
}
