import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COMMENT_COLUMNS, type CommentRow } from '../../comments/comment.view';
import { type Queryable, queryRows } from '../../core/database/sql';

/** A comment's agree count now, with the room it was posted in (null: not in a room). */
export interface RoomAgreeRow {
  id: string;
  room_id: string | null;
  agree_count: number;
}

/** A message of the room among the most agreed, with its author's name. */
export interface TopAgreedRow {
  id: string;
  author_id: string;
  display_name: string;
  body: string;
  agree_count: number;
  created_at: Date;
}

/** Comments of the room that are chat messages (not questions carried over at the end). */
const ROOM_MESSAGES = `c.room_id = $1
  AND NOT EXISTS (SELECT 1 FROM room_questions q WHERE q.comment_id = c.id)`;

/**
 * The rooms feature's statements about its chat messages, which are comments of the room's
 * topic tagged with the room. `comments` belongs to CommentsRepository, which writes every
 * message (through CommentsService); these are the rooms' own reads of it, kept as tuned for
 * the chat path: a join's recent messages, slow mode, the live agree counts, the minutes.
 */
@Injectable()
export class RoomMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Queues the user's messages to this room one after another, for the rest of the caller's
   * transaction (an advisory lock on the pair: other users and other rooms are not held up).
   */
  async lockSender(tx: Queryable, roomId: string, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `room-chat:${roomId}:${userId}`,
    ]);
  }

  /**
   * Seconds the user must still wait before their next message under a slow mode of `seconds`,
   * or undefined when they may write now. Bounded to the last `seconds` of this room on the
   * (room_id, created_at) index.
   */
  async slowModeWait(
    tx: Queryable,
    roomId: string,
    userId: string,
    seconds: number,
  ): Promise<number | undefined> {
    const rows = await queryRows<{ wait: number }>(
      tx,
      `SELECT CEIL(EXTRACT(EPOCH FROM (max(created_at) + make_interval(secs => $3) - clock_timestamp())))::int AS wait
         FROM comments
        WHERE room_id = $1 AND author_id = $2
          AND created_at > clock_timestamp() - make_interval(secs => $3)
       HAVING count(*) > 0`,
      [roomId, userId, seconds],
    );
    return rows[0]?.wait;
  }

  /** The latest `limit` messages, newest first, in one query (every join and reconnect runs it). */
  async latest(roomId: string, limit: number): Promise<CommentRow[]> {
    return queryRows<CommentRow>(
      this.dataSource.manager,
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.room_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      [roomId, limit],
    );
  }

  /** These comments' agree counts now, with their rooms (missing: deleted). */
  async agreeCounts(ids: string[]): Promise<RoomAgreeRow[]> {
    return queryRows<RoomAgreeRow>(
      this.dataSource.manager,
      `SELECT id, room_id, agree_count FROM comments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** The room a comment was posted in; null when none (or no such comment). */
  async roomOf(commentId: string): Promise<string | null> {
    const rows = await queryRows<{ room_id: string | null }>(
      this.dataSource.manager,
      `SELECT room_id FROM comments WHERE id = $1`,
      [commentId],
    );
    return rows[0]?.room_id ?? null;
  }

  /**
   * What a report on a room's message says, for the facilitators' queue. `reports` belongs to
   * the moderation feature; read here only to show it.
   */
  async report(reportId: string): Promise<{ reason: string; detail: string | null } | undefined> {
    const reports = await queryRows<{ reason: string; detail: string | null }>(
      this.dataSource.manager,
      `SELECT reason, detail FROM reports WHERE id = $1`,
      [reportId],
    );
    return reports[0];
  }

  /** How many chat messages the room had. */
  async count(roomId: string): Promise<number> {
    const rows = await queryRows<{ n: number }>(
      this.dataSource.manager,
      `SELECT count(*)::int AS n FROM comments c WHERE ${ROOM_MESSAGES}`,
      [roomId],
    );
    return rows[0]?.n ?? 0;
  }

  /** The room's visible messages most agreed with, at most `limit`. */
  async topAgreed(roomId: string, limit: number): Promise<TopAgreedRow[]> {
    return queryRows<TopAgreedRow>(
      this.dataSource.manager,
      `SELECT c.id, c.author_id, u.display_name, c.body, c.agree_count, c.created_at
           FROM comments c JOIN users u ON u.id = c.author_id
          WHERE ${ROOM_MESSAGES} AND c.status = 'visible' AND c.agree_count > 0
          ORDER BY c.agree_count DESC, c.created_at ASC, c.id ASC
          LIMIT ${limit}`,
      [roomId],
    );
  }
}
