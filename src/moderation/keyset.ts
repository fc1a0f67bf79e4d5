import { decodeCursor } from '../core/http/pagination';
import { Problem } from '../core/http/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MICROS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BIGINT = /^[1-9]\d{0,17}$/; // below the bigint maximum

/**
 * A timestamp column as text with PostgreSQL's full microsecond precision, for cursors: a
 * JavaScript Date keeps milliseconds only, and a keyset built from it would skip or repeat
 * rows written within the same millisecond.
 */
export const exactTime = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const invalid = (): Problem => Problem.field('cursor', 'is not valid');

/** A `[time, uuid]` keyset position, checked before it reaches SQL. */
export function decodeTimeIdCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || !MICROS_TIMESTAMP.test(at)) throw invalid();
  if (typeof id !== 'string' || !UUID.test(id)) throw invalid();
  return [at, id];
}

/** A `[bigint id]` keyset position, checked before it reaches SQL. */
export function decodeBigintCursor(cursor: string): string {
  const [id] = decodeCursor(cursor, 1);
  if (typeof id !== 'string' || !BIGINT.test(id)) throw invalid();
  return id;
}
