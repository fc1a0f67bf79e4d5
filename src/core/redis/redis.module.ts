import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, createCluster } from 'redis';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';

/**
 * A connection to a single Redis, or to a Redis Cluster (REDIS_CLUSTER): the commands Madang
 * uses read the same on both, and a cluster routes each to the master of its key's slot.
 */
export type RedisClient = ReturnType<typeof createClient> | ReturnType<typeof createCluster>;

/**
 * Whether the client can take commands now. A single client says so itself; a cluster client
 * is open while it follows the cluster (each of its node clients reconnects on its own).
 */
export function redisReady(client: RedisClient | null | undefined): client is RedisClient {
  return !!client && takesCommands(client);
}

function takesCommands(client: RedisClient): boolean {
  const ready: unknown = (client as { isReady?: unknown }).isReady;
  return typeof ready === 'boolean' ? ready : client.isOpen;
}

/**
 * Closes a client without hanging when Redis is down: a graceful close waits for the
 * connection, so an unreachable one is destroyed instead.
 */
export async function closeRedis(client: RedisClient | null | undefined): Promise<void> {
  if (!client?.isOpen) return;
  if (takesCommands(client)) await client.close();
  else client.destroy();
}

/** The client REDIS_URL (and REDIS_CLUSTER) describe. */
function connectTo(config: AppConfig): RedisClient {
  const socket = {
    // Keep retrying forever with a capped backoff: Redis restarts must heal by themselves.
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
    connectTimeout: 5000,
  };
  // Commands issued while Redis is down fail at once instead of piling up in memory.
  const disableOfflineQueue = true;
  if (config.REDIS_CLUSTER) {
    return createCluster({
      rootNodes: config.REDIS_URL!.split(',').map((url) => ({ url })),
      defaults: { socket, disableOfflineQueue },
    });
  }
  return createClient({ url: config.REDIS_URL, socket, disableOfflineQueue });
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
    this.client = config.REDIS_URL ? connectTo(config) : null;
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
