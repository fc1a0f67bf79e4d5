import { type Dispatch, type StateUpdater, useLayoutEffect, useState } from 'preact/hooks';
import { LiveConnection } from '../shared/live';
import { SessionStore } from '../shared/session';
import { Store } from '../shared/store';

export const session = new SessionStore('madang.token');
export const api = session.api;

/**
 * The page's one live connection. It is replaced when the signed-in user changes, so the
 * server always knows who is watching; feeds re-join on the new connection.
 */
export const live = new Store<LiveConnection>(new LiveConnection(null));
let liveToken: string | null = null;
session.subscribe((s) => {
  const token = s?.token ?? null;
  if (token === liveToken) return;
  liveToken = token;
  live.get().close();
  live.set(new LiveConnection(token));
});

/** Messages for screen readers: the layout renders them into an aria-live region. */
export const announcements = new Store<string>('');
export function announce(text: string): void {
  // Re-setting the same text would not be announced again; a trailing marker changes it.
  announcements.set(text === announcements.get() ? `${text}\u200b` : text);
}

/** A one-shot async load tied to its inputs, with loading and error states. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): {
  data: T | undefined;
  error: unknown;
  reload: () => void;
  set: Dispatch<StateUpdater<T | undefined>>;
} {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [n, setN] = useState(0);
  // A layout effect starts the request right after the render, not after the first paint.
  useLayoutEffect(() => {
    let alive = true;
    setError(undefined);
    load().then(
      (value) => alive && setData(value),
      (err: unknown) => alive && setError(err),
    );
    return () => {
      alive = false;
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1), set: setData };
}
