import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class DeadlineIndexes1795305090281 implements MigrationInterface {
  name = 'DeadlineIndexes1795305090281';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "topics_deliberation_due_idx" ON "topics" ("closes_at")
            WHERE status = 'deliberating'
        `);
    await queryRunner.query(`
            CREATE INDEX "topics_proposal_due_idx" ON "topics" ("proposal_expires_at")
            WHERE status = 'proposed'
        `);
    await queryRunner.query(`
            CREATE INDEX "rooms_speaker_due_idx" ON "rooms" ("speaker_until")
            WHERE speaker_id IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."rooms_speaker_due_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topics_proposal_due_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topics_deliberation_due_idx"
        `);
  }
}
