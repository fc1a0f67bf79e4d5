import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { socketLang } from '../http/i18n/lang';
import { Problem } from '../http/problem';
import { assertPayloadShape } from '../http/payload-shape';
import { RedisThrottlerStorage } from '../http/rate-limit/redis-throttler.storage';
import { flattenValidationErrors } from '../http/validation';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';
import { RedisService } from '../redis/redis.module';
import { ackError } from './live-ack';
import { type LiveClientEvent, type LiveClientEvents } from '../../protocol/live';
import { type LiveAck, type LiveSocket } from './live-socket';
import { clientAddress } from './socket-address';

type DtoClass<D> = new () => D;

/**
 * The DTO class of an event, checked against the protocol both ways: everything the client may
 * send is a field the DTO validates, and every field the DTO requires is one the client sends.
 */
type DtoFor<E extends LiveClientEvent, D> = DtoClass<D> &
  ([LiveClientEvents[E]['payload']] extends [D]
    ? unknown
    : { 'the DTO does not take the payload of this event': LiveClientEvents[E]['payload'] });

/** The window of every socket limit. */
export const SOCKET_WINDOW_MS = 10_000;

/**
 * Runs one client→server event: rate limit, payload checks and validation with the same rules
 * as HTTP (depth and prototype keys first, then unknown fields refused), the handler, and the
 * acknowledgement envelope — refusals and failures included, so every event is answered.
 * Gateways stay thin: each handler is one call to `run` and the rules live in services.
 *
 * Limits: a signed-in user has SOCKET_RATE_LIMIT events per window wherever they connect from
 * (every tab and node counts together, in Redis). An anonymous viewer has as many per
 * connection, and the connections of one address share SOCKET_ADDRESS_RATE_LIMIT — a viewer
 * who opens a connection per event gains nothing, while a school or a city hall behind one
 * address still fits a crowd of viewers.
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
      ? new RedisThrottlerStorage(redis.client, logger, redis.prefix)
      : new ThrottlerStorageService();
  }

  onApplicationShutdown(): void {
    if (this.counter instanceof RedisThrottlerStorage) this.counter.close();
    else this.counter.onApplicationShutdown();
  }

  async run<E extends LiveClientEvent, D extends LiveClientEvents[E]['payload']>(
    socket: LiveSocket,
    event: E,
    dtoClass: DtoFor<E, D>,
    payload: unknown,
    handler: (dto: D) => Promise<LiveClientEvents[E]['ack']>,
  ): Promise<LiveAck<E>> {
    try {
      await this.limit(socket);
      const dto = await this.parse(dtoClass, payload);
      return { ok: true, data: await handler(dto) };
    } catch (error) {
      return ackError(error, this.logger, { event, socket: socket.id }, socketLang(socket));
    }
  }

  private async limit(socket: LiveSocket): Promise<void> {
    const user = socket.data.user;
    if (user) {
      await this.count(`user:${user.id}`, this.config.SOCKET_RATE_LIMIT);
      return;
    }
    await this.count(`socket:${socket.id}`, this.config.SOCKET_RATE_LIMIT);
    await this.count(
      `address:${clientAddress(socket, this.config.TRUST_PROXY_HOPS)}`,
      this.config.SOCKET_ADDRESS_RATE_LIMIT,
    );
  }

  private async count(key: string, limit: number): Promise<void> {
    const record = await this.counter.increment(
      key,
      SOCKET_WINDOW_MS,
      limit,
      SOCKET_WINDOW_MS,
      'live',
    );
    if (record.isBlocked || record.totalHits > limit) {
      throw Problem.rateLimited(record.timeToBlockExpire || record.timeToExpire);
    }
  }

  private async parse<D extends object>(dtoClass: DtoClass<D>, payload: unknown): Promise<D> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw Problem.field('payload', 'payload_object');
    }
    // Before any transform: the transformer and validator recurse and drop prototype keys.
    assertPayloadShape(payload, 'payload');
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
