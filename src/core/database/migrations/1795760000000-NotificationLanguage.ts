import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The language a person's notification email is written in (`ko` or `en`), one of their
 * notification settings. People without settings, and everyone until they choose, get Korean.
 */
export class NotificationLanguage1795760000000 implements MigrationInterface {
  name = 'NotificationLanguage1795760000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_settings" ADD "language" varchar(2) NOT NULL DEFAULT 'ko'
         CONSTRAINT "notification_settings_language_ck" CHECK (language IN ('ko', 'en'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification_settings" DROP COLUMN "language"`);
  }
}
