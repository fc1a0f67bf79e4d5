import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Durable events carry the time each was written (`clock_timestamp()`), not the start of the
 * transaction that wrote them (`now()`): one transaction can write several events (a comment
 * that crosses a rung, a room that goes live and pins), and what is ordered by an event's time
 * — the inbox of the notifications it makes — must keep their order.
 */
export class EventClock1795710000000 implements MigrationInterface {
  name = 'EventClock1795710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['topic_events', 'room_events'])
      await queryRunner.query(
        `ALTER TABLE "${table}" ALTER COLUMN "created_at" SET DEFAULT clock_timestamp()`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['topic_events', 'room_events'])
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "created_at" SET DEFAULT now()`);
  }
}
