import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import {
  DEFAULT_LIMIT,
  decodeKeyset,
  type Page,
  type PageQuery,
  toPage,
} from '../core/http/pagination';
import { OPEN_STATUSES } from '../topics/topic-lifecycle';
import { type TopicStatus } from '../topics/topic.entity';
import { type LockedTopic } from '../topics/topics.repository';
import { type CommentStatus } from './comment.entity';
import { type CommentRow } from './comment.view';
import { type CommentSort } from './dto/comment.dto';

/** Columns for CommentRow; `c` is comments, `u` users. */
export const COMMENT_COLUMNS = `c.id, c.topic_id, c.parent_id, c.depth, c.author_id, u.display_name AS author_name,
  c.body, c.stance, c.status, c.hidden_reason, c.agree_count, c.reply_count, c.room_id, c.created_at, c.edited_at`;

/** The viewer's own agree (`my_agree`), given the SQL of the viewer's id (or null). */
const myAgree = (viewer: string): string =>
  `CASE WHEN ${viewer} IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = ${viewer}) END AS my_agree`;

/** A comment row with its full-precision creation time, for cursors. */
export type KeyedRow = CommentRow & { created_key: string };

const SELECT_KEYED = `SELECT ${COMMENT_COLUMNS}, c.created_at::text AS created_key`;

/** ORDER BY and keyset comparison for each sort, on (key, id). */
const ORDER: Record<
  CommentSort,
  { key: string; cursorKey: (r: KeyedRow) => string | number; dir: 'ASC' | 'DESC'; cast: string }
> = {
  oldest: { key: 'c.created_at', cursorKey: (r) => r.created_key, dir: 'ASC', cast: 'timestamptz' },
  newest: {
    key: 'c.created_at',
    cursorKey: (r) => r.created_key,
    dir: 'DESC',
    cast: 'timestamptz',
  },
  agrees: { key: 'c.agree_count', cursorKey: (r) => r.agree_count, dir: 'DESC', cast: 'int' },
};

/** What an author's edit or delete reads under the comment's row lock. */
export interface AuthoredComment {
  author_id: string;
  status: string;
  topic_id: string;
  space_id: string;
}

/**
 * A new comment in one statement: the comment row, its author as a participant (while the
 * topic deliberates), the parent's reply count, then the topic's counters and event `seq` with
 * the `comment_created` timeline entry. The parent comment's row lock comes before the topic's
 * (the lock order of every transaction), and the topic row — which every writer of the topic
 * updates, and whose lock orders its events — is locked by the statement's last step. Run on its
 * own, the statement commits inside PostgreSQL right after: the lock is never held across a round
 * trip to the server, which a busy event loop makes long.
 *
 * Checks that need the locks are made under them and refuse the whole statement
 * (`madang_refuse`), so nothing of it stays: the parent deleted meanwhile (`parent_deleted`), the
 * topic no longer taking part (`topic_not_open`, unless $8 is false) or gone (`topic_gone`).
 *
 * $1 topic, $2 author, $3 parent or null, $4 depth, $5 body, $6 stance or null, $7 room or null,
 * $8 whether the topic must take part, $9 the statuses in which it does. The leading SQL comment
 * names the statement in pg_stat_activity, whose copy of a long query is cut short.
 */
const WRITE_COMMENT = `/* write comment */
  WITH t AS (
    SELECT id, status FROM topics WHERE id = $1
  ), c AS (
    INSERT INTO comments (topic_id, parent_id, depth, author_id, body, stance, room_id)
    SELECT t.id, $3::uuid, $4::int, $2::uuid, $5::text, $6::varchar, $7::uuid FROM t
    RETURNING id, topic_id, parent_id, depth, author_id, body, stance, status, hidden_reason,
              agree_count, reply_count, room_id, created_at, edited_at
  ), part AS (
    INSERT INTO topic_participants (topic_id, user_id)
    SELECT t.id, $2::uuid FROM t, c WHERE t.status = 'deliberating'
    ON CONFLICT DO NOTHING RETURNING 1
  ), parent AS (
    UPDATE comments SET reply_count = reply_count + 1
     WHERE id = $3::uuid AND status <> 'deleted' AND EXISTS (SELECT 1 FROM c)
    RETURNING 1
  ), u AS (
    UPDATE topics SET seq = seq + 1, comment_count = comment_count + 1,
           participant_count = participant_count + (SELECT count(*) FROM part)::int,
           last_activity_at = now()
     WHERE id = $1 AND EXISTS (SELECT 1 FROM c)
       AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM parent))
    RETURNING id, space_id, seq, status, rung, agree_count, participant_count
  ), e AS (
    INSERT INTO topic_events (topic_id, seq, type, actor_id, data)
    SELECT u.id, u.seq, 'comment_created', $2::uuid,
           jsonb_build_object('commentId', c.id, 'parentId', $3::uuid)
      FROM u, c
  )
  SELECT c.id, c.topic_id, c.parent_id, c.depth, c.author_id, a.display_name AS author_name,
         c.body, c.stance, c.status, c.hidden_reason, c.agree_count, c.reply_count, c.room_id,
         c.created_at, c.edited_at, false AS my_agree,
         u.space_id, u.seq, u.status AS topic_status, u.rung, u.agree_count AS topic_agree_count,
         u.participant_count, s.thresholds, t.status AS read_status
    FROM c JOIN users a ON a.id = c.author_id CROSS JOIN t
    LEFT JOIN u ON true LEFT JOIN spaces s ON s.id = u.space_id
   -- Refusals raise (madang_refuse); otherwise the CASE is null and the row is answered.
   WHERE CASE WHEN $3::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM parent)
                THEN madang_refuse('parent_deleted')
              WHEN u.id IS NULL THEN madang_refuse('topic_gone')
              WHEN $8::boolean AND u.status <> ALL($9::varchar[])
                THEN madang_refuse('topic_not_open')
         END IS NULL`;

export interface NewComment {
  topicId: string;
  authorId: string;
  parentId: string | null;
  depth: number;
  body: string;
  stance: string | null;
  roomId: string | null;
  /** False for a topic that no longer takes part (a room's questions carried to it at its end). */
  mustBeOpen: boolean;
}

export interface WrittenComment {
  comment: CommentRow;
  /** The topic as the statement's lock left it. */
  topic: LockedTopic & { seq: number };
  /** The topic's status in the statement's snapshot, before it waited for the lock. */
  readStatus: TopicStatus;
}

type WrittenRow = CommentRow & {
  space_id: string;
  seq: number;
  topic_status: TopicStatus;
  rung: LockedTopic['rung'];
  topic_agree_count: number;
  participant_count: number;
  thresholds: LockedTopic['thresholds'];
  read_status: TopicStatus;
};

/** What moderation reads of a comment under its row lock, with its space's report threshold. */
export interface ModerationRow {
  id: string;
  topic_id: string;
  space_id: string;
  author_id: string;
  status: CommentStatus;
  hidden_reason: string | null;
  open_report_count: number;
  reports_to_hide: number;
  room_id: string | null;
}

/**
 * Every statement on `comments`: the one-statement write (`WRITE_COMMENT`), the threaded reads
 * with the viewer's own agree, the author's edits, and moderation's lock, hides, restores and
 * report counts. Rows come back as `CommentRow`; what a viewer may see of them is decided by
 * `toCommentView` alone.
 */
@Injectable()
export class CommentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the comment (see WRITE_COMMENT); undefined when the topic does not exist. */
  async write(tx: Queryable, c: NewComment): Promise<WrittenComment | undefined> {
    const rows = await queryRows<WrittenRow>(tx, WRITE_COMMENT, [
      c.topicId,
      c.authorId,
      c.parentId,
      c.depth,
      c.body,
      c.stance,
      c.roomId,
      c.mustBeOpen,
      OPEN_STATUSES,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    const {
      space_id,
      seq,
      topic_status,
      rung,
      topic_agree_count,
      participant_count,
      thresholds,
      read_status,
      ...comment
    } = row;
    return {
      comment,
      topic: {
        id: c.topicId,
        space_id,
        seq,
        status: topic_status,
        rung,
        agree_count: topic_agree_count,
        participant_count,
        thresholds,
      },
      readStatus: read_status,
    };
  }

  /** The parent a reply would hang from. */
  async parent(
    db: Queryable,
    id: string,
  ): Promise<{ topic_id: string; depth: number; status: string } | undefined> {
    const rows = await queryRows<{ topic_id: string; depth: number; status: string }>(
      db,
      `SELECT topic_id, depth, status FROM comments WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** One comment with its topic's space and the viewer's own agree. */
  async withSpace(
    db: Queryable,
    id: string,
    viewerId: string | null,
  ): Promise<(CommentRow & { space_id: string }) | undefined> {
    const rows = await queryRows<CommentRow & { space_id: string }>(
      db,
      `SELECT ${COMMENT_COLUMNS}, t.space_id,
              ${myAgree('$2::uuid')}
         FROM comments c JOIN users u ON u.id = c.author_id JOIN topics t ON t.id = c.topic_id WHERE c.id = $1`,
      [id, viewerId],
    );
    return rows[0];
  }

  /** Several comments by id (without the viewer's agree). */
  async byIds(ids: readonly string[]): Promise<CommentRow[]> {
    return queryRows<CommentRow>(
      this.dataSource.manager,
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ANY($1)`,
      [ids],
    );
  }

  /** The space and depth of a comment's topic, or undefined when there is no such comment. */
  async locate(id: string): Promise<{ space_id: string; depth: number } | undefined> {
    const rows = await queryRows<{ space_id: string; depth: number }>(
      this.dataSource.manager,
      `SELECT t.space_id, c.depth FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** A page of a topic's top-level comments. */
  async topLevel(
    topicId: string,
    sort: CommentSort,
    query: { limit?: number; cursor?: string },
    viewerId: string | null,
  ): Promise<Page<KeyedRow>> {
    return this.page(`c.topic_id = $1 AND c.parent_id IS NULL`, [topicId], sort, query, viewerId);
  }

  /** A page of a comment's direct replies. */
  async repliesOf(
    parentId: string,
    sort: CommentSort,
    query: { limit?: number; cursor?: string },
    viewerId: string | null,
  ): Promise<Page<KeyedRow>> {
    return this.page(`c.parent_id = $1`, [parentId], sort, query, viewerId);
  }

  /**
   * The first `limit` replies (oldest first) of each of `parentIds`: one query for all of them,
   * a LATERAL join per parent on the index.
   */
  async firstReplies(
    parentIds: string[],
    limit: number,
    viewerId: string | null,
  ): Promise<(CommentRow & { parent_key: string })[]> {
    return queryRows<CommentRow & { parent_key: string }>(
      this.dataSource.manager,
      `SELECT r.*, r.parent_id AS parent_key FROM unnest($1::uuid[]) AS p(id)
         CROSS JOIN LATERAL (
           SELECT ${COMMENT_COLUMNS},
                  ${myAgree('$3::uuid')}
             FROM comments c JOIN users u ON u.id = c.author_id
            WHERE c.parent_id = p.id ORDER BY c.created_at, c.id LIMIT $2) r`,
      [parentIds, limit, viewerId],
    );
  }

  /** Every reply below a comment, at any depth, oldest first, paged. */
  async below(
    commentId: string,
    query: PageQuery,
    viewerId: string | null,
  ): Promise<Page<KeyedRow>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const args: unknown[] = [commentId, viewerId, limit + 1];
    let keyset = '';
    if (query.cursor) {
      const [created, id] = decodeKeyset(query.cursor, ['time', 'uuid']);
      args.push(created, id);
      keyset = `AND (c.created_at, c.id) > ($4::timestamptz, $5::uuid)`;
    }
    const rows = await queryRows<KeyedRow>(
      this.dataSource.manager,
      `WITH RECURSIVE below(id) AS (
         SELECT id FROM comments WHERE parent_id = $1
         UNION ALL
         SELECT c.id FROM comments c JOIN below b ON c.parent_id = b.id
       )
       ${SELECT_KEYED},
              ${myAgree('$2::uuid')}
         FROM below b JOIN comments c ON c.id = b.id JOIN users u ON u.id = c.author_id
        WHERE true ${keyset}
        ORDER BY c.created_at, c.id LIMIT $3`,
      args,
    );
    return toPage(
      rows,
      limit,
      (row) => row,
      (row) => [row.created_key, row.id],
    );
  }

  /** A person's own comments, newest first, each with the title of its topic. */
  async byAuthor(
    authorId: string,
    query: PageQuery,
  ): Promise<Page<KeyedRow & { topic_title: string }>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const args: unknown[] = [authorId, limit + 1];
    let keyset = '';
    if (query.cursor) {
      const [created, id] = decodeKeyset(query.cursor, ['time', 'uuid']);
      args.push(created, id);
      keyset = `AND (c.created_at, c.id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows = await queryRows<KeyedRow & { topic_title: string }>(
      this.dataSource.manager,
      `${SELECT_KEYED}, t.title AS topic_title,
              EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = $1) AS my_agree
         FROM comments c JOIN users u ON u.id = c.author_id JOIN topics t ON t.id = c.topic_id
        WHERE c.author_id = $1 ${keyset}
        ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      args,
    );
    return toPage(
      rows,
      limit,
      (row) => row,
      (row) => [row.created_key, row.id],
    );
  }

  /** Locks the comment row (its topic's row is not locked) and reads who may change it. */
  async lockForAuthor(tx: Queryable, id: string): Promise<AuthoredComment | undefined> {
    const rows = await queryRows<AuthoredComment>(
      tx,
      `SELECT c.author_id, c.status, c.topic_id, t.space_id
         FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1 FOR UPDATE OF c`,
      [id],
    );
    return rows[0];
  }

  async updateBody(tx: Queryable, id: string, body: string): Promise<void> {
    await tx.query(`UPDATE comments SET body = $2, edited_at = now() WHERE id = $1`, [id, body]);
  }

  /** The author's soft delete: the body and stance go, the row keeps the thread's shape. */
  async softDelete(tx: Queryable, id: string): Promise<void> {
    await tx.query(
      `UPDATE comments SET status = 'deleted', body = '', stance = NULL WHERE id = $1`,
      [id],
    );
  }

  /** The agree counts of these comments now, by id (missing: deleted). */
  async agreeCounts(ids: string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ id: string; agree_count: number }>(
      this.dataSource.manager,
      `SELECT id, agree_count FROM comments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.agree_count]));
  }

  async agreeCount(id: string): Promise<number> {
    return (await this.agreeCounts([id])).get(id) ?? 0;
  }

  /** Whether the comment exists, was written by `authorId`, and sits in a topic of the space. */
  async isByAuthorInSpace(
    db: Queryable,
    commentId: string,
    authorId: string,
    spaceId: string,
  ): Promise<boolean> {
    const own: unknown[] = await db.query(
      `SELECT 1 FROM comments c JOIN topics t ON t.id = c.topic_id
        WHERE c.id = $1 AND c.author_id = $2 AND t.space_id = $3`,
      [commentId, authorId, spaceId],
    );
    return own.length > 0;
  }

  /**
   * Reads a comment with its space's report threshold and locks the comment row (FOR UPDATE)
   * until the transaction ends: reports, hides, restores and resolutions of one comment queue up
   * on this lock. Undefined when there is no such comment.
   */
  async lockForModeration(tx: Queryable, commentId: string): Promise<ModerationRow | undefined> {
    // A message of a live room: its room row is locked first, the order every room
    // transaction takes (room → comment → topic), so a hide and a chat reply cannot deadlock.
    const owners = await queryRows<{ room_id: string | null }>(
      tx,
      `SELECT room_id FROM comments WHERE id = $1`,
      [commentId],
    );
    const roomId = owners[0]?.room_id ?? null;
    if (roomId) await tx.query(`SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE`, [roomId]);
    const rows = await queryRows<ModerationRow>(
      tx,
      `SELECT c.id, c.topic_id, t.space_id, c.author_id, c.status, c.hidden_reason, c.open_report_count,
              s.reports_to_hide, c.room_id
         FROM comments c
         JOIN topics t ON t.id = c.topic_id
         JOIN spaces s ON s.id = t.space_id
        WHERE c.id = $1
          FOR UPDATE OF c`,
      [commentId],
    );
    return rows[0];
  }

  /** Hides the comment, or replaces the reason it is hidden for. */
  async hide(tx: Queryable, id: string, reason: string): Promise<void> {
    await tx.query(`UPDATE comments SET status = 'hidden', hidden_reason = $2 WHERE id = $1`, [
      id,
      reason,
    ]);
  }

  /** Makes a hidden comment visible again. */
  async show(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE comments SET status = 'visible', hidden_reason = NULL WHERE id = $1`, [
      id,
    ]);
  }

  /** Counts one more open report of the comment; answers the new count. */
  async countReport(tx: Queryable, id: string): Promise<number> {
    const counted = await queryRows<{ open_report_count: number }>(
      tx,
      `UPDATE comments SET open_report_count = open_report_count + 1 WHERE id = $1
         RETURNING open_report_count`,
      [id],
    );
    return counted[0]!.open_report_count;
  }

  /** The comment has no open report any more. */
  async clearReports(tx: Queryable, id: string): Promise<void> {
    await tx.query(`UPDATE comments SET open_report_count = 0 WHERE id = $1`, [id]);
  }

  /** One comment (without the viewer's agree), read in the caller's transaction. */
  async row(db: Queryable, id: string): Promise<CommentRow | undefined> {
    const rows = await queryRows<CommentRow>(
      db,
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }

  private async page(
    where: string,
    params: unknown[],
    sort: CommentSort,
    query: { limit?: number; cursor?: string },
    viewerId: string | null,
  ): Promise<Page<KeyedRow>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const order = ORDER[sort];
    const args = [...params];
    let keyset = '';
    if (query.cursor) {
      const [value, id] = decodeKeyset(query.cursor, [
        order.cast === 'int' ? 'int' : 'time',
        'uuid',
      ]);
      args.push(value, id);
      const cmp = order.dir === 'ASC' ? '>' : '<';
      keyset = ` AND (${order.key}, c.id) ${cmp} ($${args.length - 1}::${order.cast}, $${args.length}::uuid)`;
    }
    args.push(viewerId, limit + 1);
    const viewer = `$${args.length - 1}::uuid`;
    const rows = await queryRows<KeyedRow>(
      this.dataSource.manager,
      `${SELECT_KEYED},
              ${myAgree(viewer)}
         FROM comments c JOIN users u ON u.id = c.author_id
        WHERE ${where}${keyset}
        ORDER BY ${order.key} ${order.dir}, c.id ${order.dir}
        LIMIT $${args.length}`,
      args,
    );
    return toPage(
      rows,
      limit,
      (row) => row,
      (row) => [order.cursorKey(row), row.id],
    );
  }
}
