import { isUuid } from '../uuid';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Problem } from './problem';

/** `?limit=&cursor=` on every list. */
export class PageQuery {
  /** 1–100, default 20. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Opaque: pass back the `nextCursor` of the previous page. */
  @ApiPropertyOptional({
    description: 'Opaque: the `nextCursor` of the previous page.',
    maxLength: 512,
    pattern: '^[A-Za-z0-9_-]+$',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not valid' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 20;

/**
 * Cursors are keyset positions (the sort key of the last row seen), base64url-encoded JSON.
 * Keysets, unlike offsets, stay stable while new rows arrive.
 */
export function encodeCursor(position: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === arity &&
      value.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    ) {
      return value as (string | number | null)[];
    }
  } catch {
    // fall through
  }
  throw Problem.field('cursor', 'cursor');
}

/** What one element of a keyset position must be before it reaches SQL. */
export type CursorField = 'time' | 'uuid' | 'int' | 'bigint' | 'text';

const FIELD_CHECKS: Record<CursorField, (v: unknown) => boolean> = {
  // A timestamp as PostgreSQL's `::text` or an ISO string writes it (microseconds allowed).
  time: (v) =>
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/.test(v) &&
    !Number.isNaN(Date.parse(v.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'))),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  int: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  bigint: (v) => typeof v === 'string' && /^[1-9]\d{0,17}$/.test(v), // below the bigint maximum
  text: (v) => typeof v === 'string',
};

/**
 * A cursor decoded and every element checked against the keyset it is for, so a cursor that
 * was altered, or kept across a change of sort, is a 400 naming `cursor` and never reaches a
 * SQL cast (where it would be a 500).
 */
export function decodeKeyset(cursor: string, fields: readonly CursorField[]): (string | number)[] {
  const values = decodeCursor(cursor, fields.length);
  if (!fields.every((field, i) => FIELD_CHECKS[field](values[i])))
    throw Problem.field('cursor', 'cursor');
  return values as (string | number)[];
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says there is more. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  view: (row: Row) => Item,
  position: (row: Row) => (string | number | null)[],
): Page<Item> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { items: shown.map(view), nextCursor: more && last ? encodeCursor(position(last)) : null };
}
