import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  constructor() {
    // Includes nodejs_eventloop_lag_* and process memory/CPU.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
