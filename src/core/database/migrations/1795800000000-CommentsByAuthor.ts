import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Comments by author. A space's people search (GET /spaces/:id/people) asks, for every user
 * whose name matches, whether they commented in the space; with no index on `author_id` each of
 * those checks read the whole `comments` table. On 200,000 users and 1,000,000 comments a
 * one-syllable search ('김', ~20,000 matching names) had not finished after 10 minutes; with
 * this index each check reads a few index rows, and the search answers in 0.6 s (two syllables)
 * to 3 s (one) on a 2-core machine under load, most of it the scan of the names. Ordered by (created_at, id), it is also
 * the order of a person's own comments (GET /me/comments).
 */
export class CommentsByAuthor1795800000000 implements MigrationInterface {
  name = 'CommentsByAuthor1795800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "comments_author_created_idx" ON "comments" ("author_id", "created_at", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "comments_author_created_idx"`);
  }
}
