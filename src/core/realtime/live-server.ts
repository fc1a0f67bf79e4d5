import { WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { type Namespace } from 'socket.io';
import { MetricsService } from '../metrics/metrics.service';
import { type LiveEventName, type LiveServerEvents, type RoomEventPayload } from './live-events';
import { LIVE_NAMESPACE } from './live-socket';

/**
 * The one door to the live namespace for services: typed broadcasts to rooms and
 * disconnections. Services never touch Socket.IO directly, so the event names and payload
 * shapes are checked by the compiler and every broadcast is counted.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveServer {
  @WebSocketServer()
  private readonly nsp!: Namespace;

  constructor(private readonly metrics: MetricsService) {}

  emit<K extends LiveEventName>(
    room: string | string[],
    event: K,
    payload: LiveServerEvents[K],
  ): void {
    this.metrics.broadcasts.inc({ event });
    this.nsp.to(room).emit(event, payload);
  }

  /** A durable room event (rooms/room-events.ts), already numbered. */
  emitRoomEvent(room: string, type: string, payload: RoomEventPayload): void {
    this.metrics.broadcasts.inc({ event: type });
    this.nsp.to(room).emit(type, payload);
  }

  /** Makes every socket in `room` (on every node) also join or leave `target`. */
  join(room: string, target: string): void {
    this.nsp.in(room).socketsJoin(target);
  }

  leave(room: string, target: string): void {
    this.nsp.in(room).socketsLeave(target);
  }

  /** The sockets in `room` across every node (through the adapter). */
  fetchSockets(room: string): ReturnType<Namespace['fetchSockets']> {
    return this.nsp.in(room).fetchSockets();
  }

  /** Closes every socket in `room` on every node (the adapter carries it). */
  disconnect(room: string): void {
    this.nsp.in(room).disconnectSockets(true);
  }
}
