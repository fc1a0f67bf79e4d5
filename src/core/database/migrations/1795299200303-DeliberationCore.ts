import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** [table, column, referenced table, on delete] */
const FOREIGN_KEYS: [string, string, string, string][] = [
  ['topics', 'space_id', 'spaces', 'CASCADE'],
  ['topics', 'author_id', 'users', 'RESTRICT'],
  ['topic_events', 'topic_id', 'topics', 'CASCADE'],
  ['topic_responses', 'topic_id', 'topics', 'CASCADE'],
  ['topic_responses', 'author_id', 'users', 'RESTRICT'],
  ['owed_answers', 'topic_id', 'topics', 'CASCADE'],
  ['topic_stances', 'topic_id', 'topics', 'CASCADE'],
  ['topic_stances', 'user_id', 'users', 'CASCADE'],
  ['topic_participants', 'topic_id', 'topics', 'CASCADE'],
  ['topic_participants', 'user_id', 'users', 'CASCADE'],
  ['comments', 'topic_id', 'topics', 'CASCADE'],
  ['comments', 'parent_id', 'comments', 'CASCADE'],
  ['comments', 'author_id', 'users', 'RESTRICT'],
  ['topic_agrees', 'topic_id', 'topics', 'CASCADE'],
  ['topic_agrees', 'user_id', 'users', 'CASCADE'],
  ['comment_agrees', 'comment_id', 'comments', 'CASCADE'],
  ['comment_agrees', 'user_id', 'users', 'CASCADE'],
  ['reports', 'comment_id', 'comments', 'CASCADE'],
  ['reports', 'reporter_id', 'users', 'CASCADE'],
  ['reports', 'space_id', 'spaces', 'CASCADE'],
  ['space_bans', 'space_id', 'spaces', 'CASCADE'],
  ['space_bans', 'user_id', 'users', 'CASCADE'],
];

export class DeliberationCore1795299200303 implements MigrationInterface {
  name = 'DeliberationCore1795299200303';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "comments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic_id" uuid NOT NULL,
                "parent_id" uuid,
                "depth" smallint NOT NULL DEFAULT '0',
                "author_id" uuid NOT NULL,
                "body" text NOT NULL,
                "stance" character varying(8),
                "status" character varying(8) NOT NULL DEFAULT 'visible',
                "hidden_reason" text,
                "agree_count" integer NOT NULL DEFAULT '0',
                "reply_count" integer NOT NULL DEFAULT '0',
                "open_report_count" integer NOT NULL DEFAULT '0',
                "room_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "edited_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_parent_created_idx" ON "comments" ("parent_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_topic_parent_agrees_idx" ON "comments" ("topic_id", "parent_id", "agree_count", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_topic_parent_created_idx" ON "comments" ("topic_id", "parent_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" BIGSERIAL NOT NULL,
                "space_id" uuid NOT NULL,
                "actor_id" uuid,
                "action" character varying(48) NOT NULL,
                "target_type" character varying(16) NOT NULL,
                "target_id" uuid NOT NULL,
                "reason" text,
                "before" jsonb,
                "after" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_log_space_id_idx" ON "audit_log" ("space_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "space_id" uuid NOT NULL,
                "topic_id" uuid NOT NULL,
                "comment_id" uuid NOT NULL,
                "reporter_id" uuid NOT NULL,
                "reason" character varying(16) NOT NULL,
                "detail" character varying(500),
                "status" character varying(8) NOT NULL DEFAULT 'open',
                "resolution" character varying(8),
                "resolved_by" uuid,
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d9013193989303580053c0b5ef6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "reports_space_status_created_idx" ON "reports" ("space_id", "status", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "reports_comment_reporter_uq" ON "reports" ("comment_id", "reporter_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "space_bans" (
                "space_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "reason" character varying(500) NOT NULL,
                "until" TIMESTAMP WITH TIME ZONE,
                "banned_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_37285087a0c640c0238806ca09b" PRIMARY KEY ("space_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "topic_agrees" (
                "topic_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_78c7c6924c3da82f5b2d4e3c94e" PRIMARY KEY ("topic_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "topic_agrees_user_idx" ON "topic_agrees" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "comment_agrees" (
                "comment_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_250a46ce5c01a7adc7fabd0e895" PRIMARY KEY ("comment_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "comment_agrees_user_idx" ON "comment_agrees" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "owed_answers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic_id" uuid NOT NULL,
                "rung" character varying(16) NOT NULL,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "answered_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_40c6bedbf25ad50621b945485eb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "owed_answers_topic_rung_uq" ON "owed_answers" ("topic_id", "rung")
        `);
    await queryRunner.query(`
            CREATE TABLE "topic_events" (
                "id" BIGSERIAL NOT NULL,
                "topic_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "type" character varying(32) NOT NULL,
                "actor_id" uuid,
                "data" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6900750d9905ce8cf5c4ecc889c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "topic_events_topic_seq_uq" ON "topic_events" ("topic_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "topic_stances" (
                "topic_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "stance" character varying(8) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ca12da686b9bd3410d8176d08c7" PRIMARY KEY ("topic_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "topic_participants" (
                "topic_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_624e4948cae25a354017df1a9a3" PRIMARY KEY ("topic_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "topic_responses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "role" character varying(100) NOT NULL,
                "body" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_518426f2da3a3154ba9eef67388" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "topic_responses_topic_idx" ON "topic_responses" ("topic_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "topics" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "space_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "body" text NOT NULL,
                "tags" text array NOT NULL DEFAULT '{}',
                "status" character varying(16) NOT NULL DEFAULT 'proposed',
                "rung" smallint NOT NULL DEFAULT '0',
                "agree_count" integer NOT NULL DEFAULT '0',
                "comment_count" integer NOT NULL DEFAULT '0',
                "participant_count" integer NOT NULL DEFAULT '0',
                "stance_for" integer NOT NULL DEFAULT '0',
                "stance_against" integer NOT NULL DEFAULT '0',
                "stance_neutral" integer NOT NULL DEFAULT '0',
                "seq" integer NOT NULL DEFAULT '0',
                "proposal_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "deliberation_opened_at" TIMESTAMP WITH TIME ZONE,
                "closes_at" TIMESTAMP WITH TIME ZONE,
                "rejected_reason" text,
                "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e4aa99a3fa60ec3a37d1fc4e853" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "topics_space_activity_idx" ON "topics" ("space_id", "last_activity_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "topics_space_agrees_idx" ON "topics" ("space_id", "agree_count")
        `);
    await queryRunner.query(`
            CREATE INDEX "topics_space_status_created_idx" ON "topics" ("space_id", "status", "created_at")
        `);

    // Not expressible in the entities: foreign keys (kept out of the ORM relations so
    // entities stay plain rows), Korean substring search, and the append-only audit log.
    for (const [table, column, target, onDelete] of FOREIGN_KEYS) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_${column}_fk" FOREIGN KEY ("${column}") REFERENCES "${target}"("id") ON DELETE ${onDelete}`,
      );
    }
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "topics_search_trgm_idx" ON "topics" USING gin ((title || ' ' || body) gin_trgm_ops)`,
    );
    await queryRunner.query(`
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_append_only ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`DROP INDEX "topics_search_trgm_idx"`);
    for (const [table, column] of FOREIGN_KEYS) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_${column}_fk"`);
    }
    await queryRunner.query(`
            DROP INDEX "public"."topics_space_status_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topics_space_agrees_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topics_space_activity_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "topics"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topic_responses_topic_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "topic_responses"
        `);
    await queryRunner.query(`
            DROP TABLE "topic_participants"
        `);
    await queryRunner.query(`
            DROP TABLE "topic_stances"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topic_events_topic_seq_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "topic_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."owed_answers_topic_rung_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "owed_answers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comment_agrees_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "comment_agrees"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."topic_agrees_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "topic_agrees"
        `);
    await queryRunner.query(`
            DROP TABLE "space_bans"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."reports_comment_reporter_uq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."reports_space_status_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "reports"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_log_space_id_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_topic_parent_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_topic_parent_agrees_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_parent_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "comments"
        `);
  }
}
