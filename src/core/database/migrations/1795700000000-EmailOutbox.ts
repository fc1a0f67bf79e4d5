import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notification email: an outbox of one row per email and recipient, and the digests made.
 *
 * `email_outbox` is written in the transaction that writes what it announces (the notifier's
 * for an immediate email, the digest sweep's for a digest), so an email is never lost when a
 * node dies after that commit; its unique `dedupe_key` (`notification:<id>`, `digest:<id>`)
 * queues each once. The sender claims due rows with FOR UPDATE SKIP LOCKED and a lease
 * (`claimed_at`), and records each delivery (`sent_at`, `message_id`, `attempts`, `last_error`).
 *
 * `email_digests` records the period each digest covered, unique per person and period end, so
 * two nodes' sweeps make one digest, and the next one starts where the last ended.
 */
export class EmailOutbox1795700000000 implements MigrationInterface {
  name = 'EmailOutbox1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "email_digests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "cadence" character varying(10) NOT NULL,
                "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
                "period_end" TIMESTAMP WITH TIME ZONE NOT NULL,
                "notification_ids" uuid array NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "email_digests_pk" PRIMARY KEY ("id"),
                CONSTRAINT "email_digests_user_period_uq" UNIQUE ("user_id", "period_end"),
                CONSTRAINT "email_digests_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "email_outbox" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "dedupe_key" character varying(80) NOT NULL,
                "notification_id" uuid,
                "digest_id" uuid,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "claimed_at" TIMESTAMP WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT 0,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "failed_at" TIMESTAMP WITH TIME ZONE,
                "message_id" text,
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "email_outbox_pk" PRIMARY KEY ("id"),
                CONSTRAINT "email_outbox_dedupe_uq" UNIQUE ("dedupe_key"),
                CONSTRAINT "email_outbox_one_subject" CHECK (("notification_id" IS NULL) <> ("digest_id" IS NULL)),
                CONSTRAINT "email_outbox_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
                CONSTRAINT "email_outbox_notification_id_fk" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE,
                CONSTRAINT "email_outbox_digest_id_fk" FOREIGN KEY ("digest_id") REFERENCES "email_digests"("id") ON DELETE CASCADE
            )
        `);
    // Only the rows still to send are indexed: the sender's claim reads nothing else.
    await queryRunner.query(
      `CREATE INDEX "email_outbox_due_idx" ON "email_outbox" ("due_at") WHERE "sent_at" IS NULL AND "failed_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "email_outbox_notification_idx" ON "email_outbox" ("notification_id") WHERE "notification_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_outbox"`);
    await queryRunner.query(`DROP TABLE "email_digests"`);
  }
}
