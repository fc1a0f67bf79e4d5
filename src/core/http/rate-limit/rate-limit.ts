import { type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { type Request } from 'express';
import { type AppConfig } from '../../config/env';
import { type Logger } from '../../logging/logger';
import { MetricsService } from '../../metrics/metrics.service';
import { type RedisService } from '../../redis/redis.module';
import { Problem } from '../problem';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const AUTH_LIMITED = 'madang:auth-rate-limited';

/**
 * Marks sign-in and registration: they get a stricter limit per client address on top of
 * the general one, to slow down password guessing and mass sign-ups.
 */
export const AuthRateLimit = (): MethodDecorator => SetMetadata(AUTH_LIMITED, true);

const isAuthLimited = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(AUTH_LIMITED, context.getHandler()) === true;

interface AuthedRequest extends Request {
  user?: { id: string };
}

export function throttlerOptions(
  config: AppConfig,
  redis: RedisService,
  logger: Logger,
): ThrottlerModuleOptions {
  const window = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  return {
    // Without Redis the limits are per node, which is right for a single node.
    storage: redis.client
      ? new RedisThrottlerStorage(redis.client, logger, redis.prefix)
      : new ThrottlerStorageService(),
    throttlers: [
      {
        name: 'default',
        limit: config.RATE_LIMIT,
        ttl: window,
        // Signed-in users are limited as themselves wherever they connect from.
        getTracker: (req) =>
          (req as AuthedRequest).user?.id ?? (req as AuthedRequest).ip ?? 'unknown',
      },
      {
        name: 'auth',
        limit: config.AUTH_RATE_LIMIT,
        ttl: window,
        skipIf: (context) => !isAuthLimited(context),
        getTracker: (req) => (req as AuthedRequest).ip ?? 'unknown',
      },
    ],
  };
}

/**
 * HTTP rate limits, answered as problem+json 429 with Retry-After instead of the library's plain
 * error. Registered as a global guard, it would also run before every socket event handler,
 * where it finds neither a user nor an address: every socket of every user would then share
 * one bucket per event, and its refusal would never reach the client's acknowledgement. Socket
 * events have their own limiter (LiveHandler), per user, so this guard keeps to HTTP.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http' || (await super.shouldSkip(context));
  }

  // A property, so that the library guard's constructor stays as it is.
  @Inject(MetricsService) private readonly metrics!: MetricsService;

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    this.metrics.rateLimited.inc({ transport: 'http' });
    throw Problem.rateLimited(detail.timeToBlockExpire || detail.timeToExpire);
  }
}
