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
      ? new RedisThrottlerStorage(redis.client, logger)
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

/** Answers 429 as problem+json with Retry-After instead of the library's plain error. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
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
