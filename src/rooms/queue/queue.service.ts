import { Injectable } from '@nestjs/common';
import { UnitOfWork, type Work } from '../../core/events/unit-of-work';
import { type AuthUser } from '../../identity/auth/auth-user';
import { AuditService } from '../../moderation/audit.service';
import { RoomAccess } from '../room-access.service';
import { appendRoomEvent } from '../room-events';
import { DEFAULT_ROOM_SETTINGS, type Room } from '../room.entity';
import { RoomsRepository } from '../rooms.repository';
import { QueueReader } from './queue.read';
import { QueueRepository } from './queue.repository';
import { toQueueUpdate, type QueueUpdate } from './queue.view';

/**
 * The speaking queue (발언 신청). Every change locks the room row first, so changes to one
 * room's queue happen one after another: each `queue:update` carries the whole queue as it
 * stood after its change, in `seq` order, and two facilitators pressing "next" at once give
 * the floor to two different people, in queue order, never to the same person twice.
 */
@Injectable()
export class QueueService {
  constructor(
    private readonly hands: QueueRepository,
    private readonly rooms: RoomsRepository,
    private readonly uow: UnitOfWork,
    private readonly access: RoomAccess,
    private readonly reader: QueueReader,
    private readonly audit: AuditService,
  ) {}

  /** Raises the caller's hand; raising it again changes nothing (and keeps their place). */
  async raise(auth: AuthUser | undefined, roomId: string): Promise<{ queue: QueueUpdate }> {
    const user = this.access.requireUser(auth);
    return this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      this.access.assertLive(room);
      await this.access.assertMayWrite(user.id, room, work.tx);
      const raised = await this.hands.raise(work.tx, room.id, user.id);
      return this.publish(work, room, raised);
    });
  }

  /**
   * Lowers the caller's hand; lowering it when it is down changes nothing. A muted user may
   * still withdraw (it only takes them out of the queue); a banned one may not act at all.
   */
  async lower(auth: AuthUser | undefined, roomId: string): Promise<{ queue: QueueUpdate }> {
    const user = this.access.requireUser(auth);
    return this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      this.access.assertLive(room);
      await this.access.assertNotBanned(user.id, room, work.tx);
      const lowered = await this.hands.lower(work.tx, room.id, user.id);
      return this.publish(work, room, lowered);
    });
  }

  /**
   * Gives the floor to the first person waiting (first-time speakers first, then by when they
   * raised their hand) for the room's `speakerSeconds`; with nobody waiting, takes the floor
   * back. Hands of people banned since they raised them are dropped, never called.
   */
  async next(auth: AuthUser | undefined, roomId: string): Promise<{ queue: QueueUpdate }> {
    return this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      const actor = await this.access.requireFacilitator(auth, room, work.tx);
      this.access.assertLive(room);
      await this.hands.dropBanned(work.tx, room.id, room.spaceId);
      const state = await this.reader.state(room.id, work.tx);
      const first = state.waiting[0];
      const previous = room.speakerId;
      if (!first && !previous) return this.publish(work, room, false);

      let until: string | null = null;
      if (first) {
        const seconds = room.settings.speakerSeconds ?? DEFAULT_ROOM_SETTINGS.speakerSeconds;
        until = (await this.rooms.giveFloor(work.tx, room.id, first.userId, seconds)).toISOString();
        await this.hands.startSpeech(work.tx, room.id, first.userId);
      } else {
        await this.rooms.clearFloor(work.tx, room.id);
      }
      await this.audit.record(work.tx, {
        spaceId: room.spaceId,
        actorId: actor.id,
        action: first ? 'queue.next' : 'queue.clear',
        targetType: first ? 'user' : 'room',
        targetId: first ? first.userId : room.id,
        before: { roomId: room.id, speaker: previous },
        after: { roomId: room.id, speaker: first?.userId ?? null, until },
      });
      return this.publish(work, room, true);
    });
  }

  /** Takes a raised hand out of the queue; nothing changes when that hand is not raised. */
  async remove(
    auth: AuthUser | undefined,
    roomId: string,
    userId: string,
  ): Promise<{ queue: QueueUpdate }> {
    return this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      const actor = await this.access.requireFacilitator(auth, room, work.tx);
      this.access.assertLive(room);
      const raisedAt = await this.hands.remove(work.tx, room.id, userId);
      if (raisedAt) {
        await this.audit.record(work.tx, {
          spaceId: room.spaceId,
          actorId: actor.id,
          action: 'queue.remove',
          targetType: 'user',
          targetId: userId,
          before: { roomId: room.id, raisedAt: raisedAt.toISOString() },
          after: { roomId: room.id },
        });
      }
      return this.publish(work, room, raisedAt !== undefined);
    });
  }

  /**
   * Takes the raised hand of someone who left the room (every tab, every node, past the grace of
   * PresenceService) out of the queue, so the floor is never given to an empty seat. Most people
   * who leave have no hand raised: that is checked first, without the room's lock.
   */
  async dropDeparted(roomId: string, userId: string): Promise<void> {
    if (!(await this.hands.isRaised(roomId, userId))) return;
    await this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      if (room.status !== 'live') return;
      const lowered = await this.hands.lower(work.tx, room.id, userId);
      await this.publish(work, room, lowered);
    });
  }

  /** The queue after this transaction's change, appended as `queue:update` when it changed. */
  private async publish(work: Work, room: Room, changed: boolean): Promise<{ queue: QueueUpdate }> {
    const queue = toQueueUpdate(await this.reader.state(room.id, work.tx));
    if (changed) await appendRoomEvent(work, room, 'queue:update', { ...queue });
    return { queue };
  }
}
