import { useEffect, useState } from 'preact/hooks';

/** A value that components can watch: set() re-renders everyone using it. */
export class Store<T> {
  private readonly listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    this.value = value;
    for (const listener of this.listeners) listener(value);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}

/**
 * Storage that may be missing: in an embed with third-party storage blocked, touching
 * localStorage throws, and the widget must still work read-only.
 */
export const safeStorage = {
  get(key: string, kind: 'local' | 'session' = 'local'): string | null {
    try {
      return (kind === 'local' ? localStorage : sessionStorage).getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null, kind: 'local' | 'session' = 'local'): void {
    try {
      const storage = kind === 'local' ? localStorage : sessionStorage;
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, value);
    } catch {
      // Storage refused: the value lives in memory for this page only.
    }
  },
};
