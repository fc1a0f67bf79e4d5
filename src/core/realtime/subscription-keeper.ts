import { type Logger } from '../logging/logger';
import { type RedisClient, redisReady } from '../redis/redis.module';

type Kind = 'subscribe' | 'pSubscribe' | 'sSubscribe';

const UNSUBSCRIBE: Record<Kind, 'unsubscribe' | 'pUnsubscribe' | 'sUnsubscribe'> = {
  subscribe: 'unsubscribe',
  pSubscribe: 'pUnsubscribe',
  sSubscribe: 'sUnsubscribe',
};

type Method = (...args: unknown[]) => unknown;

/** What a channel should be: subscribed with these arguments, or not subscribed. */
type Owed = { kind: Kind; args: unknown[] } | { kind: 'unsubscribe'; method: string };

/** How often owed (un)subscriptions are retried while Redis answers but a retry failed. */
const RETRY_MS = 2_000;

/**
 * Keeps the socket adapter's subscriptions true to what it asked for, through Redis outages.
 *
 * The adapters subscribe as rooms appear on the node (the sharded one sends an SSUBSCRIBE per
 * room) without handling a failure. While Redis is down the client refuses commands at once, so
 * the room's subscription is never made; the client resubscribes on reconnect only what it did
 * subscribe, and the room stayed deaf to the other nodes after Redis came back. Here every
 * (un)subscription that fails is remembered per channel — the latest wish wins — and made again
 * when the client is ready, and every RETRY_MS until it succeeds. A failure is never thrown: an
 * unhandled rejection would bring the node down with every socket on it.
 */
export class SubscriptionKeeper {
  private readonly owed = new Map<string, Owed>();
  private readonly original = new Map<string, Method>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: RedisClient,
    private readonly logger: Logger,
  ) {
    const target = client as unknown as Record<string, Method>;
    for (const kind of Object.keys(UNSUBSCRIBE) as Kind[]) {
      for (const name of [kind, UNSUBSCRIBE[kind]]) {
        const method = target[name];
        if (typeof method !== 'function') continue;
        this.original.set(name, method.bind(client));
      }
      this.replace(kind, (...args) => this.subscribe(kind, args));
      this.replace(UNSUBSCRIBE[kind], (...args) => this.unsubscribe(UNSUBSCRIBE[kind], args));
    }
    // node-redis resubscribes what it holds on reconnect; what failed is ours to redo.
    client.on('ready', () => this.retrySoon(50));
  }

  /** Channels whose subscription state is not yet what was asked (for tests and metrics). */
  get pending(): number {
    return this.owed.size;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private replace(name: string, value: Method): void {
    if (!this.original.has(name)) return;
    Object.defineProperty(this.client, name, { value, configurable: true });
  }

  private subscribe(kind: Kind, args: unknown[]): Promise<unknown> {
    const channels = toList(args[0]);
    for (const channel of channels) this.owed.delete(channel);
    return this.call(kind, args, channels, { kind, args });
  }

  private unsubscribe(method: string, args: unknown[]): Promise<unknown> {
    // No channel names: everything of that kind; nothing to remember per channel.
    const channels = args[0] === undefined ? [] : toList(args[0]);
    for (const channel of channels) this.owed.delete(channel);
    return this.call(method, args, channels, { kind: 'unsubscribe', method });
  }

  private call(method: string, args: unknown[], channels: string[], owed: Owed): Promise<unknown> {
    const run = this.original.get(method)!;
    let result: unknown;
    try {
      result = run(...args);
    } catch (err) {
      this.failed(method, channels, owed, err);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(result).catch((err: unknown) => {
      this.failed(method, channels, owed, err);
      return undefined;
    });
  }

  private failed(method: string, channels: string[], owed: Owed, err: unknown): void {
    for (const channel of channels) {
      // A later call for the same channel (made meanwhile) says what is wanted now.
      if (!this.owed.has(channel)) this.owed.set(channel, owed);
    }
    this.logger.warn(
      { err, command: method, channels: channels.length },
      'socket adapter redis subscription failed; retrying when Redis is back',
    );
    this.retrySoon(RETRY_MS);
  }

  private retrySoon(ms: number): void {
    if (this.owed.size === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retry();
    }, ms);
    this.timer.unref();
  }

  private retry(): void {
    if (!redisReady(this.client)) {
      this.retrySoon(RETRY_MS);
      return;
    }
    const owed = [...this.owed.entries()];
    this.owed.clear();
    for (const [channel, wish] of owed) {
      if (wish.kind === 'unsubscribe') void this.unsubscribe(wish.method, [channel]);
      else void this.subscribe(wish.kind, [channel, ...wish.args.slice(1)]);
    }
    this.logger.info({ channels: owed.length }, 'socket adapter: making owed subscriptions again');
  }
}

/** Channel names as the client takes them: one name or a list (strings or Buffers). */
function toList(channels: unknown): string[] {
  const list: unknown[] = Array.isArray(channels)
    ? channels
    : channels === undefined
      ? []
      : [channels];
  return list.map((c) => (Buffer.isBuffer(c) ? c.toString() : typeof c === 'string' ? c : ''));
}
