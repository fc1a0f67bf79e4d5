/**
 * Gathers values by key and hands them over in one batch at most every `ms`: a burst of
 * changes to the same thing (agrees on one comment, votes on one question, clicks of one
 * reaction) becomes one message per interval instead of one per change. The first change after
 * a quiet spell starts the interval; a key's later values are merged into its pending one
 * (`merge`: by default the newest wins). Batches are flushed one after another, never two at
 * once, so what a flush reads (a count from PostgreSQL) goes out in the order it was read.
 * A flush should log its own failures: one that throws loses only its batch, and the next
 * batches still go out.
 */
export class Coalescer<K, V> {
  private pending = new Map<K, V>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ms: number,
    private readonly flush: (batch: Map<K, V>) => Promise<void> | void,
    private readonly merge: (pending: V | undefined, next: V) => V = (_pending, next) => next,
  ) {}

  add(key: K, value: V): void {
    this.pending.set(key, this.merge(this.pending.get(key), value));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.ms);
  }

  /** Flushes what is pending now (and waits for any flush under way): at shutdown, in tests. */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.run();
  }

  /** Stops the timer and forgets what is pending. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  /** What is waiting, without flushing it (a shutdown that cannot read the database). */
  take(): Map<K, V> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    return batch;
  }

  private run(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size > 0)
      this.flushing = this.flushing.then(() => this.flush(batch)).catch(() => undefined);
    return this.flushing;
  }
}
