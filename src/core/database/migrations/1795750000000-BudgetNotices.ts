import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Budget notifications (`budget.phase`, `project.reviewed`, `project.selected`): the budgets
 * feature writes what is to be told into `budget_notices`, in the transaction of the phase
 * move or review that causes it — an outbox the notifier claims as it claims `topic_events`.
 * It is not the budget's public timeline (`budget_events`), whose numbers `budget:phase`
 * carries: a review is one line per project and would crowd it.
 *
 * Notifications gain the budget and the project they are about. Proposers of existing projects
 * follow their project's thread and its budget, as new proposers do from now on.
 */
export class BudgetNotices1795750000000 implements MigrationInterface {
  name = 'BudgetNotices1795750000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "budget_notices" (
        "id" BIGSERIAL PRIMARY KEY,
        "budget_id" uuid NOT NULL CONSTRAINT "budget_notices_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "type" varchar(32) NOT NULL CHECK (type IN ('phase', 'project_reviewed', 'project_selected')),
        "project_id" uuid CONSTRAINT "budget_notices_project_id_fk" REFERENCES "budget_projects"("id") ON DELETE CASCADE,
        "actor_id" uuid CONSTRAINT "budget_notices_actor_id_fk" REFERENCES "users"("id") ON DELETE SET NULL,
        "data" jsonb NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        "notified_at" TIMESTAMP WITH TIME ZONE
      )`);
    await queryRunner.query(
      `CREATE INDEX "budget_notices_unnotified_idx" ON "budget_notices" ("id") WHERE "notified_at" IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "notifications" ADD "budget_id" uuid`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "project_id" uuid`);
    await queryRunner.query(`
      INSERT INTO follows (user_id, target_type, target_id)
      SELECT proposer_id, 'topic', topic_id FROM budget_projects
      UNION SELECT proposer_id, 'budget', budget_id FROM budget_projects
      ON CONFLICT DO NOTHING`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM follows WHERE target_type = 'budget'`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "project_id"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "budget_id"`);
    await queryRunner.query(`DROP TABLE "budget_notices"`);
  }
}
