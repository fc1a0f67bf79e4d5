import { Inject, Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql';
import { msg, Problem } from '../http/problem';
import { type DomainEvent } from './domain-events';
import { EventBus } from './event-bus';

export interface Work {
  tx: EntityManager;
  /** Queue an event; it is published only if the transaction commits. */
  emit(event: DomainEvent): void;
}

/** The Idempotency-Key a request runs under, as the HTTP layer claimed it. */
export interface IdempotencyKey {
  userId: string;
  key: string;
  /** The claim's owner token: marking the key checks it is still this request's. */
  owner: string;
}

/** The key of the request in progress, and whether a transaction has marked it yet. */
const idempotencyScope = new AsyncLocalStorage<IdempotencyKey & { marked: boolean }>();

/**
 * Runs `fn` (a request's handler) under the key: the unit of work that does its work marks the
 * key in the same transaction. The HTTP layer gives only the key; how the work is committed is
 * decided here (`UnitOfWork.runAlone`).
 */
export function underIdempotencyKey<T>(key: IdempotencyKey, fn: () => T): T {
  return idempotencyScope.run({ ...key, marked: false }, fn);
}

/**
 * When the request runs under an Idempotency-Key, its key is marked `committed` in the same
 * transaction as the work: if the node dies after this commit but before the response is
 * stored, a retry is told the result was lost instead of doing the work a second time. Only the
 * claim's owner may mark it: if a retry took the key over (this request stalled past its
 * lease), the work is rolled back here rather than done twice.
 */
async function markIdempotencyKey(tx: EntityManager, ttlHours: number): Promise<void> {
  const scope = idempotencyScope.getStore();
  if (!scope || scope.marked) return;
  // Kept as long as a stored response would be, so the key is never reused within its lifetime.
  const marked = await queryRows<unknown>(
    tx,
    `UPDATE idempotency_keys SET state = 'committed', expires_at = now() + make_interval(hours => $4)
      WHERE user_id = $1 AND key = $2 AND owner = $3 AND state = 'in_flight' RETURNING 1`,
    [scope.userId, scope.key, scope.owner, ttlHours],
  );
  if (marked.length === 0) {
    throw Problem.conflict('idempotency_in_flight', msg('idempotency_taken_over'));
  }
  scope.marked = true;
}

/** A database transaction whose domain events are published after it commits. */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run<T>(fn: (work: Work) => Promise<T>): Promise<T> {
    const events: DomainEvent[] = [];
    const result = await this.dataSource.transaction(async (tx) => {
      const value = await fn({ tx, emit: (e) => events.push(e) });
      await markIdempotencyKey(tx, this.config.IDEMPOTENCY_TTL_HOURS);
      return value;
    });
    this.bus.publish(events);
    return result;
  }

  /**
   * A write that can commit on its own: `alone` runs it outside any transaction (one statement
   * is its own, so its row locks are held for the statement and the commit inside PostgreSQL
   * only, never across a round trip), and publishes its events itself. Under an Idempotency-Key
   * the key must be marked in the same commit as the work, so then it runs as `inWork`, in a
   * unit of work. This is the one place that makes that choice.
   */
  async runAlone<T>(alone: () => Promise<T>, inWork: (work: Work) => Promise<T>): Promise<T> {
    return idempotencyScope.getStore() ? this.run(inWork) : alone();
  }
}
