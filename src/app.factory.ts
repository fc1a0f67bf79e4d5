import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { type AppConfig } from './core/config/env';
import { bodyShape } from './core/http/body-checks';
import { requestLogging } from './core/http/request-logging';
import { WebClient } from './core/http/web-client';
import { EmbedService } from './embed/embed.service';
import { STREAM_FRAME_ORIGINS } from './rooms/stream-url';
import { createValidationPipe } from './core/http/validation';
import { buildOpenApiDocument } from './core/openapi/openapi-document';
import { type Logger, NestPinoLogger } from './core/logging/logger';
import { MetricsService } from './core/metrics/metrics.service';
import { OriginPolicy } from './core/realtime/origin-policy';
import { MadangIoAdapter } from './core/realtime/socket-io.adapter';
import { withRedisPrefix } from './core/redis/deployment-prefix';
import { RedisService } from './core/redis/redis.module';
import { TokenService } from './identity/auth/token.service';

export const API_PREFIX = 'api/v1';

/**
 * Builds the whole application exactly as production runs it. The server entry point and the
 * end-to-end tests both call this, so tests exercise the real pipes, filters and headers.
 */
export async function createApp(given: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const config = await withRedisPrefix(given);
  // The adapter is passed explicitly rather than discovered by Nest's package loader, which
  // keeps the dependency visible and works the same under the test runner.
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger),
    new ExpressAdapter(),
    {
      logger: new NestPinoLogger(logger.child({ component: 'nest' })),
      bodyParser: false,
      abortOnError: false,
    },
  );
  configureApp(app, config, logger);
  const sockets = new MadangIoAdapter(app, {
    config,
    logger,
    metrics: app.get(MetricsService),
    redis: app.get(RedisService),
    tokens: app.get(TokenService),
    origins: app.get(OriginPolicy),
  });
  await sockets.connect();
  app.useWebSocketAdapter(sockets);
  return app;
}

export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.use(requestLogging(logger, app.get(MetricsService)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          // Pages are never framed unless a route opts in (the embed widget sets its own).
          'frame-ancestors': ["'none'"],
          // A room's stream: exactly the two video players it may frame; an HLS or MP4
          // stream's own origin is added to media-src by the room's page alone. 'self' is for
          // the back office's widget preview (only widget pages let themselves be framed).
          'frame-src': ["'self'", ...STREAM_FRAME_ORIGINS],
          'media-src': ["'self'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  // Closed unless origins are configured; credentials are bearer tokens, never cookies.
  app.enableCors({
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  // The contract's unsubscribe address is outside /api/v1 (API.md); emails link to the
  // /api/v1 one. Both reach the same route.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.path === '/unsubscribe') req.url = `/${API_PREFIX}${req.url}`;
    next();
  });
  // The browser client: its assets and its page paths; everything else falls through to Nest.
  const embed = app.get(EmbedService);
  app.use(...app.get(WebClient).middleware((roomId) => embed.streamOrigin(roomId)));
  app.useBodyParser('json', { limit: config.BODY_LIMIT, strict: true });
  // A budget's voter roll comes as CSV (PUT /budgets/:id/voters, the one route that takes it).
  app.useBodyParser('text', { type: 'text/csv', limit: '5mb' });
  // Forms are parsed for the one route that takes one (RFC 8058 one-click unsubscribe); every
  // other route still refuses them with 415 (BodyTypeGuard).
  app.useBodyParser('urlencoded', { limit: '2kb', extended: false });
  app.use(bodyShape());
  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks(): the entry point owns SIGTERM/SIGINT and orders the shutdown
  // (server first, then the embedded database); app.close() still runs every shutdown hook.

  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, { strict: false }), {
    jsonDocumentUrl: 'api/docs-json',
  });
}

/** `/api/v1` before every route but the operational and embed ones (shared with the OpenAPI writer). */
export function applyGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'embed.js', method: RequestMethod.GET },
      { path: 'embed/topics/:id', method: RequestMethod.GET },
      { path: 'embed/rooms/:id', method: RequestMethod.GET },
      { path: 'embed/signin', method: RequestMethod.GET },
    ],
  });
}

export type { INestApplication };
