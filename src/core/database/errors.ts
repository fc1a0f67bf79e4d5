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

/** Socket errors that mean the database server could not be reached or went away. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs of a server that is shutting down, starting, or refusing connections: class 08
 * (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now) and
 * 53300 (too many connections).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/** What the pg driver says when a connection dies under a query. */
const DEAD_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

/**
 * TypeORM's refusal to run a statement on a transaction whose connection it already released:
 * with statements of one transaction in flight together, the first to meet a dead connection
 * ends the transaction, and the others then fail with this instead of the connection's error.
 */
const RELEASED = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
]);

/** The error and what it wraps (TypeORM's driverError, an Error's cause), outermost first. */
function chain(error: unknown): { code?: unknown; message?: unknown; name?: unknown }[] {
  const seen: { code?: unknown; message?: unknown; name?: unknown }[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && seen.length < 4) {
    const e = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    seen.push(e);
    current = e.driverError ?? e.cause;
  }
  return seen;
}

/**
 * The database could not do the work: no pool connection came free in time (the node is
 * overloaded or PostgreSQL is not answering), PostgreSQL is restarting or refusing connections,
 * or the connection died under the statement. The caller may retry, so it is a 503 with
 * Retry-After rather than an unexplained 500. The answer does not claim that nothing was written:
 * a connection that dies during COMMIT leaves that unknown, so clients retry with the same
 * Idempotency-Key (or an idempotent method), which writes at most once.
 */
export function unavailable(error: unknown): Problem | undefined {
  const hit = chain(error).some(
    ({ code, message, name }) =>
      (typeof name === 'string' && RELEASED.has(name)) ||
      (typeof code === 'string' &&
        (CONNECTION_ERRNOS.has(code) || UNAVAILABLE_STATES.test(code))) ||
      (typeof message === 'string' && DEAD_CONNECTION.test(message)),
  );
  if (!hit) return undefined;
  return new Problem(503, 'service_unavailable', msg('db_unavailable'), undefined, {
    'Retry-After': '1',
  });
}
