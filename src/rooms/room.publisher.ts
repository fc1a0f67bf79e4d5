import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '../core/events/event-bus';
import { LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';
import { SeqOrder } from '../core/realtime/seq-order';

/**
 * Broadcasts committed room events to the room (or its facilitators' channel), in seq order
 * (see SeqOrder). Only events published on this node are broadcast here: the Socket.IO
 * adapter carries the broadcast to the other nodes. Other nodes' events, bridged over Redis,
 * only move the room's count on.
 */
@Injectable()
export class RoomPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly offs: (() => void)[] = [];
  private readonly order = new SeqOrder();

  constructor(
    private readonly bus: EventBus,
    private readonly live: LiveServer,
  ) {}

  onModuleInit(): void {
    this.offs.push(
      this.bus.subscribe('room.event', (e, meta) => {
        const target = e.audience === 'mod' ? Rooms.roomModerators(e.roomId) : Rooms.room(e.roomId);
        this.order.arrived(
          e.roomId,
          e.seq,
          meta.origin === 'local'
            ? () => this.live.emitRoomEvent(target, e, { roomId: e.roomId, seq: e.seq })
            : null,
        );
      }),
      // The end is a room's last event; its order state is no longer needed.
      this.bus.subscribe('room.ended', ({ roomId }) => this.order.forget(roomId)),
    );
  }

  onModuleDestroy(): void {
    this.offs.forEach((off) => off());
    this.order.flush();
  }
}
