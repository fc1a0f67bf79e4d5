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
    // The log is append-only (a trigger refuses DELETE), so site-wide rows cannot be dropped to
    // make the column required again; reverting past this point then needs a backup from before
    // it. Said in words rather than left to PostgreSQL's "contains null values".
    const rows = (await queryRunner.query(
      `SELECT count(*)::int AS n FROM "audit_log" WHERE "space_id" IS NULL`,
    )) as { n: number }[];
    const siteWide = rows[0]?.n ?? 0;
    if (siteWide > 0)
      throw new Error(
        `SiteAudit cannot be reverted: audit_log holds ${siteWide} site-wide row(s) with no space, ` +
          'and the log is append-only. Restore a backup taken before this migration instead.',
      );
    await queryRunner.query(`ALTER TABLE "audit_log" ALTER COLUMN "space_id" SET NOT NULL`);
  }
}
