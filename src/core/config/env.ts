import { plainToInstance, Transform } from 'class-transformer';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
    : value;

const ORIGIN = /^https?:\/\/[^/\s?#*]+$/;

/**
 * Every setting the server reads from its environment, validated once at boot. The names are
 * the environment variable names, so the README's configuration table maps one-to-one.
 * Defaults suit a developer's machine; production mode refuses to start without real secrets.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Loopback by default: a developer's server is not reachable from the network by surprise. */
  @IsString()
  HOST = '127.0.0.1';

  /** Absent: start an embedded PostgreSQL in EMBEDDED_PG_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * Run the embedded PostgreSQL in production. Without it production refuses to start when
   * DATABASE_URL is missing, so a forgotten URL never becomes a database on a server's disk.
   */
  @Transform(toBool)
  @IsBoolean()
  EMBEDDED_POSTGRES = false;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  /** Absent: a single node with in-memory rate limits and an in-process event bus. */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^,\s]+(,rediss?:\/\/[^,\s]+)*$/, {
    message: 'REDIS_URL must be a redis:// URL (with REDIS_CLUSTER, a comma-separated list)',
  })
  REDIS_URL?: string;

  /**
   * REDIS_URL names the seed nodes of a Redis Cluster (comma-separated): keys and sharded
   * channels are spread over its masters, and the client follows the cluster's slot map.
   */
  @Transform(toBool)
  @IsBoolean()
  REDIS_CLUSTER = false;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 30)
  JWT_TTL_SECONDS = 60 * 60;

  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'ADMIN_PASSWORD must be at least 10 characters' })
  ADMIN_PASSWORD?: string;

  /** argon2id memory cost in KiB (OWASP: 19 MiB with 2 passes). Tests lower it. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  ARGON2_MEMORY_KIB = 19456;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  ARGON2_PASSES = 2;

  /** Origins allowed by CORS (exact, comma-separated). Empty: CORS closed. */
  @Transform(toList)
  @Matches(ORIGIN, { each: true, message: 'CORS_ORIGINS must hold exact origins' })
  CORS_ORIGINS: string[] = [];

  /** The server's own public origin, e.g. https://madang.seoul.go.kr. */
  @IsOptional()
  @Matches(ORIGIN, { message: 'PUBLIC_ORIGIN must be an origin like https://host' })
  PUBLIC_ORIGIN?: string;

  /** Requests per window per user (or per address when anonymous). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Sign-in and registration attempts per window per address. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  IDEMPOTENCY_TTL_HOURS = 24;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** When set, /metrics requires the header `X-Metrics-Token: <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** Hops of reverse proxies to trust for the client address (0 = none). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS = 0;

  /**
   * How Socket.IO broadcasts cross nodes when REDIS_URL is set: `sharded` (Redis 7 SPUBLISH,
   * one channel per room, so a node only receives rooms it has sockets in) or `classic`
   * (one channel for everything).
   */
  @IsIn(['sharded', 'classic'])
  SOCKET_ADAPTER: 'sharded' | 'classic' = 'sharded';

  /**
   * Accept socket handshakes without an Origin header (non-browser clients). Browsers always
   * send one, so refusing its absence closes a door without hurting browser users.
   */
  @Transform(toBool)
  @IsBoolean()
  SOCKET_ALLOW_MISSING_ORIGIN = false;

  /** Socket events per user (per connection when anonymous) per 10 seconds, across nodes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SOCKET_RATE_LIMIT = 100;

  /**
   * Socket events per 10 seconds of all anonymous connections from one client address, across
   * nodes: a viewer cannot escape the per-connection limit by reconnecting, while the viewers
   * behind one school's or city hall's address still fit.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SOCKET_ADDRESS_RATE_LIMIT = 2000;

  /**
   * Bytes a socket may have waiting to be sent before it is closed (it catches up by `seq`
   * when it returns): a client that stops reading cannot make the node hold a room's traffic
   * for it until the heartbeat gives up.
   */
  @Transform(toInt)
  @IsInt()
  @Min(16 * 1024)
  SOCKET_MAX_BUFFERED_BYTES = 1024 * 1024;

  /**
   * Prefix of every Redis key and channel this deployment uses. Unset: derived from the
   * database the nodes share, so two deployments on one Redis never see each other's
   * broadcasts, events, limits or presence.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, {
    message: 'REDIS_PREFIX must be 1–64 of A–Z a–z 0–9 : _ . -',
  })
  REDIS_PREFIX?: string;

  /** How often each node applies topic deadlines (expiry, closing); 0 turns it off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SCHEDULER_INTERVAL_SECONDS = 30;

  /**
   * How often each node sweeps for events not yet turned into notifications (commits nudge it
   * at once; the sweep catches what a node that died after its commit left) and for owed answers
   * coming due; 0 turns the notifier off on this node.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  NOTIFY_SWEEP_SECONDS = 15;

  /**
   * The SMTP relay notification email goes through, e.g. smtp://relay.internal:25 or
   * smtps://user:pass@mail.example.go.kr:465. Unset: no email (the inbox and live pushes still
   * work) and the start-up log says so.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The sender of notification email, e.g. "마당 <no-reply@madang.example.go.kr>"; required with SMTP_URL. */
  @IsOptional()
  @Matches(/^([^<>\r\n]*<)?[^@\s<>]+@[^@\s<>]+>?$/, {
    message: 'MAIL_FROM must be an address, optionally with a name: 마당 <no-reply@example.go.kr>',
  })
  MAIL_FROM?: string;

  /**
   * How often each node's email sender looks for due outbox rows (a notifier commit on the node
   * nudges it at once); 0 turns the sender off on this node (the rows wait for another node).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  EMAIL_SWEEP_SECONDS = 10;

  /**
   * How long a claimed outbox row is this node's to send; a node killed mid-send releases its
   * rows after it. Longer than the SMTP timeouts (which are kept below it), so a slow send is
   * never taken over while still under way.
   */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(3600)
  EMAIL_LEASE_SECONDS = 120;

  /** Sending attempts of one email before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  EMAIL_MAX_ATTEMPTS = 6;

  /** The first retry's delay; each next one doubles it (capped at 6 hours). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  EMAIL_RETRY_BASE_SECONDS = 60;

  /**
   * How often each node checks whether a digest period has ended (and makes its digests; safe
   * on every node at once); 0 turns the digest sweep off on this node.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  DIGEST_SWEEP_SECONDS = 300;

  /** The hour (0–23, in DIGEST_TIME_ZONE) daily and weekly (Monday) digests are made at. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  DIGEST_HOUR = 8;

  /** The time zone of DIGEST_HOUR (an IANA name). */
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, {
    message: 'DIGEST_TIME_ZONE must be an IANA time zone',
  })
  DIGEST_TIME_ZONE = 'Asia/Seoul';

  /**
   * The licence of the open data (`GET /open-data`), as the operator states it, e.g.
   * "공공누리 제1유형 (KOGL Type 1): https://www.kogl.or.kr/info/license.do". Unset: none stated.
   */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  OPEN_DATA_LICENSE?: string;

  /** JSON body limit, e.g. 100kb. */
  @Matches(/^\d+(kb|mb)$/)
  BODY_LIMIT = '100kb';
}

export interface AppConfig extends Environment {
  JWT_SECRET: string;
}

/** Where development keeps its generated JWT secret: beside the embedded data folder (`.data/`). */
export const jwtSecretFile = (config: Pick<Environment, 'EMBEDDED_PG_DIR'>): string =>
  join(dirname(resolve(config.EMBEDDED_PG_DIR)), 'jwt-secret');

/**
 * Outside production, a missing JWT_SECRET is generated once per data folder and kept in a file
 * only its owner can read, so tokens survive restarts and no secret is a constant in the code.
 * Two processes starting at once agree: only one creates the file, the other reads it.
 */
function developmentSecret(path: string): string {
  try {
    const secret = randomBytes(48).toString('base64url');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(
        `Invalid environment variables:\n  - JWT_SECRET is not set and ${path} cannot be written: ${String(error)}`,
      );
    }
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) {
    throw new ConfigError(
      `Invalid environment variables:\n  - JWT_SECRET is not set and ${path} holds no secret of at least 32 characters (delete it to have a new one made)`,
    );
  }
  return secret;
}

export class ConfigError extends Error {}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(new Environment())) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  // Optional keys do not appear on a fresh instance, so copy them by name as well.
  for (const key of [
    'DATABASE_URL',
    'REDIS_URL',
    'JWT_SECRET',
    'ADMIN_EMAIL',
    'ADMIN_PASSWORD',
    'PUBLIC_ORIGIN',
    'METRICS_TOKEN',
    'REDIS_PREFIX',
    'OPEN_DATA_LICENSE',
    'SMTP_URL',
    'MAIL_FROM',
  ]) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  const config = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const problems = validateSync(config, { whitelist: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );
  if (config.NODE_ENV === 'production') {
    if (!config.JWT_SECRET) problems.push('JWT_SECRET is required in production');
    if (!config.ADMIN_EMAIL) problems.push('ADMIN_EMAIL is required in production');
    if (!config.ADMIN_PASSWORD) problems.push('ADMIN_PASSWORD is required in production');
    if (!config.DATABASE_URL && !config.EMBEDDED_POSTGRES) {
      problems.push(
        'DATABASE_URL is required in production (or set EMBEDDED_POSTGRES=true to run the embedded PostgreSQL)',
      );
    }
  }
  if (config.SMTP_URL && !config.MAIL_FROM) {
    problems.push('MAIL_FROM is required with SMTP_URL (the sender of notification email)');
  }
  if (!isTimeZone(config.DIGEST_TIME_ZONE)) {
    problems.push(
      `DIGEST_TIME_ZONE is not a time zone this runtime knows: ${config.DIGEST_TIME_ZONE}`,
    );
  }
  if (config.DATABASE_URL && config.EMBEDDED_POSTGRES) {
    problems.push('EMBEDDED_POSTGRES=true and DATABASE_URL exclude each other: set one of them');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid environment variables:\n  - ${problems.join('\n  - ')}`);
  }
  return { ...config, JWT_SECRET: config.JWT_SECRET ?? developmentSecret(jwtSecretFile(config)) };
}
