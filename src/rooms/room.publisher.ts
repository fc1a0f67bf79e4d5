import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '../core/events/event-bus';
import { LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';

/**
 * Broadcasts committed room events to the room (or its facilitators' channel). Only events
 * published on this node: the Socket.IO adapter carries the broadcast to the other nodes.
 */
@Injectable()
export class RoomPublisher implements OnModuleInit, OnModuleDestroy {
  private off?: () => void;

  constructor(
    private readonly bus: EventBus,
    private readonly live: LiveServer,
  ) {}

  onModuleInit(): void {
    this.off = this.bus.subscribeLocal('room.event', (e) => {
      const target = e.audience === 'mod' ? Rooms.roomModerators(e.roomId) : Rooms.room(e.roomId);
      this.live.emitRoomEvent(target, e.type, { ...e.data, roomId: e.roomId, seq: e.seq });
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }
}
