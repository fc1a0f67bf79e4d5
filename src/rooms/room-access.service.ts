import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck, bannedFromSpace } from '../moderation/bans.guard';
import { SpaceAccessService } from '../spaces/space-access.service';
import { Room } from './room.entity';

/**
 * Loading rooms and answering who may do what in them: facilitators of the room's space (or
 * an admin) run it; users banned from the room or its space cannot take part; muted users
 * cannot write until their mute ends.
 */
@Injectable()
export class RoomAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly spaces: SpaceAccessService,
    private readonly bans: BanCheck,
  ) {}

  /** The room, locked FOR UPDATE when `lock` (inside a transaction). */
  async load(id: string, tx: EntityManager = this.dataSource.manager, lock = false): Promise<Room> {
    const room = await tx.getRepository(Room).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!room) throw Problem.notFound('Room');
    return room;
  }

  isFacilitator(
    auth: AuthUser | undefined,
    room: Pick<Room, 'spaceId'>,
    tx?: EntityManager,
  ): Promise<boolean> {
    return this.spaces.isFacilitator(auth, room.spaceId, tx);
  }

  /** A signed-in participant: anonymous viewers may watch but not take part. */
  requireUser(auth: AuthUser | undefined): AuthUser {
    if (!auth) throw Problem.unauthorized();
    return auth;
  }

  async requireFacilitator(
    auth: AuthUser | undefined,
    room: Pick<Room, 'spaceId'>,
    tx?: EntityManager,
  ): Promise<AuthUser> {
    const user = this.requireUser(auth);
    await this.spaces.requireFacilitator(user, room.spaceId, tx);
    return user;
  }

  /** Refuses users banned from this room or from its space. */
  async assertNotBanned(
    userId: string,
    room: Pick<Room, 'id' | 'spaceId'>,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM room_sanctions WHERE room_id = $1 AND user_id = $2 AND banned`,
      [room.id, userId],
    );
    if (rows.length > 0) throw new Problem(403, 'banned', 'You were removed from this room.');
    await this.bans.assertNotBanned(tx, room.spaceId, userId);
  }

  /**
   * `load` + `assertLive` + `assertNotBanned` in one round trip (inside `tx` when given), for
   * `react` and `question:upvote`: reactions and votes come a thousand a second in a busy room,
   * and three queries each queued them on the pool. The room is not locked.
   */
  async assertMayReact(
    roomId: string,
    userId: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<Pick<Room, 'id'>> {
    const rows: {
      id: string;
      status: Room['status'];
      room_banned: boolean;
      space_banned: boolean;
      space_ban_until: Date | null;
    }[] = await tx.query(
      `SELECT r.id, r.status,
              EXISTS (SELECT 1 FROM room_sanctions s WHERE s.room_id = r.id AND s.user_id = $2 AND s.banned) AS room_banned,
              b.user_id IS NOT NULL AS space_banned, b.until AS space_ban_until
         FROM rooms r
         LEFT JOIN LATERAL (
           SELECT user_id, until FROM space_bans
            WHERE space_id = r.space_id AND user_id = $2 AND (until IS NULL OR until > now())
            LIMIT 1) b ON true
        WHERE r.id = $1`,
      [roomId, userId],
    );
    const row = rows[0];
    if (!row) throw Problem.notFound('Room');
    this.assertLive(row);
    if (row.room_banned) throw new Problem(403, 'banned', 'You were removed from this room.');
    if (row.space_banned) throw bannedFromSpace(row.space_ban_until);
    return { id: row.id };
  }

  /** Refuses a muted user; returns nothing when they may speak. */
  async assertNotMuted(
    userId: string,
    room: Pick<Room, 'id'>,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const rows: { muted_until: Date }[] = await tx.query(
      `SELECT muted_until FROM room_sanctions WHERE room_id = $1 AND user_id = $2 AND muted_until > now()`,
      [room.id, userId],
    );
    const muted = rows[0];
    if (muted)
      throw new Problem(
        403,
        'muted',
        `You are muted in this room until ${muted.muted_until.toISOString()}.`,
      );
  }

  /** A participant's action needs the room to be live (facilitators may prepare earlier). */
  assertLive(room: Pick<Room, 'status'>): void {
    if (room.status !== 'live')
      throw Problem.conflict('room_not_live', `This room is ${room.status}.`);
  }
}
