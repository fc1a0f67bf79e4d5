import { type EntityManager } from 'typeorm';

/** Whatever runs SQL: the data source's manager, or a transaction's. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * Runs SQL and returns its rows whatever the command. TypeORM's `query()` answers
 * UPDATE and DELETE with `[rows, affectedCount]` but SELECT and INSERT with the rows alone;
 * this evens that out so `UPDATE … RETURNING` reads like a SELECT.
 */
export async function queryRows<T>(
  db: Queryable,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
