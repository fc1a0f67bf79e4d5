import { domainEvent, type RoomEventRecord } from '../core/events/domain-events';
import { type RoomEvents, type RoomEventType } from '../protocol/live';
import { type Work } from '../core/events/unit-of-work';
import { type RoomAudience } from './room-event.entity';
import { RoomEventsRepository } from './room-events.repository';
import { RoomsRepository } from './rooms.repository';

/** Durable room events and what each stores: the live protocol's map (src/protocol/live.ts). */
export type { RoomEventType } from '../protocol/live';

/**
 * Appends an event to a room in the caller's transaction and queues its broadcast for after
 * the commit. Numbers come from the room row (UPDATE … RETURNING), so they are gap-free and
 * in commit order per room, across every node. The statements are RoomsRepository.nextSeq and
 * RoomEventsRepository.insert; a function, for features that cannot inject them (moderation,
 * which the rooms module itself imports).
 */
export async function appendRoomEvent<K extends RoomEventType>(
  work: Work,
  room: { id: string; spaceId: string },
  type: K,
  data: RoomEvents[K],
  audience: RoomAudience = 'all',
): Promise<number> {
  const seq = await new RoomsRepository(work.tx.connection).nextSeq(work.tx, room.id);
  if (seq === undefined) throw new Error(`room ${room.id} vanished inside its transaction`);
  return appendRoomEventAt(work, room, seq, type, data, audience);
}

/**
 * `appendRoomEvent` with a number the caller already took from the room row in this
 * transaction (RoomsRepository.lockForMessage): the row lock is taken where the caller needs it.
 */
export async function appendRoomEventAt<K extends RoomEventType>(
  work: Work,
  room: { id: string; spaceId: string },
  seq: number,
  type: K,
  data: RoomEvents[K],
  audience: RoomAudience = 'all',
): Promise<number> {
  await new RoomEventsRepository(work.tx.connection).insert(
    work.tx,
    room.id,
    seq,
    type,
    audience,
    data,
  );
  const record = { type, data } as RoomEventRecord;
  work.emit(
    domainEvent('room.event', { roomId: room.id, spaceId: room.spaceId, seq, audience, ...record }),
  );
  return seq;
}
