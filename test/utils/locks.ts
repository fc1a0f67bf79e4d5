import { type DataSource } from 'typeorm';
import { eventually } from './eventually';

/**
 * Runs `write` in a transaction left open, starts `request`, waits until a backend is blocked
 * on a lock while running a statement that contains `waiting` (the request has read its
 * snapshot and reached the row `write` holds), then commits `write` and answers the request's
 * outcome. This is the real interleaving of a concurrent change, not a simulation of it.
 */
export async function racingCommit<T>(
  db: DataSource,
  write: { sql: string; params: unknown[] },
  waiting: string,
  request: () => Promise<T>,
): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query(write.sql, write.params);
    const answer = request();
    await eventually(
      async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND position($1 in query) > 0 AND pid <> pg_backend_pid()`,
            [waiting],
          )
        )[0].n as number,
      (n) => n === 1,
    );
    await runner.commitTransaction();
    return await answer;
  } finally {
    await runner.release();
  }
}
