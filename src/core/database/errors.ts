import { QueryFailedError } from 'typeorm';
import { msg, Problem } from '../http/problem';

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

const pgError = (error: unknown): PgError | undefined =>
  error instanceof QueryFailedError ? (error.driverError as PgError) : undefined;

/** A unique constraint said no; optionally only the named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgError(error);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown): boolean {
  return pgError(error)?.code === '23503';
}

/** The code a statement gave `madang_refuse` (SQLSTATE MD409), if that is why it failed. */
export function refusedWith(error: unknown): string | undefined {
  const pg = pgError(error);
  return pg?.code === 'MD409' ? pg.message : undefined;
}

/**
 * No pool connection came free in time (`connectionTimeoutMillis`): the node is overloaded or
 * PostgreSQL is not answering. Nothing was written; the caller may retry, so it is a 503 with
 * Retry-After rather than an unexplained 500.
 */
export function overloaded(error: unknown): Problem | undefined {
  if (!(error instanceof Error) || error.message !== 'timeout exceeded when trying to connect')
    return undefined;
  return new Problem(503, 'service_unavailable', msg('code.service_unavailable'), undefined, {
    'Retry-After': '1',
  });
}
