interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the keys asked for during one turn of the event loop, per group, and loads each
 * group's keys with one call. Under load many requests arrive in the same turn (each needing,
 * say, its user row, or adding an agree to the same topic); one statement for all of them
 * instead of one each saves round trips, pool slots and — for writes to one hot row — lock
 * hand-offs. A key asked for twice in a turn is loaded once. A failed load fails every waiter of
 * that group's batch, and only them.
 */
export class GroupedBatchLoader<G, K, V> {
  private pending = new Map<G, Map<K, Waiter<V>[]>>();

  constructor(private readonly load: (group: G, keys: K[]) => Promise<Map<K, V>>) {}

  get(group: G, key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      // setImmediate, not a microtask: it runs after the I/O callbacks of this turn, so the
      // requests parsed from the same readable sockets share the batch.
      if (this.pending.size === 0) setImmediate(() => this.flush());
      let keys = this.pending.get(group);
      if (!keys) this.pending.set(group, (keys = new Map<K, Waiter<V>[]>()));
      let waiters = keys.get(key);
      if (!waiters) keys.set(key, (waiters = []));
      waiters.push({ resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = new Map();
    for (const [group, keys] of batch) void this.loadGroup(group, keys);
  }

  private async loadGroup(group: G, keys: Map<K, Waiter<V>[]>): Promise<void> {
    try {
      const found = await this.load(group, [...keys.keys()]);
      for (const [key, waiters] of keys) for (const w of waiters) w.resolve(found.get(key));
    } catch (error) {
      for (const waiters of keys.values()) for (const w of waiters) w.reject(error);
    }
  }
}

/** `GroupedBatchLoader` with one group: the keys of one turn, loaded with one call. */
export class BatchLoader<K, V> {
  private readonly grouped: GroupedBatchLoader<null, K, V>;

  constructor(load: (keys: K[]) => Promise<Map<K, V>>) {
    this.grouped = new GroupedBatchLoader((_group, keys) => load(keys));
  }

  get(key: K): Promise<V | undefined> {
    return this.grouped.get(null, key);
  }
}

/**
 * Gathers the items submitted during one turn of the event loop, per group, and writes each
 * group's items with one call, which answers one result per item, in order. Where
 * `GroupedBatchLoader` shares a read by key, this shares a write whose items each carry their
 * own payload (a ballot and its choices, say): many requests of one turn become one statement,
 * one lock on the hot row and one commit. A failed write fails every item of that group's batch,
 * and only them.
 */
export class GroupedBatchWriter<G, I, V> {
  private pending = new Map<G, { item: I; waiter: Waiter<V> }[]>();

  constructor(private readonly write: (group: G, items: I[]) => Promise<V[]>) {}

  submit(group: G, item: I): Promise<V> {
    return new Promise((resolve, reject) => {
      // setImmediate for the reason given in `GroupedBatchLoader.get`.
      if (this.pending.size === 0) setImmediate(() => this.flush());
      let items = this.pending.get(group);
      if (!items) this.pending.set(group, (items = []));
      items.push({ item, waiter: { resolve: resolve as (v: V | undefined) => void, reject } });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = new Map();
    for (const [group, items] of batch) void this.writeGroup(group, items);
  }

  private async writeGroup(group: G, items: { item: I; waiter: Waiter<V> }[]): Promise<void> {
    try {
      const results = await this.write(
        group,
        items.map((i) => i.item),
      );
      items.forEach((i, n) => i.waiter.resolve(results[n]));
    } catch (error) {
      for (const i of items) i.waiter.reject(error);
    }
  }
}
