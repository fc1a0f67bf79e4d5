import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';
import { type DomainEvent, type DomainEventMap, type DomainEventName } from './domain-events';

type Handler<K extends DomainEventName> = (payload: DomainEventMap[K]) => void | Promise<void>;

/**
 * Delivers domain events to subscribers. Publishers call it only after their transaction has
 * committed, so a subscriber never sees an event whose data was rolled back. This in-process
 * implementation serves a single node; the live-rooms work bridges it over Redis so that every
 * node's subscribers see every node's events.
 */
@Injectable()
export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    this.emitter.setMaxListeners(100);
  }

  publish(events: readonly DomainEvent[]): void {
    for (const event of events) this.emitter.emit(event.name, event.payload);
  }

  subscribe<K extends DomainEventName>(name: K, handler: Handler<K>): () => void {
    const listener = (payload: DomainEventMap[K]): void => {
      // A failing subscriber must not break the publisher or the other subscribers.
      try {
        const result = handler(payload);
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
}
