import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type DomainEvent } from './domain-events';
import { EventBus } from './event-bus';

export interface Work {
  tx: EntityManager;
  /** Queue an event; it is published only if the transaction commits. */
  emit(event: DomainEvent): void;
}

/** A database transaction whose domain events are published after it commits. */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async run<T>(fn: (work: Work) => Promise<T>): Promise<T> {
    const events: DomainEvent[] = [];
    const result = await this.dataSource.transaction((tx) =>
      fn({ tx, emit: (e) => events.push(e) }),
    );
    this.bus.publish(events);
    return result;
  }
}
