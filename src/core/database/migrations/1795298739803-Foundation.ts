import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Foundation1795298739803 implements MigrationInterface {
  name = 'Foundation1795298739803';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(254) NOT NULL,
                "password_hash" text NOT NULL,
                "display_name" character varying(50) NOT NULL,
                "role" character varying(16) NOT NULL DEFAULT 'citizen',
                "token_version" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "spaces" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "slug" character varying(64) NOT NULL,
                "name" character varying(100) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "thresholds" jsonb NOT NULL,
                "embed_origins" text array NOT NULL DEFAULT '{}',
                "reports_to_hide" integer NOT NULL DEFAULT '3',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_cd9fb43bf0fb88748387fba51c7" UNIQUE ("slug"),
                CONSTRAINT "PK_dbe542974aca57afcb60709d4c8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "space_facilitators" (
                "space_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "granted_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a4531629008261e7d3e4561d28c" PRIMARY KEY ("space_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "space_facilitators_user_idx" ON "space_facilitators" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "user_id" uuid NOT NULL,
                "key" character varying(255) NOT NULL,
                "request_hash" character(64) NOT NULL,
                "state" character varying(16) NOT NULL,
                "response_status" smallint,
                "response_body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_392b1af86f210d98d3f0c764728" PRIMARY KEY ("user_id", "key")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "space_facilitators"
            ADD CONSTRAINT "FK_049c1c06de971415f2425ed5891" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "space_facilitators"
            ADD CONSTRAINT "FK_38ddfd6aebfb8c75dcc55968736" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "space_facilitators" DROP CONSTRAINT "FK_38ddfd6aebfb8c75dcc55968736"
        `);
    await queryRunner.query(`
            ALTER TABLE "space_facilitators" DROP CONSTRAINT "FK_049c1c06de971415f2425ed5891"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."space_facilitators_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "space_facilitators"
        `);
    await queryRunner.query(`
            DROP TABLE "spaces"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
  }
}
