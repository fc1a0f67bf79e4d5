import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '../../core/events/event-bus';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { LiveServer } from '../../core/realtime/live-server';
import { Coalescer } from '../../core/realtime/coalescer';
import { Rooms } from '../../core/realtime/live-socket';
import { RoomMessagesRepository } from '../chat/room-messages.repository';

/** A comment's agree count is sent to a room at most this often (per node). */
export const ROOM_AGREE_COALESCE_MS = 200;

/**
 * Live agree counts of comments in rooms. Every committed comment agree on this node (from
 * `agree:set` in a room, or over HTTP from a page or embed) marks its comment; every
 * ROOM_AGREE_COALESCE_MS the marked comments' counts are read in one query and sent as
 * `room:agree` snapshots. Reading the count at flush time (rather than keeping the last one
 * an event carried) means a late event from a slower transaction can never show an older
 * count after a newer one.
 */
@Injectable()
export class RoomAgreeCoalescer implements OnModuleInit, OnModuleDestroy {
  /** Comment id → the room it was agreed in, when known (else the room it was posted in). */
  private readonly pending = new Coalescer<string, string | null>(
    ROOM_AGREE_COALESCE_MS,
    (batch) => this.send(batch),
    // A room named by an agree in it wins over "unknown" from an agree elsewhere.
    (known, next) => next ?? known ?? null,
  );
  private off?: () => void;

  constructor(
    private readonly bus: EventBus,
    private readonly live: LiveServer,
    private readonly messages: RoomMessagesRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.off = this.bus.subscribeLocal('agree.changed', (e) => {
      if (e.targetType === 'comment') this.changed(e.targetId);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
    this.pending.close();
  }

  /** Marks a comment whose count may have changed; `roomId` when it was agreed in a room. */
  changed(commentId: string, roomId?: string): void {
    this.pending.add(commentId, roomId ?? null);
  }

  /** Sends what is pending now. */
  flush(): Promise<void> {
    return this.pending.drain();
  }

  private async send(batch: Map<string, string | null>): Promise<void> {
    try {
      const rows = await this.messages.agreeCounts([...batch.keys()]);
      for (const row of rows) {
        const roomId = batch.get(row.id) ?? row.room_id;
        if (!roomId) continue;
        this.live.emit(Rooms.room(roomId), 'room:agree', {
          roomId,
          commentId: row.id,
          count: row.agree_count,
        });
      }
    } catch (err) {
      // A snapshot: the next change of the same comment sends the right count again.
      this.logger.warn({ err }, 'room agree counts not sent');
    }
  }
}
