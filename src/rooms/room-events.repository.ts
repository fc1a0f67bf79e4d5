import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { type RoomEventRecord } from '../core/events/domain-events';
import { type RoomEventType } from '../protocol/live';
import { type RoomAudience } from './room-event.entity';

/** A stored room event as a client catching up reads it. */
export type ReplayRow = { seq: number; audience: RoomAudience } & RoomEventRecord;

/** Someone a room event names as acting, and when they first did. */
export interface EventActorRow {
  actor: string;
  created_at: Date;
}

/**
 * Every statement on `room_events`, the numbered history of each room. The numbers come from
 * the room row (RoomsRepository.nextSeq, lockForMessage); `appendRoomEvent` in room-events.ts
 * takes one and writes the event here.
 */
@Injectable()
export class RoomEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the event numbered `seq` in the caller's transaction. */
  async insert(
    tx: Queryable,
    roomId: string,
    seq: number,
    type: RoomEventType,
    audience: RoomAudience,
    data: unknown,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO room_events (room_id, seq, type, audience, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [roomId, seq, type, audience, JSON.stringify(data)],
    );
  }

  /**
   * Every event after `sinceSeq`, oldest first, at most `limit`. Stored by appendRoomEvent, so
   * each row's data is the one its type names.
   */
  async since(roomId: string, sinceSeq: number, limit: number): Promise<ReplayRow[]> {
    return queryRows<ReplayRow>(
      this.dataSource.manager,
      `SELECT seq, type, audience, data FROM room_events WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [roomId, sinceSeq, limit],
    );
  }

  /**
   * Who the room's events name as acting, each with the time of their first such event:
   * `by` (start, end), `actor.id` (facilitators' `mod:action`). For the minutes.
   */
  async actors(roomId: string): Promise<EventActorRow[]> {
    return queryRows<EventActorRow>(
      this.dataSource.manager,
      `SELECT DISTINCT ON (actor) actor, created_at FROM (
           SELECT CASE WHEN type IN ('room:state', 'room:ended') THEN data->>'by' END AS actor,
                  created_at, seq FROM room_events WHERE room_id = $1
           UNION ALL
           SELECT CASE WHEN type = 'mod:action' AND jsonb_typeof(data->'actor') = 'object'
                       THEN data->'actor'->>'id' END,
                  created_at, seq FROM room_events WHERE room_id = $1
         ) e WHERE actor IS NOT NULL ORDER BY actor, seq`,
      [roomId],
    );
  }
}
