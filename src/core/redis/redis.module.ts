import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createClient } from 'redis';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * Closes a client without hanging when Redis is down: a graceful close waits for the
 * connection, so an unreachable one is destroyed instead.
 */
export async function closeRedis(client: RedisClient | null | undefined): Promise<void> {
  if (!client?.isOpen) return;
  if (client.isReady) await client.close();
  else client.destroy();
}

/**
 * The shared Redis command connection, or null on a single node without REDIS_URL. Features
 * that can run either way (rate limits, the event bus) take this and pick their backend.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: RedisClient | null;
  /**
   * Starts every key and channel of this deployment (REDIS_PREFIX, resolved at start by
   * `withRedisPrefix`), so deployments sharing a Redis stay apart.
   */
  readonly prefix: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.prefix = config.REDIS_PREFIX ?? 'madang:';
    this.client = config.REDIS_URL
      ? createClient({
          url: config.REDIS_URL,
          socket: {
            // Keep retrying forever with a capped backoff: Redis restarts must heal by themselves.
            reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
            connectTimeout: 5000,
          },
          // Commands issued while Redis is down fail at once instead of piling up in memory.
          disableOfflineQueue: true,
        })
      : null;
    this.client?.on('error', (err: unknown) => this.logger.warn({ err }, 'redis error'));
  }

  async connect(): Promise<void> {
    if (this.client && !this.client.isOpen) await this.client.connect();
  }

  async ping(): Promise<boolean> {
    if (!this.client) return true;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.client);
  }
}

@Global()
@Module({ providers: [RedisService], exports: [RedisService] })
export class RedisModule {
  constructor(private readonly redis: RedisService) {}

  async onModuleInit(): Promise<void> {
    await this.redis.connect();
  }
}
