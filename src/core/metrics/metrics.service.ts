import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a socket event's acknowledgement says: `{ok: true}` or `{ok: false, error: {code}}`. */
interface AckLike {
  ok?: unknown;
  error?: { code?: unknown };
}

/** The events a publish led to, so each is timed once (see `published`). */
interface Publication {
  at: number;
  timed: Set<string>;
}

/** pg's message when no pool connection came free within `connectionTimeoutMillis`. */
const ACQUIRE_TIMEOUT = 'timeout exceeded when trying to connect';

/**
 * Prometheus metrics. One registry per application instance (not prom-client's global one),
 * so several apps in one test process do not collide.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'madang_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'madang_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'madang_socket_connections',
    help: 'Open Socket.IO connections on this node',
    registers: [this.registry],
  });

  readonly broadcasts = new Counter({
    name: 'madang_broadcasts_total',
    help: 'Live events broadcast, by event name',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly slowConsumersClosed = new Counter({
    name: 'madang_socket_slow_consumers_closed_total',
    help: 'Sockets closed because more than SOCKET_MAX_BUFFERED_BYTES waited to be sent to them',
    registers: [this.registry],
  });

  readonly socketBufferedMax = new Gauge({
    name: 'madang_socket_buffered_bytes_max',
    help: 'Largest backlog of bytes waiting for one socket, at the last sweep',
    registers: [this.registry],
  });

  readonly socketBufferedTotal = new Gauge({
    name: 'madang_socket_buffered_bytes_total',
    help: 'Bytes waiting to be sent over all sockets of this node, at the last sweep',
    registers: [this.registry],
  });

  readonly broadcastLatency = new Histogram({
    name: 'madang_broadcast_latency_seconds',
    help:
      'From the publish of a domain event (right after its transaction commits) to the first ' +
      'broadcast it leads to on this node, by broadcast event name',
    labelNames: ['event'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly socketEvents = new Counter({
    name: 'madang_socket_events_total',
    help: 'Client socket events handled, by event name and outcome (ok, or the error code)',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'madang_rate_limited_total',
    help: 'Requests and socket events refused for their rate, by transport (http, socket)',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  readonly publicPages = new Counter({
    name: 'madang_public_page_cache_total',
    help: 'Anonymous public pages answered from the shared cache (hit) or made (miss)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly poolAcquireTimeouts = new Counter({
    name: 'madang_db_pool_acquire_timeouts_total',
    help: 'Waits for a database connection that gave up (the request answered 503)',
    registers: [this.registry],
  });

  private readonly publications = new AsyncLocalStorage<Publication>();
  private readonly pools: Pool[] = [];

  constructor() {
    // Includes nodejs_eventloop_lag_* and process memory/CPU.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const pools = this.pools;
    // Read from the pool at each scrape: the numbers are always the current ones.
    new Gauge({
      name: 'madang_db_pool_connections',
      help: 'Database pool connections on this node, by state (in_use, idle)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set(
          { state: 'in_use' },
          sum(pools, (p) => p.totalCount - p.idleCount),
        );
        this.set(
          { state: 'idle' },
          sum(pools, (p) => p.idleCount),
        );
      },
    });
    new Gauge({
      name: 'madang_db_pool_waiting',
      help: 'Requests waiting for a database connection on this node',
      registers: [this.registry],
      collect() {
        this.set(sum(pools, (p) => p.waitingCount));
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Watches a pg pool: its connections appear in the gauges, and a wait for a connection that
   * times out is counted. pg reports such a timeout only to the waiter, so `connect` is wrapped
   * (in both its callback and its promise form).
   */
  watchPool(pool: Pool): void {
    this.pools.push(pool);
    const connect = pool.connect.bind(pool) as (callback?: (...args: unknown[]) => void) => unknown;
    const count = (error: unknown): void => {
      if (error instanceof Error && error.message === ACQUIRE_TIMEOUT)
        this.poolAcquireTimeouts.inc();
    };
    (pool as unknown as { connect: typeof connect }).connect = (callback) => {
      if (callback) {
        return connect((error: unknown, ...rest: unknown[]) => {
          count(error);
          callback(error, ...rest);
        });
      }
      return (connect() as Promise<unknown>).catch((error: unknown) => {
        count(error);
        throw error;
      });
    };
  }

  /** Counts one client socket event by what its acknowledgement says. */
  socketEvent(event: string, ack: unknown): void {
    const refused = (ack as AckLike | undefined)?.ok === false;
    const code = refused ? (ack as AckLike).error?.code : undefined;
    const outcome = refused ? (typeof code === 'string' ? code : 'internal_error') : 'ok';
    this.socketEvents.inc({ event, outcome });
    if (outcome === 'rate_limited') this.rateLimited.inc({ transport: 'socket' });
  }

  /**
   * Runs the delivery of published domain events: broadcasts made on the way (now, or after a
   * wait for ordering or coalescing) are timed from here, once per event name.
   */
  published<T>(deliver: () => T): T {
    return this.publications.run({ at: performance.now(), timed: new Set() }, deliver);
  }

  /** Counts a live broadcast and, when a publish led to it, how long after the publish it left. */
  broadcast(event: string): void {
    this.broadcasts.inc({ event });
    const publication = this.publications.getStore();
    // Once per name: a timer started during a delivery keeps its context, and its later
    // broadcasts must not pass for late ones.
    if (!publication || publication.timed.has(event)) return;
    publication.timed.add(event);
    this.broadcastLatency.observe({ event }, (performance.now() - publication.at) / 1000);
  }
}

const sum = (pools: Pool[], of: (pool: Pool) => number): number =>
  pools.reduce((total, pool) => total + of(pool), 0);
