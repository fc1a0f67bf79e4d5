import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { domainEvent, type RoomEventRecord } from '../core/events/domain-events';
import { type RoomEvents, type RoomEventType } from '../protocol/live';
import { type Work } from '../core/events/unit-of-work';
import { type RoomAudience } from './room-event.entity';
import { type Room } from './room.entity';

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
  return appendRoomEventAt(work, room, await nextSeq(work.tx, room.id), type, data, audience);
}

/**
 * `appendRoomEvent` with a number the caller already took from the room row in this
 * transaction (`lockRoomForMessage`): the row lock is taken where the caller needs it.
 */
export async function appendRoomEventAt<K extends RoomEventType>(
  work: Work,
  room: { id: string; spaceId: string },
  seq: number,
  type: K,
  data: RoomEvents[K],
  audience: RoomAudience = 'all',
): Promise<number> {
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

/** The room as it stands once its row is locked, and the number its next event takes. */
export type LockedRoom = Pick<Room, 'seq' | 'status' | 'locked' | 'settings'> & {
  /** Banned from the room, or muted there now. */
  sanctioned: boolean;
};

/**
 * Locks the room row for a message and takes the number of its event, in one statement that
 * also reads what the message must be checked against again: whatever the room's state,
 * mod:lock, mod:slowmode, a mute or a ban in the room, and the end of the room each lock this
 * row too, so the values returned are those committed before the message, and anything that
 * commits after it waits. The caller checks everything it can before (unlocked) and takes this
 * lock as late as the lock order allows (the room before the topic), so messages to one room
 * queue on the row for as short a time as possible. A refusal after it rolls the number back.
 */
export async function lockRoomForMessage(
  tx: EntityManager,
  roomId: string,
  userId: string,
): Promise<LockedRoom> {
  const rows = await queryRows<LockedRoom>(
    tx,
    `UPDATE rooms r SET seq = seq + 1 WHERE id = $1
     RETURNING r.seq, r.status, r.locked, r.settings,
               EXISTS (SELECT 1 FROM room_sanctions s
                        WHERE s.room_id = r.id AND s.user_id = $2
                          AND (s.banned OR s.muted_until > now())) AS sanctioned`,
    [roomId, userId],
  );
  const row = rows[0];
  if (!row) throw new Error(`room ${roomId} vanished inside its transaction`);
  return row;
}
