import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../../core/database/sql';
import { UnitOfWork, type Work } from '../../core/events/unit-of-work';
import { type AuthUser } from '../../identity/auth/auth-user';
import { AuditService } from '../../moderation/audit.service';
import { banInForce } from '../../moderation/bans.guard';
import { RoomAccess } from '../room-access.service';
import { appendRoomEvent } from '../room-events';
import { DEFAULT_ROOM_SETTINGS, type Room } from '../room.entity';
import { QueueReader } from './queue.read';
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
    private readonly dataSource: DataSource,
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
      // clock_timestamp(), not now(): the raise time is when the room lock was had, so the
      // queue order is the order the raises were applied in.
      const inserted: unknown[] = await work.tx.query(
        `INSERT INTO room_hands (room_id, user_id, raised_at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT DO NOTHING RETURNING 1`,
        [room.id, user.id],
      );
      return this.publish(work, room, inserted.length > 0);
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
      const deleted = await queryRows<unknown>(
        work.tx,
        `DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2 RETURNING 1`,
        [room.id, user.id],
      );
      return this.publish(work, room, deleted.length > 0);
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
      await work.tx.query(
        `DELETE FROM room_hands h WHERE h.room_id = $1 AND (
           EXISTS (SELECT 1 FROM room_sanctions s WHERE s.room_id = h.room_id AND s.user_id = h.user_id AND s.banned)
           OR EXISTS (SELECT 1 FROM space_bans b WHERE b.space_id = $2 AND b.user_id = h.user_id
                        AND ${banInForce('b')}))`,
        [room.id, room.spaceId],
      );
      const state = await this.reader.state(room.id, work.tx);
      const first = state.waiting[0];
      const previous = room.speakerId;
      if (!first && !previous) return this.publish(work, room, false);

      let until: string | null = null;
      if (first) {
        const seconds = room.settings.speakerSeconds ?? DEFAULT_ROOM_SETTINGS.speakerSeconds;
        const rows = await queryRows<{ speaker_until: Date }>(
          work.tx,
          `UPDATE rooms SET speaker_id = $2, speaker_until = clock_timestamp() + make_interval(secs => $3)
            WHERE id = $1 RETURNING speaker_until`,
          [room.id, first.userId, seconds],
        );
        until = rows[0]!.speaker_until.toISOString();
        await work.tx.query(
          `INSERT INTO room_speeches (room_id, user_id, started_at) VALUES ($1, $2, clock_timestamp())`,
          [room.id, first.userId],
        );
        await work.tx.query(`DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2`, [
          room.id,
          first.userId,
        ]);
      } else {
        await work.tx.query(
          `UPDATE rooms SET speaker_id = NULL, speaker_until = NULL WHERE id = $1`,
          [room.id],
        );
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
      const deleted = await queryRows<{ raised_at: Date }>(
        work.tx,
        `DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2 RETURNING raised_at`,
        [room.id, userId],
      );
      const hand = deleted[0];
      if (hand) {
        await this.audit.record(work.tx, {
          spaceId: room.spaceId,
          actorId: actor.id,
          action: 'queue.remove',
          targetType: 'user',
          targetId: userId,
          before: { roomId: room.id, raisedAt: hand.raised_at.toISOString() },
          after: { roomId: room.id },
        });
      }
      return this.publish(work, room, hand !== undefined);
    });
  }

  /**
   * Takes the raised hand of someone who left the room (every tab, every node, past the grace of
   * PresenceService) out of the queue, so the floor is never given to an empty seat. Most people
   * who leave have no hand raised: that is checked first, without the room's lock.
   */
  async dropDeparted(roomId: string, userId: string): Promise<void> {
    const raised = await queryRows<unknown>(
      this.dataSource.manager,
      `SELECT 1 FROM room_hands WHERE room_id = $1 AND user_id = $2`,
      [roomId, userId],
    );
    if (raised.length === 0) return;
    await this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      if (room.status !== 'live') return;
      const deleted = await queryRows<unknown>(
        work.tx,
        `DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2 RETURNING 1`,
        [room.id, userId],
      );
      await this.publish(work, room, deleted.length > 0);
    });
  }

  /** The queue after this transaction's change, appended as `queue:update` when it changed. */
  private async publish(work: Work, room: Room, changed: boolean): Promise<{ queue: QueueUpdate }> {
    const queue = toQueueUpdate(await this.reader.state(room.id, work.tx));
    if (changed) await appendRoomEvent(work, room, 'queue:update', { ...queue });
    return { queue };
  }
}
