import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A space can be archived: it keeps its topics, rooms and records for reading, but takes no
 * new topic or room and leaves the public list. Null while the space is in use.
 */
export class SpaceArchive1795630000000 implements MigrationInterface {
  name = 'SpaceArchive1795630000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "spaces" ADD "archived_at" TIMESTAMP WITH TIME ZONE`);
    // The audit log filters by actor and by time within a space.
    await queryRunner.query(
      `CREATE INDEX "audit_log_space_actor_idx" ON "audit_log" ("space_id", "actor_id", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "audit_log_space_actor_idx"`);
    await queryRunner.query(`ALTER TABLE "spaces" DROP COLUMN "archived_at"`);
  }
}
