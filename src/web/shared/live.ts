import { io, type Socket } from 'socket.io-client';
import { ApiError } from './api';
import { lang } from './i18n';
import { Store } from './store';
import { type LiveClientEvent, type LiveClientEvents, type LiveEvent } from './types';

/**
 * The one place where a server event's payload is taken for what the protocol says it carries
 * (src/protocol/live.ts, which the server's broadcasters are typed by): past it, a `switch` on
 * `event` gives each case its payload's type. Socket.IO hands listeners untyped values.
 */
export function liveEvent(event: string, payload: Record<string, unknown>): LiveEvent {
  return { event, payload } as LiveEvent;
}

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** Client events that act on one room: they take its `roomId`. */
export type RoomEventName = {
  [E in LiveClientEvent]: LiveClientEvents[E]['payload'] extends { roomId: string } ? E : never;
}[LiveClientEvent];
type RoomPayload<E extends RoomEventName> = Omit<LiveClientEvents[E]['payload'], 'roomId'>;
/** The payload may be left out when nothing but the room is needed. */
type RoomArgs<E extends RoomEventName> =
  Record<string, never> extends RoomPayload<E>
    ? [payload?: RoomPayload<E>]
    : [payload: RoomPayload<E>];
/** A page's action in its room: the event and its payload without the `roomId` it adds. */
export type RoomAsk = <E extends RoomEventName>(
  event: E,
  ...args: RoomArgs<E>
) => Promise<LiveClientEvents[E]['ack']>;

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
  request<E extends LiveClientEvent>(
    event: E,
    payload: LiveClientEvents[E]['payload'],
  ): Promise<LiveClientEvents[E]['ack']> {
    type T = LiveClientEvents[E]['ack'];
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

/** The two streams a page follows, the id field each takes, and how each is left. */
type JoinEvent = 'topic:watch' | 'room:join';
const STREAMS = {
  'topic:watch': { key: 'topicId', leave: 'topic:unwatch' },
  'room:join': { key: 'roomId', leave: 'room:leave' },
} as const;

export interface FeedOptions<E extends JoinEvent> {
  /** `topic:watch` or `room:join`. */
  join: E;
  id: string;
  /** The seq the page's HTTP load is current to; replay starts after it. */
  sinceSeq?: number;
  /** Called with every join answer (first join, and each catch-up after a reconnect). */
  onJoin: (result: LiveClientEvents[E]['ack'], first: boolean) => void;
  /** Every live or replayed event of this topic/room, in order, each seq once. */
  onEvent: (event: string, payload: Record<string, unknown>) => void;
  onError?: (error: unknown) => void;
}

/**
 * A topic's or a room's stream: joins, replays what was missed, applies live events in
 * order and drops any `seq` already applied (an event can arrive both live and in a replay).
 */
export class Feed<E extends JoinEvent> {
  private lastSeq: number | undefined;
  private joined = false;
  private readonly stops: (() => void)[] = [];
  private buffer: { event: string; payload: Record<string, unknown> }[] | null = null;

  constructor(
    private readonly conn: LiveConnection,
    private readonly options: FeedOptions<E>,
  ) {
    this.lastSeq = options.sinceSeq;
    const { key } = STREAMS[options.join];
    this.stops.push(
      conn.onEvent((event, payload) => {
        if (payload[key] !== options.id) return;
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
      const result: LiveClientEvents[E]['ack'] = await this.conn.request(this.options.join, {
        [STREAMS[this.options.join].key]: this.options.id,
        ...(this.lastSeq !== undefined ? { sinceSeq: this.lastSeq } : {}),
        // A room's rejoin keeps the messages on the page (its state ignores `recent` unless
        // the replay was cut), so it asks the server to leave them out.
        ...(this.joined && this.options.join === 'room:join' && this.lastSeq !== undefined
          ? { lean: true }
          : {}),
        // A computed key: the map above pairs each stream with its own id field.
      } as LiveClientEvents[E]['payload']);
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
    const { key, leave } = STREAMS[this.options.join];
    void this.conn
      .request(leave, { [key]: this.options.id } as LiveClientEvents[typeof leave]['payload'])
      .catch(() => undefined);
  }
}
