import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { type Work } from '../core/events/unit-of-work';
import { type RoomAudience } from './room-event.entity';

/**
 * Durable room events and their client names. `data` is what the client receives besides
 * `{roomId, seq}`.
 */
export type RoomEventType =
  | 'room:state'
  | 'room:ended'
  | 'room:announce'
  | 'comment:new'
  | 'comment:hidden'
  | 'comment:restored'
  | 'comment:pinned'
  | 'question:new'
  | 'question:update'
  | 'queue:update'
  | 'mod:action'
  | 'mod:report'
  | 'mod:flag';

async function nextSeq(tx: EntityManager, roomId: string): Promise<number> {
  const rows = await queryRows<{ seq: number }>(
    tx,
    `UPDATE rooms SET seq = seq + 1 WHERE id = $1 RETURNING seq`,
    [roomId],
  );
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error(`room ${roomId} vanished inside its transaction`);
  return seq;
}

/**
 * Appends an event to a room in the caller's transaction and queues its broadcast for after
 * the commit. Numbers come from the room row (UPDATE … RETURNING), so they are gap-free and
 * in commit order per room, across every node.
 */
export async function appendRoomEvent(
  work: Work,
  room: { id: string; spaceId: string },
  type: RoomEventType,
  data: Record<string, unknown>,
  audience: RoomAudience = 'all',
): Promise<number> {
  const seq = await nextSeq(work.tx, room.id);
  await work.tx.query(
    `INSERT INTO room_events (room_id, seq, type, audience, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [room.id, seq, type, audience, JSON.stringify(data)],
  );
  work.emit(
    domainEvent('room.event', {
      roomId: room.id,
      spaceId: room.spaceId,
      seq,
      type,
      audience,
      data,
    }),
  );
  return seq;
}
