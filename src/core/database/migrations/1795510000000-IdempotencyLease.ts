import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key's claim gets an owner and a short lease that its request renews while it
 * runs. A retry after the owner's node died could otherwise wait out a two-minute lease; with
 * the owner named, a request whose claim a retry took over can never also mark it (and commit).
 */
export class IdempotencyLease1795510000000 implements MigrationInterface {
  name = 'IdempotencyLease1795510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys"
              ADD "owner" uuid,
              ADD "lease_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys" DROP COLUMN "lease_expires_at", DROP COLUMN "owner"
        `);
  }
}
