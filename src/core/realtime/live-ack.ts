import { DEFAULT_LANG, type Lang } from '../http/i18n/lang';
import { localize } from '../http/i18n/localize';
import { msg, Problem } from '../http/problem';
import { unavailable } from '../database/errors';
import { type Logger } from '../logging/logger';
import { type Ack } from './live-socket';

/** The refusal every failed client event is answered with. */
export type AckError = Extract<Ack<never>, { ok: false }>;

/** Seconds to wait before retrying, for the refusals that name one (rate limit, overload). */
function retryAfter(problem: Problem): number | undefined {
  const header = problem.headers['Retry-After'];
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * Maps anything a socket event handler threw to the acknowledgement the client gets: a refusal
 * keeps its code (and `retryAfter`), a database that cannot answer is `service_unavailable`, and
 * anything unexpected is logged and answered `internal_error` without detail. Every path through
 * the live namespace answers with this, in the socket's language (`auth.lang`), so no client
 * waits for an ack that never comes.
 */
export function ackError(
  error: unknown,
  logger: Logger,
  context: Record<string, unknown>,
  lang: Lang = DEFAULT_LANG,
): AckError {
  const problem = error instanceof Problem ? error : unavailable(error);
  if (problem) {
    if (problem.status >= 500)
      logger.warn({ err: error, ...context }, 'live event refused: unavailable');
    const after = retryAfter(problem);
    return {
      ok: false,
      error: {
        code: problem.code,
        message: localize(problem, lang).detail,
        ...(after !== undefined ? { retryAfter: after } : {}),
      },
    };
  }
  logger.error({ err: error, ...context }, 'live event failed');
  return {
    ok: false,
    error: {
      code: 'internal_error',
      message: localize(new Problem(500, 'internal_error', msg('code.internal_error')), lang)
        .detail,
    },
  };
}
