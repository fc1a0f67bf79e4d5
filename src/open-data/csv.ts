import { type Column } from './datasets';

/** A row of a dataset: its column names to values (null for an empty cell). */
export type Row = Record<string, string | number | string[] | Date | null>;

/** A spreadsheet would run a text cell that starts with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The text of one value, as both formats write it (timestamps in ISO 8601 UTC). */
function text(value: Row[string]): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or leading or
 * trailing space, quotes doubled. A free-text value that a spreadsheet would take for a formula
 * gets a leading apostrophe, so that opening the file runs nothing (OWASP "CSV injection"); the
 * JSON format carries the text unchanged.
 */
export function csvField(column: Column, value: Row[string]): string {
  let field = text(value);
  if (field === null) return '';
  if (column.type === 'text' && FORMULA_START.test(field)) field = `'${field}`;
  return /[",\r\n]|^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** One CSV record, CRLF-terminated as RFC 4180 has it. */
export function csvRecord(columns: readonly Column[], row: Row): string {
  return `${columns.map((c) => csvField(c, row[c.name] ?? null)).join(',')}\r\n`;
}

export function csvHeader(columns: readonly Column[]): string {
  return `${columns.map((c) => c.name).join(',')}\r\n`;
}

/** One JSON record: the same names, dates as ISO strings, arrays as arrays, nulls as null. */
export function jsonRecord(columns: readonly Column[], row: Row): string {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const value = row[c.name] ?? null;
    out[c.name] = value instanceof Date ? value.toISOString() : value;
  }
  return JSON.stringify(out);
}
