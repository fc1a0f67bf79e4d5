interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the keys asked for during one turn of the event loop and loads them with one call.
 * Under load many requests arrive in the same turn (each needing, say, its user row); one
 * `WHERE id = ANY(...)` instead of one query each saves a round trip and a pool slot per
 * request. A key asked for twice in a turn is loaded once. A failed load fails every waiter
 * of that batch, and only them.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, Waiter<V>[]>();

  constructor(private readonly load: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      let waiters = this.pending.get(key);
      if (!waiters) {
        // setImmediate, not a microtask: it runs after the I/O callbacks of this turn, so the
        // requests parsed from the same readable sockets share the batch.
        if (this.pending.size === 0) setImmediate(() => void this.flush());
        waiters = [];
        this.pending.set(key, waiters);
      }
      waiters.push({ resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      const found = await this.load([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  }
}
