import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser, isAdmin } from '../identity/auth/auth-user';
import { GroupedBatchLoader } from '../core/database/batch-loader';
import { bannedFromSpace } from '../moderation/bans.guard';
import { SpaceAccessService } from '../spaces/space-access.service';
import { RoomSanctionsRepository, type StandingRow } from './moderation/room-sanctions.repository';
import { type Room } from './room.entity';
import { RoomsRepository } from './rooms.repository';

/**
 * Loading rooms and answering who may do what in them: facilitators of the room's space (or
 * an admin) run it; users banned from the room or its space cannot take part; muted users
 * cannot write until their mute ends.
 */
@Injectable()
export class RoomAccess {
  /**
   * Who is entering which room: the room and the standings of the users entering it in one
   * turn of the event loop, read together. A node coming back from a restart takes thousands of
   * joins within a few seconds, and three queries each queued them on the pool.
   */
  private readonly entries = new GroupedBatchLoader<string, string, Entry>((roomId, userIds) =>
    this.readEntries(roomId, userIds),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly rooms: RoomsRepository,
    private readonly sanctions: RoomSanctionsRepository,
    private readonly spaces: SpaceAccessService,
  ) {}

  /**
   * `load` + `assertNotBanned` + `isFacilitator` for entering a room (`room:join`), shared with
   * the other users entering it in the same turn. `admit` runs between loading the room and
   * refusing a ban (an embed checks its page's origin there), so refusals keep their order:
   * unknown room, then where it is shown, then bans.
   */
  async enter(
    roomId: string,
    auth: AuthUser | undefined,
    admit: (room: Room) => Promise<void>,
  ): Promise<{ room: Room; facilitator: boolean }> {
    const entry = await this.entries.get(roomId, auth?.id ?? '');
    if (!entry) throw Problem.notFound('Room');
    await admit(entry.room);
    if (entry.standing) refuseBanned(entry.standing);
    return { room: entry.room, facilitator: isAdmin(auth) || entry.facilitator };
  }

  private async readEntries(roomId: string, keys: string[]): Promise<Map<string, Entry>> {
    const userIds = keys.filter((k) => k !== '');
    const [room, standings] = await Promise.all([
      this.rooms.byId(this.dataSource.manager, roomId),
      userIds.length === 0 ? [] : this.sanctions.entryStandings(roomId, userIds),
    ]);
    const found = new Map<string, Entry>();
    if (!room) return found;
    found.set('', { room, facilitator: false });
    for (const row of standings)
      found.set(row.user_id, { room, facilitator: row.facilitator, standing: toStanding(row) });
    return found;
  }

  /**
   * The room, locked FOR UPDATE when `lock` (inside a transaction); 404 when there is none.
   */
  async load(id: string, tx: EntityManager = this.dataSource.manager, lock = false): Promise<Room> {
    const room = await this.rooms.byId(tx, id, lock);
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
    refuseBanned(await this.standing(userId, room, tx));
  }

  /**
   * The user may write in the room (a chat message, a question, a raised hand): the room
   * sanction row is read once, with the space ban beside it. Refuses in this order: removed from
   * the room, banned from the space, then muted.
   */
  async assertMayWrite(
    userId: string,
    room: Pick<Room, 'id' | 'spaceId'>,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const standing = await this.standing(userId, room, tx);
    refuseBanned(standing);
    if (standing.mutedUntil) throw mutedUntil(standing.mutedUntil);
  }

  /**
   * `load` + `assertLive` + `assertNotBanned` in one round trip, for `react`, `agree:set` and
   * `question:upvote` (`banned: 'allow'` skips the ban check: withdrawing an agree): reactions and votes come a thousand a second in a busy room, and three
   * queries each queued them on the pool. Without `tx` the check is shared with the room's other
   * entries of the same turn (`enter`), so a burst of reactions costs a query per turn, not one
   * each. The room is not locked.
   */
  async assertMayReact(
    roomId: string,
    userId: string,
    tx?: EntityManager,
    { banned }: { banned: 'refuse' | 'allow' } = { banned: 'refuse' },
  ): Promise<Pick<Room, 'id' | 'topicId'>> {
    if (!tx) {
      const entry = await this.entries.get(roomId, userId);
      if (!entry) throw Problem.notFound('Room');
      this.assertLive(entry.room);
      if (entry.standing && banned === 'refuse') refuseBanned(entry.standing);
      return { id: entry.room.id, topicId: entry.room.topicId };
    }
    const row = await this.sanctions.forReaction(tx, roomId, userId);
    if (!row) throw Problem.notFound('Room');
    this.assertLive(row);
    if (banned === 'refuse') refuseBanned(toStanding(row));
    return { id: row.id, topicId: row.topicId };
  }

  /** A participant's action needs the room to be live (facilitators may prepare earlier). */
  assertLive(room: Pick<Room, 'status'>): void {
    if (room.status !== 'live')
      throw Problem.conflict('room_not_live', msg('rooms.status', { status: term(room.status) }));
  }

  /** The user's sanction in the room and ban in its space (bans in force only), in one query. */
  private async standing(
    userId: string,
    room: Pick<Room, 'id' | 'spaceId'>,
    tx: EntityManager,
  ): Promise<Standing> {
    const row = await this.sanctions.standing(tx, room.id, room.spaceId, userId);
    return { ...toStanding(row), mutedUntil: row.muted_until };
  }
}

interface Entry {
  room: Room;
  facilitator: boolean;
  /** Absent for an anonymous viewer. */
  standing?: Omit<Standing, 'mutedUntil'>;
}

interface Standing {
  roomBanned: boolean;
  /** Set only while the mute lasts. */
  mutedUntil: Date | null;
  spaceBanned: boolean;
  spaceBanUntil: Date | null;
}

const toStanding = (row: StandingRow): Omit<Standing, 'mutedUntil'> => ({
  roomBanned: row.room_banned,
  spaceBanned: row.space_banned,
  spaceBanUntil: row.space_ban_until,
});

function refuseBanned(standing: Omit<Standing, 'mutedUntil'>): void {
  if (standing.roomBanned) throw new Problem(403, 'banned', msg('rooms.removed'));
  if (standing.spaceBanned) throw bannedFromSpace(standing.spaceBanUntil);
}

const mutedUntil = (until: Date): Problem =>
  new Problem(403, 'muted', msg('rooms.muted_until', { until }));
