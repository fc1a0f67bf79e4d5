import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `madang_refuse(code)` aborts the statement that calls it with SQLSTATE MD409 and the code as
 * its message. A single-statement write (a topic agree) uses it to undo itself when a check it
 * can only make after taking its lock fails: a statement cannot otherwise roll back the rows
 * its earlier parts already wrote.
 */
export class RefuseFunction1795400000000 implements MigrationInterface {
  name = 'RefuseFunction1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION madang_refuse(code text) RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION USING ERRCODE = 'MD409', MESSAGE = code;
            END $$
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION madang_refuse(text)`);
  }
}
