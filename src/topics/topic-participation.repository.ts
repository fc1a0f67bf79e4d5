import { Injectable } from '@nestjs/common';
import { type Queryable, queryRows } from '../core/database/sql';
import { type Stance } from './topic-participation.entity';

/**
 * Every statement on who takes part in a deliberation: `topic_stances` (one stance per user,
 * which may change) and `topic_participants` (one row per distinct participant, so the count on
 * the topic stays exact). Both are written inside the caller's transaction, under the topic's
 * row lock.
 */
@Injectable()
export class TopicParticipationRepository {
  async stanceOf(tx: Queryable, topicId: string, userId: string): Promise<Stance | undefined> {
    const rows = await queryRows<{ stance: Stance }>(
      tx,
      `SELECT stance FROM topic_stances WHERE topic_id = $1 AND user_id = $2`,
      [topicId, userId],
    );
    return rows[0]?.stance;
  }

  async setStance(tx: Queryable, topicId: string, userId: string, stance: Stance): Promise<void> {
    await tx.query(
      `INSERT INTO topic_stances (topic_id, user_id, stance) VALUES ($1, $2, $3)
       ON CONFLICT (topic_id, user_id) DO UPDATE SET stance = EXCLUDED.stance`,
      [topicId, userId, stance],
    );
  }

  /** Counts the users as participants, once each (the primary key decides); returns how many were new. */
  async addParticipants(tx: Queryable, topicId: string, userIds: string[]): Promise<number> {
    const inserted = await queryRows<unknown>(
      tx,
      `INSERT INTO topic_participants (topic_id, user_id)
       SELECT $1, u FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING RETURNING 1`,
      [topicId, userIds],
    );
    return inserted.length;
  }
}
