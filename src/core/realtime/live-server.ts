import { type OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { type Namespace } from 'socket.io';
import { MetricsService } from '../metrics/metrics.service';
import {
  type LiveEventName,
  type LiveServerEvents,
  type RoomEventPayload,
  type RoomEvents,
  type RoomEventType,
} from './live-events';
import { LIVE_NAMESPACE, type LiveSocketData } from './live-socket';

interface Member {
  sockets: number;
  /** Absent for an anonymous viewer (one member per socket). */
  user?: { id: string; displayName: string };
}

/** A room's members on one node. */
export interface LocalPresence {
  users: { id: string; displayName: string; sockets: number }[];
  anonymous: number;
}

/**
 * The one door to the live namespace for services: typed broadcasts to rooms and
 * disconnections. Services never touch Socket.IO directly, so the event names and payload
 * shapes are checked by the compiler and every broadcast is counted.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveServer implements OnGatewayInit {
  @WebSocketServer()
  private readonly nsp!: Namespace;
  /**
   * Who is in each live room on this node, kept as sockets join and leave: signed-in users by
   * id (several tabs count once) and anonymous viewers by socket. Counting a room is then a
   * lookup, where walking its sockets on every join made a reconnect storm quadratic.
   */
  private readonly members = new Map<string, Map<string, Member>>();

  constructor(private readonly metrics: MetricsService) {}

  afterInit(nsp: Namespace): void {
    // The adapter reports this node's own sockets only, and fires before a leaving socket is
    // removed from the namespace, so its handshake data can still be read.
    nsp.adapter.on('join-room', (room: string, id: string) => this.track(room, id, 1));
    nsp.adapter.on('leave-room', (room: string, id: string) => this.track(room, id, -1));
  }

  private track(room: string, socketId: string, delta: 1 | -1): void {
    // Live rooms only; their facilitators' channels (`room:<id>:mod`) are not presence.
    if (!room.startsWith('room:') || room.endsWith(':mod')) return;
    const user = (this.nsp.sockets.get(socketId)?.data as LiveSocketData | undefined)?.user;
    const key = user ? `user:${user.id}` : `socket:${socketId}`;
    let members = this.members.get(room);
    if (!members) {
      if (delta < 0) return;
      members = new Map();
      this.members.set(room, members);
    }
    const member = members.get(key) ?? { sockets: 0, user };
    member.sockets += delta;
    if (member.sockets > 0) members.set(key, member);
    else members.delete(key);
    if (members.size === 0) this.members.delete(room);
  }

  emit<K extends LiveEventName>(
    room: string | string[],
    event: K,
    payload: LiveServerEvents[K],
  ): void {
    this.send(room, event, payload);
  }

  /** A durable room event (rooms/room-events.ts), already numbered. */
  emitRoomEvent<K extends RoomEventType>(
    room: string,
    event: { type: K; data: RoomEvents[K] },
    numbered: { roomId: string; seq: number },
  ): void {
    const payload: RoomEventPayload<K> = { ...event.data, ...numbered };
    this.send(room, event.type, payload);
  }

  private send(room: string | string[], event: string, payload: object): void {
    this.metrics.broadcast(event);
    this.nsp.to(room).emit(event, payload);
  }

  /** Distinct users plus anonymous viewers in a live room on this node (no cross-node call). */
  localPresence(room: string): number {
    return this.members.get(room)?.size ?? 0;
  }

  /** Who is in a live room on this node: users with their socket counts, and anonymous viewers. */
  localMembers(room: string): LocalPresence {
    const users: LocalPresence['users'] = [];
    let anonymous = 0;
    for (const member of this.members.get(room)?.values() ?? []) {
      if (member.user)
        users.push({
          id: member.user.id,
          displayName: member.user.displayName,
          sockets: member.sockets,
        });
      else anonymous++;
    }
    return { users, anonymous };
  }

  /** The live rooms that have members on this node. */
  localRooms(): string[] {
    return [...this.members.keys()];
  }

  /** Closes every socket in `room` on every node (the adapter carries it). */
  disconnect(room: string): void {
    this.nsp.in(room).disconnectSockets(true);
  }
}
