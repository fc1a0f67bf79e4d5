import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class LiveRooms1795301698244 implements MigrationInterface {
  name = 'LiveRooms1795301698244';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "rooms" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "topic_id" uuid NOT NULL,
                "space_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'scheduled',
                "settings" jsonb NOT NULL,
                "locked" boolean NOT NULL DEFAULT false,
                "starts_at" TIMESTAMP WITH TIME ZONE,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "created_by" uuid NOT NULL,
                "seq" integer NOT NULL DEFAULT '0',
                "pinned_comment_id" uuid,
                "speaker_id" uuid,
                "speaker_until" TIMESTAMP WITH TIME ZONE,
                "peak_presence" integer NOT NULL DEFAULT '0',
                "reaction_totals" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0368a2d7c215f2d0458a54933f2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "rooms_topic_idx" ON "rooms" ("topic_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "rooms_status_idx" ON "rooms" ("status", "starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "room_events" (
                "id" BIGSERIAL NOT NULL,
                "room_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "type" character varying(32) NOT NULL,
                "audience" character varying(4) NOT NULL DEFAULT 'all',
                "data" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e4790894bd239f0afc7d5c85c10" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "room_events_room_seq_uq" ON "room_events" ("room_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "room_questions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "room_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "body" text NOT NULL,
                "status" character varying(12) NOT NULL,
                "highlighted" boolean NOT NULL DEFAULT false,
                "upvotes" integer NOT NULL DEFAULT '0',
                "comment_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "answered_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_7b29bdf40cef68e7a8a999613c4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "room_questions_room_idx" ON "room_questions" ("room_id", "status", "upvotes")
        `);
    await queryRunner.query(`
            CREATE TABLE "room_question_votes" (
                "question_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d86e5053377739f87cb5c7572e2" PRIMARY KEY ("question_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "room_hands" (
                "room_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d26f0bf8e6496f5f117b2bf1b23" PRIMARY KEY ("room_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "room_speeches" (
                "id" BIGSERIAL NOT NULL,
                "room_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1df08fd133e3f9409d17d0a995f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "room_speeches_room_user_idx" ON "room_speeches" ("room_id", "user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "room_sanctions" (
                "room_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "muted_until" TIMESTAMP WITH TIME ZONE,
                "banned" boolean NOT NULL DEFAULT false,
                "reason" character varying(500) NOT NULL,
                "by_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e3e79873c379f7e145ed1e2b5e5" PRIMARY KEY ("room_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "comments_room_idx" ON "comments" ("room_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "rooms"
            ADD CONSTRAINT "rooms_topic_id_fk" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rooms"
            ADD CONSTRAINT "rooms_space_id_fk" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rooms"
            ADD CONSTRAINT "rooms_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "comments"
            ADD CONSTRAINT "comments_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_events"
            ADD CONSTRAINT "room_events_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_questions"
            ADD CONSTRAINT "room_questions_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_questions"
            ADD CONSTRAINT "room_questions_author_id_fk" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_question_votes"
            ADD CONSTRAINT "room_question_votes_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "room_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_question_votes"
            ADD CONSTRAINT "room_question_votes_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_hands"
            ADD CONSTRAINT "room_hands_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_hands"
            ADD CONSTRAINT "room_hands_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_speeches"
            ADD CONSTRAINT "room_speeches_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_speeches"
            ADD CONSTRAINT "room_speeches_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_sanctions"
            ADD CONSTRAINT "room_sanctions_room_id_fk" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "room_sanctions"
            ADD CONSTRAINT "room_sanctions_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "room_sanctions" DROP CONSTRAINT "room_sanctions_user_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_sanctions" DROP CONSTRAINT "room_sanctions_room_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_speeches" DROP CONSTRAINT "room_speeches_user_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_speeches" DROP CONSTRAINT "room_speeches_room_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_hands" DROP CONSTRAINT "room_hands_user_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_hands" DROP CONSTRAINT "room_hands_room_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_question_votes" DROP CONSTRAINT "room_question_votes_user_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_question_votes" DROP CONSTRAINT "room_question_votes_question_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_questions" DROP CONSTRAINT "room_questions_author_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_questions" DROP CONSTRAINT "room_questions_room_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "room_events" DROP CONSTRAINT "room_events_room_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "comments" DROP CONSTRAINT "comments_room_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "rooms" DROP CONSTRAINT "rooms_created_by_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "rooms" DROP CONSTRAINT "rooms_space_id_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "rooms" DROP CONSTRAINT "rooms_topic_id_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."comments_room_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "room_sanctions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."room_speeches_room_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "room_speeches"
        `);
    await queryRunner.query(`
            DROP TABLE "room_hands"
        `);
    await queryRunner.query(`
            DROP TABLE "room_question_votes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."room_questions_room_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "room_questions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."room_events_room_seq_uq"
        `);
    await queryRunner.query(`
            DROP TABLE "room_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."rooms_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."rooms_topic_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "rooms"
        `);
  }
}
