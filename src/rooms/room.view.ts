import { type RoomView } from '../protocol/views';
import { type Room } from './room.entity';

export type { RoomView } from '../protocol/views';

export const toRoomView = (room: Room): RoomView => ({
  id: room.id,
  topicId: room.topicId,
  spaceId: room.spaceId,
  title: room.title,
  status: room.status,
  settings: room.settings,
  locked: room.locked,
  startsAt: room.startsAt?.toISOString() ?? null,
  startedAt: room.startedAt?.toISOString() ?? null,
  endedAt: room.endedAt?.toISOString() ?? null,
  pinnedCommentId: room.pinnedCommentId,
  speaker:
    room.speakerId && room.speakerUntil
      ? { userId: room.speakerId, until: room.speakerUntil.toISOString() }
      : null,
  peakPresence: room.peakPresence,
  seq: room.seq,
  createdAt: room.createdAt.toISOString(),
});
