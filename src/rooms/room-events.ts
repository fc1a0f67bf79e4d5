import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { domainEvent, type RoomEventRecord } from '../core/events/domain-events';
import { type RoomEvents, type RoomEventType } from '../protocol/live';
import { type Work } from '../core/events/unit-of-work';
import { type RoomAudience } from './room-event.entity';

/** Durable room events and what each stores: the live protocol's map (src/protocol/live.ts). */
export type { RoomEventType } from '../protocol/live';

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
export async function appendRoomEvent<K extends RoomEventType>(
  work: Work,
  room: { id: string; spaceId: string },
  type: K,
  data: RoomEvents[K],
  audience: RoomAudience = 'all',
): Promise<number> {
  const seq = await nextSeq(work.tx, room.id);
  await work.tx.query(
    `INSERT INTO room_events (room_id, seq, type, audience, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [room.id, seq, type, audience, JSON.stringify(data)],
  );
  const record = { type, data } as RoomEventRecord;
  work.emit(
    domainEvent('room.event', { roomId: room.id, spaceId: room.spaceId, seq, audience, ...record }),
  );
  return seq;
}
