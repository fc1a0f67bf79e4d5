import {
  IsIn,
  IsOptional,
  IsUUID,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A property decorator for one check: a 400 naming the field with `message` when it fails. */
const rule =
  (name: string, message: string, validate: (value: unknown) => boolean) =>
  (options?: ValidationOptions): PropertyDecorator =>
  (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate },
    });

/** IANA time-zone names this runtime knows (PostgreSQL reads the same tz database). */
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

const IsTimeZone = rule(
  'isTimeZone',
  'must be an IANA time zone such as Asia/Seoul or UTC',
  (value) => typeof value === 'string' && TIME_ZONES.has(value),
);

/** A calendar day that exists (2026-02-30 does not). */
const IsDay = rule('isDay', 'must be a date written YYYY-MM-DD', (value) => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
});

/** What every export takes. */
export class ExportQuery {
  /** `json` (default): an array of objects; `csv`: RFC 4180 with a header line. */
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  /** Only this space. */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  spaceId?: string;
}

export class TopicsExportQuery extends ExportQuery {}

/** Exports of what belongs to topics: all of them, or one. */
export class TopicPartsExportQuery extends ExportQuery {
  /** Only this topic. */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  topicId?: string;
}

export class DailyAgreesQuery extends TopicPartsExportQuery {
  /** First day listed (YYYY-MM-DD, in `timeZone`). */
  @IsOptional()
  @IsDay()
  from?: string;

  /** Last day listed (YYYY-MM-DD, in `timeZone`). */
  @IsOptional()
  @IsDay()
  to?: string;

  /** The time zone that days are counted in (IANA name); default `UTC`. */
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;
}
