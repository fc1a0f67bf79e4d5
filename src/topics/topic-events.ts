import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
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
