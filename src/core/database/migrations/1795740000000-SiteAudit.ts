import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Site-wide actions are audited too: an administrator's change of someone's global role
 * belongs to no space, so its audit row has no `space_id`. A space's log still reads only its
 * own rows; the administrators' log reads them all.
 */
export class SiteAudit1795740000000 implements MigrationInterface {
  name = 'SiteAudit1795740000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "space_id" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The log is append-only: site-wide rows cannot be deleted, so the column can only be made
    // required again where there are none.
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "space_id" SET NOT NULL`);
  }
}
