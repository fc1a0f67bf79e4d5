import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Participatory budgets: a budget with its phases, headings with caps, projects (each owning a
 * topic for its thread and agrees), reviews, the voter roll, ballots, paper totals, milestones.
 *
 * One ballot per voter per budget is the unique key (budget_id, voter_key): the voter key is
 * the roll line for a roll electorate (online and on-site ballots share it, so a line that voted
 * one way cannot vote the other) and the user for an open one. The tally is always read from
 * ballot_choices, so it is a recount by construction.
 */
export class ParticipatoryBudgets1795640000000 implements MigrationInterface {
  name = 'ParticipatoryBudgets1795640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Project threads are topics of their own kind: kept out of the space's topic list.
    await queryRunner.query(
      `ALTER TABLE "topics" ADD "kind" varchar(16) NOT NULL DEFAULT 'topic' CHECK (kind IN ('topic', 'project'))`,
    );
    await queryRunner.query(`
      CREATE TABLE "budgets" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "space_id" uuid NOT NULL CONSTRAINT "budgets_space_id_fk" REFERENCES "spaces"("id") ON DELETE CASCADE,
        "created_by" uuid NOT NULL CONSTRAINT "budgets_created_by_fk" REFERENCES "users"("id") ON DELETE RESTRICT,
        "title" varchar(200) NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "total_amount" bigint NOT NULL CHECK (total_amount >= 0),
        "rule_kind" varchar(16) NOT NULL CHECK (rule_kind IN ('knapsack', 'approval', 'ranked')),
        "max_choices" integer CHECK (max_choices > 0),
        "min_spend_ratio" numeric(4,3) CHECK (min_spend_ratio >= 0 AND min_spend_ratio <= 1),
        "electorate" varchar(8) NOT NULL CHECK (electorate IN ('open', 'roll')),
        "voter_classes" jsonb NOT NULL,
        "live_tally" boolean NOT NULL DEFAULT false,
        "phase" varchar(16) NOT NULL DEFAULT 'proposals'
          CHECK (phase IN ('proposals', 'review', 'objection', 'voting', 'results', 'execution')),
        "phases" jsonb NOT NULL DEFAULT '[]',
        "room_id" uuid CONSTRAINT "budgets_room_id_fk" REFERENCES "rooms"("id") ON DELETE SET NULL,
        "seq" integer NOT NULL DEFAULT 0,
        "tally_sent_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "budgets_space_idx" ON "budgets" ("space_id", "created_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "budget_events" (
        "budget_id" uuid NOT NULL CONSTRAINT "budget_events_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "seq" integer NOT NULL,
        "type" varchar(32) NOT NULL,
        "actor_id" uuid CONSTRAINT "budget_events_actor_id_fk" REFERENCES "users"("id") ON DELETE SET NULL,
        "data" jsonb NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        PRIMARY KEY ("budget_id", "seq")
      )`);
    await queryRunner.query(`
      CREATE TABLE "budget_headings" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "budget_id" uuid NOT NULL CONSTRAINT "budget_headings_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "name" varchar(100) NOT NULL,
        "amount" bigint NOT NULL CHECK (amount > 0),
        "group_name" varchar(100),
        "max_choices" integer CHECK (max_choices > 0),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "budget_headings_name_uq" UNIQUE ("budget_id", "name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "budget_projects" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "budget_id" uuid NOT NULL CONSTRAINT "budget_projects_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "heading_id" uuid NOT NULL CONSTRAINT "budget_projects_heading_id_fk" REFERENCES "budget_headings"("id") ON DELETE CASCADE,
        "topic_id" uuid NOT NULL CONSTRAINT "budget_projects_topic_id_fk" REFERENCES "topics"("id") ON DELETE RESTRICT,
        "proposer_id" uuid NOT NULL CONSTRAINT "budget_projects_proposer_id_fk" REFERENCES "users"("id") ON DELETE RESTRICT,
        "title" varchar(200) NOT NULL,
        "summary" varchar(500) NOT NULL,
        "body" text NOT NULL,
        "amount" bigint NOT NULL CHECK (amount > 0),
        "category" varchar(50),
        "location" varchar(200),
        "status" varchar(16) NOT NULL DEFAULT 'submitted'
          CHECK (status IN ('submitted', 'feasible', 'unfeasible', 'selected', 'not_selected')),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "budget_projects_topic_uq" UNIQUE ("topic_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "budget_projects_heading_idx" ON "budget_projects" ("budget_id", "heading_id", "created_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "budget_project_reviews" (
        "project_id" uuid PRIMARY KEY CONSTRAINT "budget_project_reviews_project_id_fk" REFERENCES "budget_projects"("id") ON DELETE CASCADE,
        "reviewer_id" uuid NOT NULL CONSTRAINT "budget_project_reviews_reviewer_id_fk" REFERENCES "users"("id") ON DELETE RESTRICT,
        "feasible" boolean NOT NULL,
        "cost" bigint CHECK (cost > 0),
        "explanation" text NOT NULL,
        "reviewed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "budget_voters" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "budget_id" uuid NOT NULL CONSTRAINT "budget_voters_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "ref" varchar(100) NOT NULL,
        "heading_id" uuid CONSTRAINT "budget_voters_heading_id_fk" REFERENCES "budget_headings"("id") ON DELETE SET NULL,
        "class_key" varchar(32) NOT NULL,
        "code_hash" char(64) NOT NULL,
        "user_id" uuid CONSTRAINT "budget_voters_user_id_fk" REFERENCES "users"("id") ON DELETE SET NULL,
        "claimed_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "budget_voters_ref_uq" UNIQUE ("budget_id", "ref"),
        CONSTRAINT "budget_voters_code_uq" UNIQUE ("budget_id", "code_hash"),
        CONSTRAINT "budget_voters_user_uq" UNIQUE ("budget_id", "user_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "budget_ballots" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "budget_id" uuid NOT NULL CONSTRAINT "budget_ballots_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "voter_key" varchar(64) NOT NULL,
        "user_id" uuid CONSTRAINT "budget_ballots_user_id_fk" REFERENCES "users"("id") ON DELETE SET NULL,
        "voter_id" uuid CONSTRAINT "budget_ballots_voter_id_fk" REFERENCES "budget_voters"("id") ON DELETE CASCADE,
        "class_key" varchar(32) NOT NULL,
        "channel" varchar(8) NOT NULL CHECK (channel IN ('online', 'onsite')),
        "recorded_by" uuid CONSTRAINT "budget_ballots_recorded_by_fk" REFERENCES "users"("id") ON DELETE SET NULL,
        "cast_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "budget_ballots_voter_uq" UNIQUE ("budget_id", "voter_key")
      )`);
    await queryRunner.query(`
      CREATE TABLE "budget_ballot_choices" (
        "ballot_id" uuid NOT NULL CONSTRAINT "budget_ballot_choices_ballot_id_fk" REFERENCES "budget_ballots"("id") ON DELETE CASCADE,
        "budget_id" uuid NOT NULL,
        "heading_id" uuid NOT NULL CONSTRAINT "budget_ballot_choices_heading_id_fk" REFERENCES "budget_headings"("id") ON DELETE CASCADE,
        "project_id" uuid NOT NULL CONSTRAINT "budget_ballot_choices_project_id_fk" REFERENCES "budget_projects"("id") ON DELETE CASCADE,
        "rank" smallint NOT NULL CHECK (rank >= 1),
        PRIMARY KEY ("ballot_id", "project_id"),
        CONSTRAINT "budget_ballot_choices_rank_uq" UNIQUE ("ballot_id", "heading_id", "rank")
      )`);
    await queryRunner.query(
      `CREATE INDEX "budget_ballot_choices_tally_idx" ON "budget_ballot_choices" ("budget_id", "heading_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "budget_paper_totals" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "budget_id" uuid NOT NULL CONSTRAINT "budget_paper_totals_budget_id_fk" REFERENCES "budgets"("id") ON DELETE CASCADE,
        "station" varchar(100) NOT NULL,
        "heading_id" uuid NOT NULL CONSTRAINT "budget_paper_totals_heading_id_fk" REFERENCES "budget_headings"("id") ON DELETE CASCADE,
        "class_key" varchar(32) NOT NULL,
        "ballots" integer NOT NULL CHECK (ballots >= 0),
        "counts" jsonb NOT NULL,
        "entered_by" uuid NOT NULL CONSTRAINT "budget_paper_totals_entered_by_fk" REFERENCES "users"("id") ON DELETE RESTRICT,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "budget_paper_totals_station_uq" UNIQUE ("budget_id", "station", "heading_id", "class_key")
      )`);
    await queryRunner.query(`
      CREATE TABLE "budget_milestones" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "project_id" uuid NOT NULL CONSTRAINT "budget_milestones_project_id_fk" REFERENCES "budget_projects"("id") ON DELETE CASCADE,
        "title" varchar(200) NOT NULL,
        "body" text,
        "date" date NOT NULL,
        "progress" smallint NOT NULL CHECK (progress BETWEEN 0 AND 100),
        "created_by" uuid NOT NULL CONSTRAINT "budget_milestones_created_by_fk" REFERENCES "users"("id") ON DELETE RESTRICT,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "budget_milestones_project_idx" ON "budget_milestones" ("project_id", "date")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'budget_milestones',
      'budget_paper_totals',
      'budget_ballot_choices',
      'budget_ballots',
      'budget_voters',
      'budget_project_reviews',
      'budget_projects',
      'budget_headings',
      'budget_events',
      'budgets',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
    await queryRunner.query(`ALTER TABLE "topics" DROP COLUMN "kind"`);
  }
}
