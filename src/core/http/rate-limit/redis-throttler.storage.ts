import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { type Logger } from '../../logging/logger';
import { type RedisClient, redisReady } from '../../redis/redis.module';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * A fixed window per key, counted atomically in Redis so every node shares one limit. A key
 * that goes over its limit is blocked for `blockDuration`. Times in and out follow the
 * throttler's contract: milliseconds in, seconds out.
 */
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blockTtl = tonumber(ARGV[3])
end
return { hits, ttl, blockTtl }
`;

/**
 * Counts in Redis; while Redis is unreachable it counts in this node's memory instead, so an
 * outage loosens limits to per-node ones rather than failing every request.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly fallback = new ThrottlerStorageService();
  private degraded = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly logger: Logger,
    /** The deployment's key prefix (RedisService.prefix). */
    private readonly prefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!redisReady(this.redis)) return this.local(key, ttl, limit, blockDuration, throttlerName);
    // One hash tag for the counter and its block, so a Redis Cluster keeps both on one slot
    // (the script touches both).
    const base = `${this.prefix}rl:{${throttlerName}:${key}}`;
    try {
      const [hits, ttlMs, blockMs] = (await this.redis.eval(SCRIPT, {
        keys: [base, `${base}:blocked`],
        arguments: [String(ttl), String(limit), String(blockDuration || ttl)],
      })) as [number, number, number];
      if (this.degraded) {
        this.degraded = false;
        this.logger.info('rate limits are shared across nodes again');
      }
      const isBlocked = blockMs > 0;
      return {
        totalHits: hits,
        timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil(blockMs / 1000) : 0,
      };
    } catch (err) {
      this.logger.warn({ err }, 'rate limit store unreachable; counting on this node');
      return this.local(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  /** Stops the in-memory fallback's timers. */
  close(): void {
    this.fallback.onApplicationShutdown();
  }

  private local(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.degraded) {
      this.degraded = true;
      this.logger.warn('Redis is unavailable: rate limits are per node until it returns');
    }
    return this.fallback.increment(key, ttl, limit, blockDuration, name);
  }
}
