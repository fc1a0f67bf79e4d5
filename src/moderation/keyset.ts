import { decodeKeyset } from '../core/http/pagination';

/**
 * A timestamp column as text with PostgreSQL's full microsecond precision, for cursors: a
 * JavaScript Date keeps milliseconds only, and a keyset built from it would skip or repeat
 * rows written within the same millisecond.
 */
export const exactTime = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A `[time, uuid]` keyset position, checked before it reaches SQL. */
export function decodeTimeIdCursor(cursor: string): [string, string] {
  return decodeKeyset(cursor, ['time', 'uuid']) as [string, string];
}

/** A `[bigint id]` keyset position, checked before it reaches SQL. */
export function decodeBigintCursor(cursor: string): string {
  return decodeKeyset(cursor, ['bigint'])[0] as string;
}
