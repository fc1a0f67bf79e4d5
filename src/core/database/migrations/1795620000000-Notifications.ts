import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notifications (알림): who follows what, each person's notification settings, and the
 * notifications themselves, one per (person, source event) so two nodes or a restart can never
 * write one twice.
 *
 * The sources are the durable logs every change already writes in its own transaction
 * (`topic_events`, and `room_events` for a room going live): `notified_at` marks the rows the
 * notifier has turned into notifications, and a partial index keeps the ones still to do cheap
 * to find. Rows that existed before this migration count as notified (the column is added with
 * `now()` as its value, then the default is dropped), so a deployment does not notify the past.
 */
export class Notifications1795620000000 implements MigrationInterface {
  name = 'Notifications1795620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "follows" (
                "user_id" uuid NOT NULL,
                "target_type" character varying(16) NOT NULL,
                "target_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "follows_pk" PRIMARY KEY ("target_type", "target_id", "user_id"),
                CONSTRAINT "follows_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`CREATE INDEX "follows_user_idx" ON "follows" ("user_id")`);
    await queryRunner.query(`
            CREATE TABLE "notification_settings" (
                "user_id" uuid NOT NULL,
                "email" character varying(10) NOT NULL DEFAULT 'daily',
                "types" jsonb NOT NULL DEFAULT '{}',
                "follow_on_comment" boolean NOT NULL DEFAULT true,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "notification_settings_pk" PRIMARY KEY ("user_id"),
                CONSTRAINT "notification_settings_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "type" character varying(32) NOT NULL,
                "source" character varying(80) NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "topic_id" uuid,
                "comment_id" uuid,
                "room_id" uuid,
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "notifications_pk" PRIMARY KEY ("id"),
                CONSTRAINT "notifications_user_source_uq" UNIQUE ("user_id", "source"),
                CONSTRAINT "notifications_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "notifications_user_created_idx" ON "notifications" ("user_id", "created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "notifications_unread_idx" ON "notifications" ("user_id") WHERE "read_at" IS NULL`,
    );
    for (const table of ['topic_events', 'room_events']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD "notified_at" TIMESTAMP WITH TIME ZONE DEFAULT now()`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "notified_at" DROP DEFAULT`);
    }
    // Only the kinds that notify anyone are waited for; the others stay unmarked and unindexed.
    await queryRunner.query(`
            CREATE INDEX "topic_events_unnotified_idx" ON "topic_events" ("id")
             WHERE "notified_at" IS NULL
               AND "type" IN ('ladder_crossed', 'transitioned', 'answered', 'comment_created', 'comment_hidden')
        `);
    await queryRunner.query(`
            CREATE INDEX "room_events_unnotified_idx" ON "room_events" ("id")
             WHERE "notified_at" IS NULL AND "type" = 'room:state' AND ("data"->>'status') = 'live'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."room_events_unnotified_idx"`);
    await queryRunner.query(`DROP INDEX "public"."topic_events_unnotified_idx"`);
    await queryRunner.query(`ALTER TABLE "room_events" DROP COLUMN "notified_at"`);
    await queryRunner.query(`ALTER TABLE "topic_events" DROP COLUMN "notified_at"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP TABLE "notification_settings"`);
    await queryRunner.query(`DROP TABLE "follows"`);
  }
}
