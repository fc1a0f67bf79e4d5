import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { decodeKeyset } from '../core/http/pagination';
import { type TopicStatus } from '../topics/topic.entity';
import { type ListRoomsQuery } from './dto/room.dto';
import { Room, type RoomSettings, type RoomStatus } from './room.entity';

/** Every column of `rooms`, named as the entity's properties. */
export const ROOM_COLUMNS = `id, topic_id AS "topicId", space_id AS "spaceId", title, status, settings,
  locked, starts_at AS "startsAt", started_at AS "startedAt", ended_at AS "endedAt",
  created_by AS "createdBy", seq, pinned_comment_id AS "pinnedCommentId",
  speaker_id AS "speakerId", speaker_until AS "speakerUntil", peak_presence AS "peakPresence",
  reaction_totals AS "reactionTotals", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The room as it stands once its row is locked, and the number its next event takes. */
export type LockedRoom = Pick<Room, 'seq' | 'status' | 'locked' | 'settings'> & {
  /** Banned from the room, or muted there now. */
  sanctioned: boolean;
};

/** A new room as its facilitator describes it. */
export interface NewRoom {
  topicId: string;
  spaceId: string;
  title: string;
  settings: RoomSettings;
  startsAt: string | Date | null;
  createdBy: string;
}

/** A room whose speaker's time is up, claimed by this transaction. */
export interface DueSpeakerRoom {
  id: string;
  space_id: string;
}

/** Per room, the reactions to add to its totals: `{ [roomId]: { [emoji]: n } }`. */
export type ReactionDeltas = Record<string, Partial<Record<string, number>>>;

/**
 * Every statement on `rooms`: a room's row, its lifecycle, settings and lock, the pinned
 * message, the speaker's floor, peak presence, reaction totals and the counter (`seq`) that
 * numbers its events. Other features read rooms through this class.
 */
@Injectable()
export class RoomsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The room, locked FOR UPDATE when `lock` (inside a transaction); undefined: no such room.
   * Plain SQL: every join and chat message loads its room, and the ORM's query building was a
   * third of a join's CPU in a reconnect storm.
   */
  async byId(db: Queryable, id: string, lock = false): Promise<Room | undefined> {
    const rows = await queryRows<Room>(
      db,
      `SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  }

  /**
   * A page of rooms, newest first, with the full-precision creation time of each (by id) for
   * the cursor. `limit + 1` rows are read so the caller can tell whether there are more.
   */
  async page(
    query: ListRoomsQuery,
    limit: number,
  ): Promise<{ rooms: Room[]; createdKeys: Map<string, string> }> {
    const qb = this.dataSource
      .getRepository(Room)
      .createQueryBuilder('r')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit + 1);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.topicId) qb.andWhere('r.topic_id = :topicId', { topicId: query.topicId });
    if (query.spaceId) qb.andWhere('r.space_id = :spaceId', { spaceId: query.spaceId });
    if (query.cursor) {
      const [createdAt, id] = decodeKeyset(query.cursor, ['time', 'uuid']);
      qb.andWhere('(r.created_at, r.id) < (:createdAt::timestamptz, :id::uuid)', { createdAt, id });
    }
    const rows = await qb.addSelect('r.created_at::text', 'created_key').getRawAndEntities();
    const createdKeys = new Map(
      rows.raw.map((raw: { r_id: string; created_key: string }) => [raw.r_id, raw.created_key]),
    );
    return { rooms: rows.entities, createdKeys };
  }

  /**
   * The topic a room is created for: its space and status. `topics` belongs to
   * TopicsRepository; read here in the creating transaction, as the check before the insert.
   */
  async topicForNewRoom(
    tx: Queryable,
    topicId: string,
  ): Promise<{ space_id: string; status: TopicStatus } | undefined> {
    const topics = await queryRows<{ space_id: string; status: TopicStatus }>(
      tx,
      `SELECT space_id, status FROM topics WHERE id = $1`,
      [topicId],
    );
    return topics[0];
  }

  /**
   * Whether the space is archived, holding it FOR SHARE so it cannot be archived before the
   * new room commits. `spaces` belongs to the spaces feature; only this check reads it here.
   */
  async spaceArchived(tx: Queryable, spaceId: string): Promise<boolean> {
    const archived = await queryRows<unknown>(
      tx,
      `SELECT 1 FROM spaces WHERE id = $1 AND archived_at IS NOT NULL FOR SHARE`,
      [spaceId],
    );
    return archived.length > 0;
  }

  /** Creates a room; returns its id. */
  async insert(tx: Queryable, room: NewRoom): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO rooms (topic_id, space_id, title, settings, starts_at, created_by)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6) RETURNING id`,
      [
        room.topicId,
        room.spaceId,
        room.title,
        JSON.stringify(room.settings),
        room.startsAt,
        room.createdBy,
      ],
    );
    return rows[0]!.id;
  }

  async updateTitleAndSettings(
    tx: Queryable,
    id: string,
    title: string,
    settings: RoomSettings,
  ): Promise<void> {
    await tx.query(`UPDATE rooms SET title = $2, settings = $3::jsonb WHERE id = $1`, [
      id,
      title,
      JSON.stringify(settings),
    ]);
  }

  /**
   * Moves the room to `to` and stamps when (`started_at` going live, `ended_at` ending); an
   * ended room has nobody on the floor.
   */
  async setStatus(tx: Queryable, id: string, to: RoomStatus): Promise<void> {
    await tx.query(
      `UPDATE rooms SET status = $2::varchar, ${to === 'live' ? 'started_at' : 'ended_at'} = now(),
                speaker_id = CASE WHEN $2::varchar = 'ended' THEN NULL ELSE speaker_id END,
                speaker_until = CASE WHEN $2::varchar = 'ended' THEN NULL ELSE speaker_until END
          WHERE id = $1`,
      [id, to],
    );
  }

  async setSettingsAndLock(
    tx: Queryable,
    id: string,
    settings: RoomSettings,
    locked: boolean,
  ): Promise<void> {
    await tx.query(`UPDATE rooms SET settings = $2::jsonb, locked = $3 WHERE id = $1`, [
      id,
      JSON.stringify(settings),
      locked,
    ]);
  }

  async pin(tx: Queryable, id: string, commentId: string): Promise<void> {
    await tx.query(`UPDATE rooms SET pinned_comment_id = $2 WHERE id = $1`, [id, commentId]);
  }

  async unpin(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE rooms SET pinned_comment_id = NULL WHERE id = $1`, [id]);
  }

  /**
   * The number of the room's next event, from its row (UPDATE … RETURNING in the caller's
   * transaction); undefined when the room is gone.
   */
  async nextSeq(tx: Queryable, id: string): Promise<number | undefined> {
    const rows = await queryRows<{ seq: number }>(
      tx,
      `UPDATE rooms SET seq = seq + 1 WHERE id = $1 RETURNING seq`,
      [id],
    );
    return rows[0]?.seq;
  }

  /**
   * Locks the room row for a message and takes the number of its event, in one statement that
   * also reads what the message must be checked against again: whatever the room's state,
   * mod:lock, mod:slowmode, a mute or a ban in the room, and the end of the room each lock this
   * row too, so the values returned are those committed before the message, and anything that
   * commits after it waits. The caller checks everything it can before (unlocked) and takes this
   * lock as late as the lock order allows (the room before the topic), so messages to one room
   * queue on the row for as short a time as possible. A refusal after it rolls the number back.
   */
  async lockForMessage(tx: Queryable, roomId: string, userId: string): Promise<LockedRoom> {
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

  /**
   * Gives the floor to `userId` for `seconds` from now (clock time: when the room lock was
   * had); returns when the turn ends.
   */
  async giveFloor(tx: Queryable, id: string, userId: string, seconds: number): Promise<Date> {
    const rows = await queryRows<{ speaker_until: Date }>(
      tx,
      `UPDATE rooms SET speaker_id = $2, speaker_until = clock_timestamp() + make_interval(secs => $3)
            WHERE id = $1 RETURNING speaker_until`,
      [id, userId, seconds],
    );
    return rows[0]!.speaker_until;
  }

  /** Nobody has the floor. */
  async clearFloor(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE rooms SET speaker_id = NULL, speaker_until = NULL WHERE id = $1`, [id]);
  }

  /**
   * Rooms whose speaker's time is up, claimed FOR UPDATE SKIP LOCKED: every node checks, and a
   * room another node (or a facilitator) holds is skipped, so each expiry happens once.
   */
  async claimSpeakersDue(tx: Queryable): Promise<DueSpeakerRoom[]> {
    return queryRows<DueSpeakerRoom>(
      tx,
      `SELECT id, space_id FROM rooms
          WHERE speaker_id IS NOT NULL AND speaker_until <= now()
          ORDER BY speaker_until LIMIT 100
          FOR UPDATE SKIP LOCKED`,
    );
  }

  /** Raises the room's peak presence to `count` when that is a new peak. */
  async raisePeakPresence(id: string, count: number): Promise<void> {
    await this.dataSource.query(
      // Only a new peak writes (and locks) the room row, which chat and seq also lock.
      `UPDATE rooms SET peak_presence = $2 WHERE id = $1 AND peak_presence < $2`,
      [id, count],
    );
  }

  /** Adds each room's counts key by key to its reaction totals, every room in one statement. */
  async addReactionTotals(deltas: ReactionDeltas): Promise<void> {
    await this.dataSource.query(
      `UPDATE rooms r
            SET reaction_totals = (
              SELECT COALESCE(jsonb_object_agg(k.key, COALESCE((r.reaction_totals ->> k.key)::int, 0)
                                                     + COALESCE((d.delta ->> k.key)::int, 0)), '{}'::jsonb)
                FROM (SELECT jsonb_object_keys(r.reaction_totals) AS key
                      UNION SELECT jsonb_object_keys(d.delta)) k)
           FROM jsonb_each($1::jsonb) AS d(room_id, delta)
          WHERE r.id = d.room_id::uuid`,
      [JSON.stringify(deltas)],
    );
  }

  /** The ids of every live room. */
  async liveIds(): Promise<string[]> {
    const rooms = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `SELECT id FROM rooms WHERE status = 'live'`,
    );
    return rooms.map((r) => r.id);
  }
}
