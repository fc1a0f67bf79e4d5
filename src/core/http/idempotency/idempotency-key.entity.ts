import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'in_flight' | 'committed' | 'done';

/**
 * A client's retry key, scoped to the user who sent it. While the first request runs the row
 * is `in_flight` with a short lease; afterwards it keeps the response until `expiresAt`.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('uuid')
  userId!: string;

  @PrimaryColumn('varchar', { length: 255 })
  key!: string;

  /** SHA-256 of method, route and body: a reused key with another request is refused. */
  @Column('char', { length: 64 })
  requestHash!: string;

  @Column('varchar', { length: 16 })
  state!: IdempotencyState;

  @Column('smallint', { nullable: true })
  responseStatus!: number | null;

  @Column('jsonb', { nullable: true })
  responseBody!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  expiresAt!: Date;
}
