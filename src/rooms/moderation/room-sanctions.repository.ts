import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../../core/database/sql';
import { type GlobalRole } from '../../identity/users/user.entity';
import { spaceBanInForce } from '../../moderation/bans.guard';
import { type RoomStatus } from '../room.entity';

/** A user's bans as SQL reads them: the room sanction and the space ban in force. */
export interface StandingRow {
  room_banned: boolean;
  space_banned: boolean;
  space_ban_until: Date | null;
}

/** A user's standing in a room they are entering, and whether they facilitate its space. */
export type EntryStandingRow = StandingRow & { user_id: string; facilitator: boolean };

/** A room about to take a reaction or a vote, with the user's bans. */
export type ReactingRow = StandingRow & { id: string; status: RoomStatus; topicId: string };

/** A user's sanction row in a room, as it stands. */
export interface SanctionRow {
  muted_until: Date | null;
  banned: boolean;
}

/** A sanction in force, with the names of who it is on and who set it. */
export interface SanctionInForceRow {
  user_id: string;
  user_name: string;
  muted_until: Date | null;
  banned: boolean;
  reason: string;
  by_id: string;
  by_name: string | null;
  created_at: Date;
}

/** A user as a sanction names and checks them. */
export interface PersonRow {
  id: string;
  display_name: string;
  role: GlobalRole;
}

/**
 * Every statement on `room_sanctions`: mutes and bans in a room, and the standings every
 * entry, write and reaction in a room is checked against (read beside the space ban in force,
 * `space_bans` being the moderation feature's).
 */
@Injectable()
export class RoomSanctionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The standings of users entering a room: their room ban, their space ban in force and
   * whether they facilitate the room's space, for all of them in one query.
   */
  async entryStandings(roomId: string, userIds: string[]): Promise<EntryStandingRow[]> {
    return queryRows<EntryStandingRow>(
      this.dataSource.manager,
      `SELECT x.id AS user_id, coalesce(s.banned, false) AS room_banned,
                    b.user_id IS NOT NULL AS space_banned, b.until AS space_ban_until,
                    EXISTS (SELECT 1 FROM space_facilitators f
                             WHERE f.space_id = r.space_id AND f.user_id = x.id) AS facilitator
               FROM rooms r
              CROSS JOIN unnest($2::uuid[]) AS x (id)
               LEFT JOIN room_sanctions s ON s.room_id = r.id AND s.user_id = x.id
               ${spaceBanInForce('r.space_id', 'x.id')}
              WHERE r.id = $1`,
      [roomId, userIds],
    );
  }

  /**
   * The room (unlocked) with the user's room ban and space ban in force, in one round trip;
   * undefined when there is no such room.
   */
  async forReaction(
    tx: Queryable,
    roomId: string,
    userId: string,
  ): Promise<ReactingRow | undefined> {
    const rows = await queryRows<ReactingRow>(
      tx,
      `SELECT r.id, r.status, r.topic_id AS "topicId",
              EXISTS (SELECT 1 FROM room_sanctions s WHERE s.room_id = r.id AND s.user_id = $2 AND s.banned) AS room_banned,
              b.user_id IS NOT NULL AS space_banned, b.until AS space_ban_until
         FROM rooms r
         ${spaceBanInForce('r.space_id', '$2')}
        WHERE r.id = $1`,
      [roomId, userId],
    );
    return rows[0];
  }

  /**
   * The user's sanction in the room (its mute only while it lasts) and ban in its space (bans
   * in force only), in one query.
   */
  async standing(
    db: Queryable,
    roomId: string,
    spaceId: string,
    userId: string,
  ): Promise<StandingRow & { muted_until: Date | null }> {
    const rows = await queryRows<StandingRow & { muted_until: Date | null }>(
      db,
      `SELECT coalesce(s.banned, false) AS room_banned,
              CASE WHEN s.muted_until > now() THEN s.muted_until END AS muted_until,
              b.user_id IS NOT NULL AS space_banned, b.until AS space_ban_until
         FROM (VALUES (1)) AS one (x)
         LEFT JOIN room_sanctions s ON s.room_id = $1 AND s.user_id = $2
         ${spaceBanInForce('$3', '$2')}`,
      [roomId, userId, spaceId],
    );
    return rows[0]!;
  }

  /** The user's sanction row in the room, locked FOR UPDATE; undefined when there is none. */
  async lock(tx: Queryable, roomId: string, userId: string): Promise<SanctionRow | undefined> {
    const rows = await queryRows<SanctionRow>(
      tx,
      `SELECT muted_until, banned FROM room_sanctions WHERE room_id = $1 AND user_id = $2 FOR UPDATE`,
      [roomId, userId],
    );
    return rows[0];
  }

  /** Mutes the user for `minutes` from now (replacing a mute they had); returns until when. */
  async mute(
    tx: Queryable,
    roomId: string,
    userId: string,
    minutes: number,
    reason: string,
    byId: string,
  ): Promise<Date> {
    const rows = await queryRows<{ muted_until: Date }>(
      tx,
      `INSERT INTO room_sanctions (room_id, user_id, muted_until, reason, by_id)
         VALUES ($1, $2, now() + make_interval(mins => $3), $4, $5)
         ON CONFLICT (room_id, user_id) DO UPDATE
           SET muted_until = EXCLUDED.muted_until, reason = EXCLUDED.reason, by_id = EXCLUDED.by_id
         RETURNING muted_until`,
      [roomId, userId, minutes, reason, byId],
    );
    return rows[0]!.muted_until;
  }

  /** Removes the user from the room (a mute they have stays as it is). */
  async ban(
    tx: Queryable,
    roomId: string,
    userId: string,
    reason: string,
    byId: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO room_sanctions (room_id, user_id, banned, reason, by_id)
         VALUES ($1, $2, true, $3, $4)
         ON CONFLICT (room_id, user_id) DO UPDATE
           SET banned = true, reason = EXCLUDED.reason, by_id = EXCLUDED.by_id`,
      [roomId, userId, reason, byId],
    );
  }

  /** Ends the user's mute; a row left with nothing in force is removed. */
  liftMute(tx: Queryable, roomId: string, userId: string): Promise<void> {
    return this.lift(tx, roomId, userId, `muted_until = NULL`);
  }

  /** Lets the user back into the room; a row left with nothing in force is removed. */
  liftBan(tx: Queryable, roomId: string, userId: string): Promise<void> {
    return this.lift(tx, roomId, userId, `banned = false`);
  }

  /** The sanctions in force in the room (mutes not yet run out, and removals), newest first. */
  async inForce(roomId: string): Promise<SanctionInForceRow[]> {
    return queryRows<SanctionInForceRow>(
      this.dataSource.manager,
      `SELECT s.user_id, u.display_name AS user_name,
              CASE WHEN s.muted_until > now() THEN s.muted_until END AS muted_until,
              s.banned, s.reason, s.by_id, b.display_name AS by_name, s.created_at
         FROM room_sanctions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN users b ON b.id = s.by_id
        WHERE s.room_id = $1 AND (s.banned OR s.muted_until > now())
        ORDER BY s.created_at DESC, s.user_id`,
      [roomId],
    );
  }

  /**
   * The user a sanction is about, by id, in the sanction's transaction. `users` belongs to the
   * identity feature; read here to name the target and check who they are.
   */
  async person(tx: Queryable, userId: string): Promise<PersonRow | undefined> {
    const rows = await queryRows<PersonRow>(
      tx,
      `SELECT id, display_name, role FROM users WHERE id = $1`,
      [userId],
    );
    return rows[0];
  }

  /** Clears one side of the sanction (`set`); a row left with nothing in force is removed. */
  private async lift(tx: Queryable, roomId: string, userId: string, set: string): Promise<void> {
    await tx.query(`UPDATE room_sanctions SET ${set} WHERE room_id = $1 AND user_id = $2`, [
      roomId,
      userId,
    ]);
    await tx.query(
      `DELETE FROM room_sanctions WHERE room_id = $1 AND user_id = $2
          AND NOT banned AND (muted_until IS NULL OR muted_until <= now())`,
      [roomId, userId],
    );
  }
}
