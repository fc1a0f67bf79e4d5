import { type LoggerService } from '@nestjs/common';
import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout: one line per event, ready for any log shipper. */
export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({
    level,
    base: { service: 'madang' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', 'password'],
      censor: '[redacted]',
    },
  });
}

/**
 * Nest's start-up chatter: a line per module, per route mapped and per socket event subscribed,
 * and its own "starting"/"started" lines. Logged at debug, so that an info log shows the one
 * line the server writes once it listens.
 */
const START_UP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/** Routes Nest's own log calls into the same structured logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    if (context !== undefined && START_UP_CONTEXTS.has(context)) {
      this.logger.debug({ context }, String(message));
    } else {
      this.logger.info({ context }, String(message));
    }
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
