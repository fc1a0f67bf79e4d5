import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { socketLang } from '../http/i18n/lang';
import { localize } from '../http/i18n/localize';
import { msg, Problem } from '../http/problem';
import { overloaded } from '../database/errors';
import { RedisThrottlerStorage } from '../http/rate-limit/redis-throttler.storage';
import { flattenValidationErrors } from '../http/validation';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';
import { RedisService } from '../redis/redis.module';
import { type Ack, type LiveSocket } from './live-socket';

type DtoClass<D> = new () => D;

const WINDOW_MS = 10_000;

/**
 * Runs one client→server event: rate limit (per user across nodes, per connection when
 * anonymous), payload validation with the same rules as HTTP (unknown fields refused), the
 * handler, and the acknowledgement envelope. Gateways stay thin: each handler is one call
 * to `run` and the rules live in services.
 */
@Injectable()
export class LiveHandler implements OnApplicationShutdown {
  private readonly counter: RedisThrottlerStorage | ThrottlerStorageService;

  constructor(
    redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.counter = redis.client
      ? new RedisThrottlerStorage(redis.client, logger)
      : new ThrottlerStorageService();
  }

  onApplicationShutdown(): void {
    if (this.counter instanceof RedisThrottlerStorage) this.counter.close();
    else this.counter.onApplicationShutdown();
  }

  async run<D extends object, T>(
    socket: LiveSocket,
    event: string,
    dtoClass: DtoClass<D>,
    payload: unknown,
    handler: (dto: D) => Promise<T>,
  ): Promise<Ack<T>> {
    try {
      await this.limit(socket);
      const dto = await this.parse(dtoClass, payload);
      return { ok: true, data: await handler(dto) };
    } catch (error) {
      const problem = error instanceof Problem ? error : overloaded(error);
      if (problem) {
        const message = localize(problem, socketLang(socket)).detail;
        return { ok: false, error: { code: problem.code, message } };
      }
      this.logger.error({ err: error, event, socket: socket.id }, 'live event failed');
      return {
        ok: false,
        error: {
          code: 'internal_error',
          message: localize(
            new Problem(500, 'internal_error', msg('code.internal_error')),
            socketLang(socket),
          ).detail,
        },
      };
    }
  }

  private async limit(socket: LiveSocket): Promise<void> {
    const key = socket.data.user ? `user:${socket.data.user.id}` : `socket:${socket.id}`;
    const record = await this.counter.increment(
      key,
      WINDOW_MS,
      this.config.SOCKET_RATE_LIMIT,
      WINDOW_MS,
      'live',
    );
    if (record.isBlocked || record.totalHits > this.config.SOCKET_RATE_LIMIT) {
      throw Problem.rateLimited(record.timeToBlockExpire || record.timeToExpire);
    }
  }

  private async parse<D extends object>(dtoClass: DtoClass<D>, payload: unknown): Promise<D> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw Problem.field('payload', 'payload_object');
    }
    const dto = plainToInstance(dtoClass, payload);
    const errors = await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
    });
    if (errors.length > 0) {
      const fields = flattenValidationErrors(errors);
      throw Problem.badRequest(
        `Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
        fields,
      );
    }
    return dto;
  }
}
