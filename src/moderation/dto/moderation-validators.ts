import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * At most `max` Unicode code points — what PostgreSQL's varchar(n) counts. class-validator's
 * Length counts an emoji with a variation selector as one character, so a string it accepts
 * can still overflow the column; this closes that gap (a 400, never a database error).
 */
export function MaxCodePoints(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'maxCodePoints',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [max],
      options: { message: `$property must be at most ${max} characters`, ...options },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || [...value].length <= max,
      },
    });
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Parses an ISO 8601 date-time with a time zone (`2030-01-31T18:00:00Z`, `…+09:00`). Unlike
 * Date.parse it refuses impossible calendar dates such as 31 February, which JavaScript
 * would roll over and PostgreSQL would refuse.
 */
export function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const part = (index: number): number => Number(match[index] ?? 0);
  const year = part(1);
  const month = part(2);
  const day = part(3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return null;
  if (part(4) > 23 || part(5) > 59 || part(6) > 59 || part(7) > 14 || part(8) > 59) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

/** An ISO 8601 date-time with a time zone that lies in the future. */
export function IsFutureDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an ISO 8601 date-time with a time zone, e.g. 2030-01-31T18:00:00Z',
        ...options,
      },
      validator: { validate: (value: unknown) => parseDateTime(value) !== null },
    });
    registerDecorator({
      name: 'isFuture',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be in the future', ...options },
      validator: {
        validate: (value: unknown) => {
          const date = parseDateTime(value);
          // A malformed value is reported by isDateTime alone.
          return date === null || date.getTime() > Date.now();
        },
      },
    });
  };
}

/** An ISO 8601 date-time with a time zone, past or future (filters, ranges). */
export function IsDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an ISO 8601 date-time with a time zone, e.g. 2030-01-31T18:00:00Z',
        ...options,
      },
      validator: { validate: (value: unknown) => parseDateTime(value) !== null },
    });
}
