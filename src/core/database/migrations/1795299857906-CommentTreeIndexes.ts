import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Top-level comment pages walk partial indexes (PostgreSQL cannot keep created order on a
 * (topic, parent, created) index for `parent_id IS NULL`); replies get an agrees-order index.
 */

export class CommentTreeIndexes1795299857906 implements MigrationInterface {
  name = 'CommentTreeIndexes1795299857906';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."comments_topic_parent_agrees_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_topic_parent_created_idx"
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_topic_idx" ON "comments" ("topic_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_parent_agrees_idx" ON "comments" ("parent_id", "agree_count", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_top_agrees_idx" ON "comments" ("topic_id", "agree_count", "id")
            WHERE parent_id IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_top_created_idx" ON "comments" ("topic_id", "created_at", "id")
            WHERE parent_id IS NULL
        `);
    // The append-only audit log also refuses TRUNCATE (row triggers do not see it).
    await queryRunner.query(`
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await queryRunner.query(`
            DROP INDEX "public"."comments_top_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_top_agrees_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_parent_agrees_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_topic_idx"
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_topic_parent_created_idx" ON "comments" ("topic_id", "parent_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_topic_parent_agrees_idx" ON "comments" ("topic_id", "parent_id", "agree_count", "id")
        `);
  }
}
