import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/env';
import { LOGGER } from '../../logging/logging.module';
import { type Logger } from '../../logging/logger';

export type Claim =
  | { kind: 'claimed'; owner: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  /** Another request holds the key; its lease runs out in `retryAfter` seconds at the latest. */
  | { kind: 'in_flight'; retryAfter: number }
  /** The first request's work committed but its response was not stored (its node died). */
  | { kind: 'lost' };

/**
 * How long a claim holds without its owner renewing it. The owner renews it every
 * LEASE_RENEW_MS while its request runs, so only a dead (or frozen) owner lets it run out, and a
 * client retrying after a crash gets through within seconds rather than waiting out minutes.
 */
export const LEASE_SECONDS = 6;
export const LEASE_RENEW_MS = 2_000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Claims `key` for this request in one statement, so two concurrent requests with the same
   * key can never both run: the loser sees the winner's row. A claim whose lease ran out (its
   * owner died before its work committed) is taken over, and so is an expired answer.
   */
  async claim(userId: string, key: string, requestHash: string): Promise<Claim> {
    const owner = randomUUID();
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, owner, lease_expires_at, expires_at)
       VALUES ($1, $2, $3, 'in_flight', $4, now() + make_interval(secs => $5),
               now() + make_interval(hours => $6))
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_flight', owner = EXCLUDED.owner,
             response_status = NULL, response_body = NULL, created_at = now(),
             lease_expires_at = EXCLUDED.lease_expires_at, expires_at = EXCLUDED.expires_at
         WHERE (idempotency_keys.state = 'in_flight' AND idempotency_keys.lease_expires_at < now())
            OR (idempotency_keys.state = 'done' AND idempotency_keys.expires_at < now())
       RETURNING 1`,
      [userId, key, requestHash, owner, LEASE_SECONDS, this.config.IDEMPOTENCY_TTL_HOURS],
    );
    if (claimed.length > 0) return { kind: 'claimed', owner };

    const rows: {
      request_hash: string;
      state: string;
      response_status: number | null;
      response_body: unknown;
      lease_left: number;
    }[] = await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_body,
              extract(epoch FROM lease_expires_at - now())::float8 AS lease_left
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    const row = rows[0];
    // Deleted by a failing first request between our two statements: the caller may retry.
    if (!row) return { kind: 'in_flight', retryAfter: 1 };
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    const retryAfter = Math.min(LEASE_SECONDS, Math.max(1, Math.ceil(row.lease_left)));
    // Committed, and its owner stopped renewing before storing the answer: its node is gone.
    if (row.state === 'committed')
      return row.lease_left < 0 ? { kind: 'lost' } : { kind: 'in_flight', retryAfter };
    if (row.state !== 'done' || row.response_status === null)
      return { kind: 'in_flight', retryAfter };
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  /** The owner is still at work: its claim holds for another lease. */
  async renew(userId: string, key: string, owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET lease_expires_at = now() + make_interval(secs => $4)
        WHERE user_id = $1 AND key = $2 AND owner = $3 AND state IN ('in_flight', 'committed')`,
      [userId, key, owner, LEASE_SECONDS],
    );
  }

  async complete(
    userId: string,
    key: string,
    owner: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys
          SET state = 'done', response_status = $4, response_body = $5::jsonb,
              expires_at = now() + make_interval(hours => $6)
        WHERE user_id = $1 AND key = $2 AND owner = $3`,
      [userId, key, owner, status, JSON.stringify(body ?? null), this.config.IDEMPOTENCY_TTL_HOURS],
    );
  }

  /** A failed request frees its key: errors are not cached, so the client may retry. */
  async release(userId: string, key: string, owner: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND owner = $3 AND state = 'in_flight'`,
      [userId, key, owner],
    );
  }

  async sweep(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE expires_at < now()`,
    );
    return result[1];
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.warn({ err }, 'idempotency sweep failed'));
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
