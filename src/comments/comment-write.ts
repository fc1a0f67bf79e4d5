import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { type LockedTopic } from '../topics/ladder.service';
import { OPEN_STATUSES } from '../topics/topic-lifecycle';
import { type TopicStatus } from '../topics/topic.entity';
import { type CommentRow } from './comment.view';

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

/** Writes the comment (see WRITE_COMMENT); undefined when the topic does not exist. */
export async function writeComment(
  tx: EntityManager,
  c: NewComment,
): Promise<WrittenComment | undefined> {
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
