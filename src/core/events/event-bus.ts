import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';
import { closeRedis, type RedisClient, RedisService, redisReady } from '../redis/redis.module';
import { type DomainEvent, type DomainEventMap, type DomainEventName } from './domain-events';

/** Where an event was published: on this node, or on another node (received over Redis). */
export interface EventMeta {
  origin: 'local' | 'remote';
}

type Handler<K extends DomainEventName> = (
  payload: DomainEventMap[K],
  meta: EventMeta,
) => void | Promise<void>;

interface Envelope {
  node: string;
  events: DomainEvent[];
}

/**
 * Delivers domain events to subscribers. Publishers call it only after their transaction has
 * committed, so a subscriber never sees an event whose data was rolled back.
 *
 * With Redis configured the bus spans the cluster: every published batch also goes out on a
 * Redis channel and every other node hands it to its own subscribers, marked `remote`.
 * Subscribers that fan out through Socket.IO act on `local` events only (the Socket.IO
 * adapter already carries their broadcasts to every node); node-local state (caches, timers)
 * listens to both. Delivery over Redis is at-most-once, like Redis pub/sub itself: anything
 * that must not be lost is in PostgreSQL and is caught up from there.
 */
@Injectable()
export class EventBus implements OnModuleInit, OnApplicationShutdown {
  readonly nodeId = randomUUID();
  /** The deployment's channel: another deployment on the same Redis never hears it. */
  private readonly channel: string;
  private readonly emitter = new EventEmitter({ captureRejections: false });
  private subscriber?: RedisClient;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
  ) {
    this.emitter.setMaxListeners(100);
    this.channel = `${redis.prefix}domain-events`;
  }

  async onModuleInit(): Promise<void> {
    const client = this.redis.client;
    if (!client) return;
    this.subscriber = client.duplicate();
    this.subscriber.on('error', (err: unknown) =>
      this.logger.warn({ err }, 'redis event subscriber error'),
    );
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel, (message) => this.receive(message));
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.subscriber);
  }

  publish(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    // Broadcasts this leads to are timed from here (madang_broadcast_latency_seconds).
    this.metrics.published(() => this.deliver(events, { origin: 'local' }));
    const client = this.redis.client;
    if (redisReady(client)) {
      const envelope: Envelope = { node: this.nodeId, events: [...events] };
      client.publish(this.channel, JSON.stringify(envelope)).catch((err: unknown) => {
        this.logger.warn(
          { err, events: events.map((e) => e.name) },
          'domain events not bridged to other nodes',
        );
      });
    }
  }

  subscribe<K extends DomainEventName>(name: K, handler: Handler<K>): () => void {
    const listener = (payload: DomainEventMap[K], meta: EventMeta): void => {
      // A failing subscriber must not break the publisher or the other subscribers.
      try {
        const result = handler(payload, meta);
        if (result instanceof Promise) {
          result.catch((err: unknown) =>
            this.logger.error({ err, event: name }, 'event handler failed'),
          );
        }
      } catch (err) {
        this.logger.error({ err, event: name }, 'event handler failed');
      }
    };
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  /**
   * Subscribes to events published on this node only: what fans out through Socket.IO (the
   * adapter already reaches the other nodes) or must happen once in the cluster.
   */
  subscribeLocal<K extends DomainEventName>(
    name: K,
    handler: (payload: DomainEventMap[K]) => void | Promise<void>,
  ): () => void {
    return this.subscribe(name, (payload, meta) =>
      meta.origin === 'local' ? handler(payload) : undefined,
    );
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      this.logger.warn('malformed domain event message on redis');
      return;
    }
    if (envelope.node === this.nodeId) return;
    this.deliver(envelope.events, { origin: 'remote' });
  }

  private deliver(events: readonly DomainEvent[], meta: EventMeta): void {
    for (const event of events) this.emitter.emit(event.name, event.payload, meta);
  }
}
