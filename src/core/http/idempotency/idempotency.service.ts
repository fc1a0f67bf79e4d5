import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/env';
import { LOGGER } from '../../logging/logging.module';
import { type Logger } from '../../logging/logger';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' }
  /** The first request's work committed but its response was not stored (its node died). */
  | { kind: 'lost' };

/** How long a request may hold its key before a retry may take it over (a crashed node). */
const IN_FLIGHT_LEASE_SECONDS = 120;
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
   * key can never both run: the loser sees the winner's row. An expired row is taken over.
   */
  async claim(userId: string, key: string, requestHash: string): Promise<Claim> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_flight', now() + make_interval(secs => $4))
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_flight', response_status = NULL,
             response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at < now() AND idempotency_keys.state <> 'committed'
       RETURNING 1`,
      [userId, key, requestHash, IN_FLIGHT_LEASE_SECONDS],
    );
    if (claimed.length > 0) return { kind: 'claimed' };

    const rows: {
      request_hash: string;
      state: string;
      response_status: number | null;
      response_body: unknown;
      lost: boolean;
    }[] = await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_body,
              -- Committed but still without a response after a whole lease: its node is gone.
              (state = 'committed' AND created_at < now() - make_interval(secs => $3)) AS lost
           FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key, IN_FLIGHT_LEASE_SECONDS],
    );
    const row = rows[0];
    // Deleted by a failing first request between our two statements: the caller may retry.
    if (!row) return { kind: 'in_flight' };
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.lost) return { kind: 'lost' };
    if (row.state !== 'done' || row.response_status === null) return { kind: 'in_flight' };
    return { kind: 'replay', status: row.response_status, body: row.response_body };
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys
          SET state = 'done', response_status = $3, response_body = $4::jsonb,
              expires_at = now() + make_interval(hours => $5)
        WHERE user_id = $1 AND key = $2`,
      [userId, key, status, JSON.stringify(body ?? null), this.config.IDEMPOTENCY_TTL_HOURS],
    );
  }

  /** A failed request frees its key: errors are not cached, so the client may retry. */
  async release(userId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'in_flight'`,
      [userId, key],
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
