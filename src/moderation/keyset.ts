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

/** How a `(time, id)` keyset walks: its order, and the keyword its condition follows. */
export interface TimeIdKeyset {
  time: string;
  id: string;
  order: 'ASC' | 'DESC';
  lead: 'AND' | 'WHERE';
}

/**
 * The condition for the rows after `cursor` (a `[time, uuid]` position) in `(time, id)` order,
 * shared by every `(created_at, id)` list of moderation (reports, report groups, bans): pushes the
 * position onto `params` and answers `lead (time, id) < ($n::timestamptz, $m::uuid)` (`>` for
 * ASC), or '' without a cursor. The cursor is checked before it reaches SQL.
 */
export function afterTimeId(
  params: unknown[],
  cursor: string | undefined,
  keyset: TimeIdKeyset,
): string {
  if (!cursor) return '';
  const [at, id] = decodeTimeIdCursor(cursor);
  params.push(at, id);
  const n = params.length;
  const cmp = keyset.order === 'DESC' ? '<' : '>';
  return `${keyset.lead} (${keyset.time}, ${keyset.id}) ${cmp} ($${n - 1}::timestamptz, $${n}::uuid)`;
}
