import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'in_flight' | 'committed' | 'done';

/**
 * A client's retry key, scoped to the user who sent it. While the first request runs the row
 * is `in_flight` (then `committed` once its work is) with a short lease its owner renews;
 * afterwards it keeps the response until `expiresAt`.
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

  /** The request holding the claim; only it may mark, complete or release the key. */
  @Column('uuid', { nullable: true })
  owner!: string | null;

  /** Until when the owner's claim holds; the owner renews it while its request runs. */
  @Column('timestamptz', { default: () => 'now()' })
  leaseExpiresAt!: Date;
}
