import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../../core/database/sql';
import { banInForce } from '../../moderation/bans.guard';

/**
 * Every statement on `room_hands`, `room_speeches`: raised hands waiting for the floor, and who
 * has spoken in each room. The queue as everyone sees it is read by QueueReader.
 */
@Injectable()
export class QueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Raises the user's hand; false when it was raised already (their place is kept).
   * clock_timestamp(), not now(): the raise time is when the room lock was had, so the queue
   * order is the order the raises were applied in.
   */
  async raise(tx: Queryable, roomId: string, userId: string): Promise<boolean> {
    const inserted = await queryRows<unknown>(
      tx,
      `INSERT INTO room_hands (room_id, user_id, raised_at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT DO NOTHING RETURNING 1`,
      [roomId, userId],
    );
    return inserted.length > 0;
  }

  /** Lowers the user's hand; false when it was not raised. */
  async lower(tx: Queryable, roomId: string, userId: string): Promise<boolean> {
    const deleted = await queryRows<unknown>(
      tx,
      `DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2 RETURNING 1`,
      [roomId, userId],
    );
    return deleted.length > 0;
  }

  /** Takes the user's hand out of the queue; returns when it was raised, or undefined. */
  async remove(tx: Queryable, roomId: string, userId: string): Promise<Date | undefined> {
    const deleted = await queryRows<{ raised_at: Date }>(
      tx,
      `DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2 RETURNING raised_at`,
      [roomId, userId],
    );
    return deleted[0]?.raised_at;
  }

  /** Whether the user's hand is raised (read without any lock). */
  async isRaised(roomId: string, userId: string): Promise<boolean> {
    const raised = await queryRows<unknown>(
      this.dataSource.manager,
      `SELECT 1 FROM room_hands WHERE room_id = $1 AND user_id = $2`,
      [roomId, userId],
    );
    return raised.length > 0;
  }

  /** Drops the hands of people banned from the room or its space since they raised them. */
  async dropBanned(tx: Queryable, roomId: string, spaceId: string): Promise<void> {
    await tx.query(
      `DELETE FROM room_hands h WHERE h.room_id = $1 AND (
           EXISTS (SELECT 1 FROM room_sanctions s WHERE s.room_id = h.room_id AND s.user_id = h.user_id AND s.banned)
           OR EXISTS (SELECT 1 FROM space_bans b WHERE b.space_id = $2 AND b.user_id = h.user_id
                        AND ${banInForce('b')}))`,
      [roomId, spaceId],
    );
  }

  /**
   * The user takes the floor: their speech is recorded (they are no longer a first-time
   * speaker) and their hand comes down.
   */
  async startSpeech(tx: Queryable, roomId: string, userId: string): Promise<void> {
    await tx.query(
      `INSERT INTO room_speeches (room_id, user_id, started_at) VALUES ($1, $2, clock_timestamp())`,
      [roomId, userId],
    );
    await tx.query(`DELETE FROM room_hands WHERE room_id = $1 AND user_id = $2`, [roomId, userId]);
  }
}
