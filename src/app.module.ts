import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, ConfigModule } from './core/config/config.module';
import { type AppConfig } from './core/config/env';
import { DatabaseModule } from './core/database/database.module';
import { HealthModule } from './core/health/health.module';
import { BodyTypeGuard } from './core/http/body-checks';
import { IdempotencyModule } from './core/http/idempotency/idempotency.module';
import { PublicPageModule } from './core/http/public-page/public-page.module';
import { ProblemDetailsFilter } from './core/http/problem-details.filter';
import { RateLimitGuard, throttlerOptions } from './core/http/rate-limit/rate-limit';
import { LOGGER, LoggingModule } from './core/logging/logging.module';
import { type Logger } from './core/logging/logger';
import { MetricsModule } from './core/metrics/metrics.module';
import { RedisModule, RedisService } from './core/redis/redis.module';
import { AuthGuard } from './identity/auth/auth.guard';
import { AdminBootstrap } from './identity/users/admin-bootstrap';
import { IdentityModule } from './identity/identity.module';
import { SpacesModule } from './spaces/spaces.module';
import { TopicsModule } from './topics/topics.module';
import { ModerationModule } from './moderation/moderation.module';
import { CommentsModule } from './comments/comments.module';
import { ReactionsModule } from './reactions/reactions.module';
import { EventsModule } from './core/events/events.module';
import { RealtimeModule } from './core/realtime/realtime.module';
import { TopicStreamModule } from './topic-stream/topic-stream.module';
import { RoomsModule } from './rooms/rooms.module';
import { EmbedModule } from './embed/embed.module';
import { OpenDataModule } from './open-data/open-data.module';
import { ProfileModule } from './profile/profile.module';
import { BudgetsModule } from './budgets/budgets.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  /** The configuration is resolved (and the embedded database started) before the app. */
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        MetricsModule,
        RedisModule,
        DatabaseModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, RedisService, LOGGER],
          useFactory: throttlerOptions,
        }),
        IdempotencyModule,
        PublicPageModule,
        HealthModule,
        IdentityModule,
        SpacesModule,
        EventsModule,
        RealtimeModule,
        TopicsModule,
        CommentsModule,
        ReactionsModule,
        ModerationModule,
        TopicStreamModule,
        RoomsModule,
        EmbedModule,
        OpenDataModule,
        ProfileModule,
        BudgetsModule,
        NotificationsModule,
      ],
      providers: [
        // Order matters: authentication first, so rate limits can count per user.
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: BodyTypeGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        AdminBootstrap,
      ],
    };
  }
}
