import { io, type Socket } from 'socket.io-client';
import { ApiError } from './api';
import { lang } from './i18n';
import { Store } from './store';

export type ConnectionState = 'connecting' | 'online' | 'offline';

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
type Handler = (event: string, payload: Record<string, unknown>) => void;

/**
 * One Socket.IO connection to `/live`. Socket.IO reconnects by itself; every Feed opened on
 * the connection re-joins with the last `seq` it applied, so a page catches up after a
 * network drop or a server restart without reloading.
 */
export class LiveConnection {
  readonly state = new Store<ConnectionState>('connecting');
  private readonly socket: Socket;
  private readonly handlers = new Set<Handler>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(token: string | null, embedOrigin?: string) {
    this.socket = io('/live', {
      // Read at every (re)connection: acks come back in the page's language.
      auth: (cb) =>
        cb({
          ...(token ? { token } : {}),
          ...(embedOrigin ? { embed: embedOrigin } : {}),
          lang: lang.get(),
        }),
      transports: ['websocket'],
      reconnectionDelayMax: 5_000,
    });
    this.socket.on('connect', () => {
      this.state.set('online');
      for (const listener of this.reconnectListeners) listener();
    });
    this.socket.on('disconnect', () => this.state.set('offline'));
    this.socket.on('connect_error', () => this.state.set('offline'));
    this.socket.onAny((event: string, payload: unknown) => {
      if (payload && typeof payload === 'object')
        for (const handler of this.handlers) handler(event, payload as Record<string, unknown>);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends an event and resolves with its ack's data, or rejects with its error code. */
  request<T>(event: string, payload: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.socket.timeout(10_000).emit(event, payload, (err: Error | null, ack?: Ack<T>) => {
        if (err || !ack) reject(new ApiError(0, 'timeout', 'timeout'));
        else if (ack.ok) resolve(ack.data);
        else reject(new ApiError(0, ack.error.code, ack.error.message));
      });
    });
  }

  onEvent(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Runs `listener` on every (re)connection, and now if already connected. */
  onConnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    if (this.socket.connected) listener();
    return () => this.reconnectListeners.delete(listener);
  }

  close(): void {
    this.handlers.clear();
    this.reconnectListeners.clear();
    this.socket.close();
  }
}

export interface FeedOptions<J> {
  /** `topic:watch` or `room:join`, and the id field it takes. */
  join: 'topic:watch' | 'room:join';
  key: 'topicId' | 'roomId';
  id: string;
  /** The seq the page's HTTP load is current to; replay starts after it. */
  sinceSeq?: number;
  /** Called with every join answer (first join, and each catch-up after a reconnect). */
  onJoin: (result: J, first: boolean) => void;
  /** Every live or replayed event of this topic/room, in order, each seq once. */
  onEvent: (event: string, payload: Record<string, unknown>) => void;
  onError?: (error: unknown) => void;
}

/**
 * A topic's or a room's stream: joins, replays what was missed, applies live events in
 * order and drops any `seq` already applied (an event can arrive both live and in a replay).
 */
export class Feed<J extends { seq: number; missed: { event: string; payload: unknown }[] }> {
  private lastSeq: number | undefined;
  private joined = false;
  private readonly stops: (() => void)[] = [];
  private buffer: { event: string; payload: Record<string, unknown> }[] | null = null;

  constructor(
    private readonly conn: LiveConnection,
    private readonly options: FeedOptions<J>,
  ) {
    this.lastSeq = options.sinceSeq;
    this.stops.push(
      conn.onEvent((event, payload) => {
        if (payload[options.key] !== options.id) return;
        if (this.buffer) this.buffer.push({ event, payload });
        else this.apply(event, payload);
      }),
      conn.onConnect(() => void this.rejoin()),
    );
  }

  private async rejoin(): Promise<void> {
    // Live events that arrive while the join is answered wait, so the replay goes first.
    this.buffer = [];
    try {
      const result = await this.conn.request<J>(this.options.join, {
        [this.options.key]: this.options.id,
        ...(this.lastSeq !== undefined ? { sinceSeq: this.lastSeq } : {}),
      });
      const first = !this.joined;
      this.joined = true;
      this.options.onJoin(result, first);
      for (const missed of result.missed)
        this.apply(missed.event, missed.payload as Record<string, unknown>);
      this.lastSeq = Math.max(this.lastSeq ?? 0, result.seq);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      const waiting = this.buffer ?? [];
      this.buffer = null;
      for (const item of waiting) this.apply(item.event, item.payload);
    }
  }

  private apply(event: string, payload: Record<string, unknown>): void {
    const seq = typeof payload.seq === 'number' ? payload.seq : undefined;
    if (seq !== undefined) {
      if (this.lastSeq !== undefined && seq <= this.lastSeq) return;
      this.lastSeq = seq;
    }
    this.options.onEvent(event, payload);
  }

  close(): void {
    for (const stop of this.stops) stop();
    void this.conn
      .request(this.options.join === 'topic:watch' ? 'topic:unwatch' : 'room:leave', {
        [this.options.key]: this.options.id,
      })
      .catch(() => undefined);
  }
}
