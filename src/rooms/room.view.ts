import { type Room, type RoomSettings, type RoomStatus } from './room.entity';

export interface RoomView {
  id: string;
  topicId: string;
  spaceId: string;
  title: string;
  status: RoomStatus;
  settings: RoomSettings;
  locked: boolean;
  startsAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  pinnedCommentId: string | null;
  speaker: { userId: string; until: string } | null;
  peakPresence: number;
  /** In lists, for a live room: how many are in it now (recounted every few seconds). */
  presence?: number;
  seq: number;
  createdAt: string;
}

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
