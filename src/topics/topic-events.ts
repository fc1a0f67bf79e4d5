import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { type LockedTopic } from './ladder.service';
import { type TopicEventType } from './topic-event.entity';

/**
 * Appends a public event to a topic and returns its `seq`. The counter lives on the topic row
 * and is bumped with UPDATE … RETURNING inside the caller's transaction, so numbers are
 * gap-free and strictly increasing per topic even with many writers (they queue on the row
 * lock, and a rolled-back transaction gives its number back).
 */
export async function appendTopicEvent(
  tx: EntityManager,
  topicId: string,
  type: TopicEventType,
  actorId: string | null,
  data: Record<string, unknown> = {},
): Promise<number> {
  const rows = await queryRows<{ seq: number }>(
    tx,
    `UPDATE topics SET seq = seq + 1 WHERE id = $1 RETURNING seq`,
    [topicId],
  );
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error(`topic ${topicId} vanished inside its transaction`);
  await tx.query(
    `INSERT INTO topic_events (topic_id, seq, type, actor_id, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
    [topicId, seq, type, actorId, JSON.stringify(data)],
  );
  return seq;
}

/**
 * `appendTopicEvent` for a new comment, in one statement that also moves the topic's counters
 * and answers the row as its lock left it (the ladder's view of it). Taking the topic row lock
 * in the transaction's last statement keeps it — and with it the order of the topic's events,
 * which serialises its comments — held for that statement and the commit only.
 */
export async function appendCommentEvent(
  tx: EntityManager,
  topicId: string,
  actorId: string,
  data: { commentId: string; parentId: string | null },
  participants: 0 | 1,
): Promise<LockedTopic & { seq: number }> {
  const rows = await queryRows<LockedTopic & { seq: number }>(
    tx,
    `WITH u AS (
       UPDATE topics SET seq = seq + 1, comment_count = comment_count + 1,
              participant_count = participant_count + $4, last_activity_at = now()
        WHERE id = $1
       RETURNING id, space_id, seq, status, rung, agree_count, participant_count
     ), e AS (
       INSERT INTO topic_events (topic_id, seq, type, actor_id, data)
       SELECT id, seq, 'comment_created', $2, $3::jsonb FROM u
     )
     SELECT u.*, s.thresholds FROM u JOIN spaces s ON s.id = u.space_id`,
    [topicId, actorId, JSON.stringify(data), participants],
  );
  const topic = rows[0];
  if (!topic) throw new Error(`topic ${topicId} vanished inside its transaction`);
  return topic;
}
