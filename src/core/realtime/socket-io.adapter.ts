import { type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { type MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, type Observable } from 'rxjs';
import { type Server, type ServerOptions, type Socket } from 'socket.io';
import { type AppConfig } from '../config/env';
import { type Logger } from '../logging/logger';
import { type MetricsService } from '../metrics/metrics.service';
import { closeRedis, type RedisClient, type RedisService } from '../redis/redis.module';
import { type TokenVerifier } from '../auth/auth-user';
import { LIVE_NAMESPACE } from './live-socket';
import { ackError } from './live-ack';
import { type OriginPolicy } from './origin-policy';
import { socketAuth } from './socket-auth';
import { SlowConsumers } from './slow-consumers';
import { SubscriptionKeeper } from './subscription-keeper';

/** Largest packet a client may send; Socket.IO's default is 1 MB. */
export const MAX_PACKET_BYTES = 64 * 1024;

type Answer = (value: unknown) => void;

/** What an event gets when its handler finished without answering (the framework ate an error). */
const UNANSWERED = {
  ok: false,
  error: { code: 'internal_error', message: 'Something went wrong on our side.' },
} as const;

export interface RealtimeDeps {
  config: AppConfig;
  logger: Logger;
  metrics: MetricsService;
  redis: RedisService;
  tokens: TokenVerifier;
  origins: OriginPolicy;
}

/**
 * The Socket.IO server on the application's HTTP server: Origin allowlist in `allowRequest`
 * (WebSocket and polling alike, before any socket exists), small packets, authentication in
 * the namespace middleware, and — with Redis — an adapter that carries room broadcasts to
 * every node.
 */
export class MadangIoAdapter extends IoAdapter {
  private pub?: RedisClient;
  private sub?: RedisClient;
  private keeper?: SubscriptionKeeper;
  private slow?: SlowConsumers;

  constructor(
    app: INestApplicationContext,
    private readonly deps: RealtimeDeps,
  ) {
    super(app);
  }

  /** Connects the adapter's own Redis clients (publishing and subscribing need their own). */
  async connect(): Promise<void> {
    const base = this.deps.redis.client;
    if (!base) return;
    this.pub = base.duplicate();
    this.sub = base.duplicate();
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: unknown) =>
        this.deps.logger.warn({ err }, 'socket adapter redis error'),
      );
    }
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.guard(this.pub, ['publish', 'sPublish']);
    // Subscriptions that fail during an outage are made again when Redis is back.
    this.keeper = new SubscriptionKeeper(this.sub, this.deps.logger);
  }

  /**
   * The adapters publish without handling a failure (the classic one its PUBLISH, the sharded
   * one its SPUBLISH). While Redis is down the client refuses commands (no offline queue), and
   * an unhandled rejection would bring the whole node down with every socket on it. A lost
   * broadcast is expected during an outage — clients close their gaps from PostgreSQL — so it
   * is logged.
   */
  private guard(client: RedisClient, commands: string[]): void {
    const logger = this.deps.logger;
    const target = client as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const command of commands) {
      const original = target[command];
      if (typeof original !== 'function') continue;
      Object.defineProperty(client, command, {
        value: (...args: unknown[]) => {
          const result = original.apply(client, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => {
                logger.warn({ err, command }, 'socket adapter redis command failed');
                return undefined;
              })
            : result;
        },
      });
    }
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const { config, origins, logger, metrics, tokens } = this.deps;
    const settings: Partial<ServerOptions> = {
      ...options,
      path: '/socket.io',
      serveClient: false,
      maxHttpBufferSize: MAX_PACKET_BYTES,
      transports: ['websocket', 'polling'],
      // Refused origins never reach the CORS answer; allowed cross-origin embeds need it for
      // the polling transport. No cookies are used, so no credentials.
      cors: { origin: true, credentials: false },
      allowRequest: (req, callback) => {
        origins.allows(req).then(
          (ok) => callback(ok ? null : 'origin not allowed', ok),
          (err: unknown) => {
            logger.error({ err }, 'origin check failed');
            callback('origin check failed', false);
          },
        );
      },
    };
    // Socket.IO's constructor takes partial options; Nest's signature names the full type.
    const server = super.createIOServer(port, settings as ServerOptions);
    if (this.pub && this.sub) {
      // The deployment's prefix: another deployment on the same Redis has other channels.
      const prefix = `${this.deps.redis.prefix}sio`;
      server.adapter(
        config.SOCKET_ADAPTER === 'sharded'
          ? createShardedAdapter(this.pub, this.sub, {
              subscriptionMode: 'dynamic',
              channelPrefix: prefix,
            })
          : createAdapter(this.pub, this.sub, { key: prefix }),
      );
    }
    const live = server.of(LIVE_NAMESPACE);
    live.use(socketAuth(tokens));
    live.on('connection', (socket) => {
      metrics.socketConnections.inc();
      socket.once('disconnect', () => metrics.socketConnections.dec());
    });
    this.slow = new SlowConsumers(live, config.SOCKET_MAX_BUFFERED_BYTES, logger, metrics);
    return server;
  }

  /**
   * One plain listener per event instead of the framework's reactive pipeline per event per
   * socket (fromEvent, mergeMap, takeUntil and their subscribers, for each of the 25 events of
   * eight gateways): that pipeline was most of an idle socket's memory. The handler's answer goes
   * to the acknowledgement (or is emitted when it names an event). Whatever happens, an event
   * sent with an acknowledgement is answered exactly once: a handler that failed, or whose error
   * the framework swallowed, answers `internal_error` rather than leaving the client waiting.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    const { logger } = this.deps;
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(String(message), (...args: unknown[]) => {
        const mapped = this.mapPayload(args.length === 1 ? args[0] : args);
        const data: unknown = mapped.data;
        const given = typeof mapped.ack === 'function' ? (mapped.ack as Answer) : undefined;
        let answered = false;
        const ack: Answer | undefined = given
          ? (value) => {
              if (answered) return;
              answered = true;
              given(value);
            }
          : undefined;
        let delivered = false;
        const deliver = (response: unknown): void => {
          if (response === null || response === undefined) return;
          delivered = true;
          const named = response as { event?: string; data?: unknown };
          if (named.event) socket.emit(named.event, named.data);
          else if (!isAckHandledManually) ack?.(response);
        };
        const fail = (err: unknown): void => {
          ack?.(ackError(err, logger, { event: message, socket: socket.id }));
        };
        const settle = (): void => {
          if (!delivered && !isAckHandledManually) ack?.(UNANSWERED);
        };
        let result: unknown;
        try {
          result = callback(data, ack);
        } catch (err) {
          fail(err);
          return;
        }
        // Our handlers answer with a promise of a value: delivered as is, without building an
        // observable per event. Anything else takes the framework's path.
        if (result instanceof Promise) {
          result.then((value: unknown) => {
            if (isObservable(value))
              value.subscribe({ next: deliver, error: fail, complete: settle });
            else {
              deliver(value);
              settle();
            }
          }, fail);
          return;
        }
        transform(result).subscribe({ next: deliver, error: fail, complete: settle });
      });
    }
  }

  /**
   * An event sent with a null or missing payload never reached its handler (the framework
   * drops it before the handler runs), so the client waited for an ack that never came. It is
   * handed on as an empty object instead, and validation answers it like any missing field.
   */
  override mapPayload(payload: unknown): ReturnType<IoAdapter['mapPayload']> {
    const mapped = super.mapPayload(payload);
    return { ...mapped, data: (mapped.data as unknown) ?? {} };
  }

  override async close(server: Server): Promise<void> {
    this.slow?.close();
    this.keeper?.close();
    await super.close(server);
    await closeRedis(this.pub);
    await closeRedis(this.sub);
  }
}
