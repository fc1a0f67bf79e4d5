import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
} from '@nestjs/common';
import { type Request, type Response } from 'express';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';
import { unavailable } from '../database/errors';
import { ackError } from '../realtime/live-ack';
import { type Lang, pickLang, socketLang } from './i18n/lang';
import { type ErrorCode, msg, Problem, problemBody } from './problem';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'service_unavailable',
};

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/** Turns anything thrown into a problem+json answer; unexpected errors leak nothing. */
export function toProblem(error: unknown, logger: Logger): Problem {
  if (error instanceof Problem) return error;
  // Nest wraps the body parser's errors in an HttpException; the original says what failed.
  const parserError =
    error instanceof HttpException && isBodyParserError(error.cause) ? error.cause : error;
  if (isBodyParserError(parserError)) {
    switch (parserError.type) {
      case 'entity.parse.failed':
        return new Problem(400, 'malformed_json', msg('code.malformed_json'), [
          { field: 'body', message: 'must be valid JSON', rule: 'json' },
        ]);
      case 'entity.too.large':
        return new Problem(413, 'payload_too_large', msg('code.payload_too_large'), [
          { field: 'body', message: 'is too large', rule: 'too_large' },
        ]);
      default:
        if (parserError.status >= 400 && parserError.status < 500) {
          return new Problem(
            parserError.status,
            CODE_BY_STATUS[parserError.status] ?? 'validation_failed',
            msg('body_unreadable'),
            [{ field: 'body', message: parserError.type }],
          );
        }
    }
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const given =
      typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message = typeof given === 'string' ? given : error.message;
    // The router's own 404 ("Cannot GET /x"): said again as a sentence of ours.
    const route = status === 404 ? /^Cannot (\w+) (\S+)$/.exec(message) : null;
    if (route) {
      return new Problem(
        404,
        'not_found',
        msg('route_not_found', {
          method: route[1]!,
          path: route[2]!,
        }),
      );
    }
    if (status < 500) return new Problem(status, CODE_BY_STATUS[status] ?? 'conflict', message);
  }
  const busy = unavailable(error);
  if (busy) {
    logger.warn({ err: error }, 'database unavailable');
    return busy;
  }
  logger.error({ err: error }, 'unexpected error');
  return new Problem(500, 'internal_error', msg('code.internal_error'));
}

export function sendProblem(res: Response, problem: Problem, lang: Lang, instance?: string): void {
  res.status(problem.status);
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('Content-Language', lang);
  res.vary('Accept-Language');
  res.type('application/problem+json');
  res.send(JSON.stringify(problemBody(problem, lang, instance)));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'ws') {
      this.answerSocket(exception, host);
      return;
    }
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    if (res.headersSent) return;
    sendProblem(
      res,
      toProblem(exception, this.logger),
      pickLang(req.headers['accept-language']),
      req.originalUrl.split('?')[0],
    );
  }

  /**
   * An exception that escaped a socket handler's own envelope (a guard, a pipe, a handler that
   * does not go through LiveHandler): Nest's default would emit an `exception` event and leave
   * the client's acknowledgement unanswered. The ack is found among the handler's arguments
   * (socket, payload, ack, event name) and answered like any refusal.
   */
  private answerSocket(exception: unknown, host: ArgumentsHost): void {
    const args = host.getArgs<unknown[]>();
    const ack = args
      .slice(1)
      .find((arg): arg is (answer: unknown) => void => typeof arg === 'function');
    const event = args.at(-1);
    const socket = args[0] as Parameters<typeof socketLang>[0] | undefined;
    ack?.(
      ackError(
        exception,
        this.logger,
        { event: typeof event === 'string' ? event : undefined },
        socket?.handshake ? socketLang(socket) : undefined,
      ),
    );
  }
}
