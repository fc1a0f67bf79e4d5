import { type Namespace, type Socket } from 'socket.io';
import { type Logger } from '../logging/logger';
import { type MetricsService } from '../metrics/metrics.service';

/** How often every socket's backlog is looked at. */
export const SLOW_CONSUMER_SWEEP_MS = 500;

/** The parts of an engine.io connection and its transport that hold what is not yet sent. */
interface Connection {
  writeBuffer?: { data?: unknown }[];
  transport?: { name?: string; socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

function size(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Bytes waiting for this socket: queued packets, plus what the WebSocket could not yet write. */
export function bufferedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as Connection;
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) bytes += size(packet.data);
  return bytes;
}

/**
 * Closes sockets whose client stopped reading. Socket.IO's write buffer is unbounded: a
 * connection that no longer drains (a frozen tab, a phone that lost signal without a reset)
 * keeps every broadcast of its rooms in memory until the heartbeat gives up, about 45 seconds
 * later — in a busy room, megabytes per socket. Past `maxBytes` waiting the connection is cut at
 * once (no close handshake to queue behind the backlog); the client reconnects and catches up
 * by `seq` from the database, as after any disconnection. Reading clients are never near the
 * cap: a broadcast leaves their buffer within a round trip.
 */
export class SlowConsumers {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly nsp: Namespace,
    private readonly maxBytes: number,
    private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.timer = setInterval(() => this.sweep(), SLOW_CONSUMER_SWEEP_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  sweep(): void {
    let max = 0;
    let total = 0;
    for (const socket of this.nsp.sockets.values()) {
      const bytes = bufferedBytes(socket);
      total += bytes;
      if (bytes > max) max = bytes;
      if (bytes <= this.maxBytes) continue;
      this.metrics.slowConsumersClosed.inc();
      this.logger.info(
        { socket: socket.id, bytes, user: (socket.data as { user?: { id: string } }).user?.id },
        'closing a socket that stopped reading',
      );
      const conn = socket.conn as unknown as Connection;
      // A WebSocket is destroyed at once; polling drops its queue and closes.
      const ws = conn.transport?.socket;
      if (typeof ws?.terminate === 'function') ws.terminate();
      else conn.close(true);
    }
    this.metrics.socketBufferedMax.set(max);
    this.metrics.socketBufferedTotal.set(total);
  }
}
