import { type TopicStatus } from './topic-status';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';

/** The latest official response to a topic, with its author's display name. */
export interface ResponseRow {
  id: string;
  topic_id: string;
  body: string;
  role: string;
  author_id: string;
  author_name: string;
  created_at: Date;
}

/** An answer a crossed rung obliges the institution to give. */
export interface OwedAnswerRow {
  rung: string;
  due_at: Date;
  answered_at: Date | null;
}

/**
 * Every statement on the institution's answers: `topic_responses` (the answers given) and
 * `owed_answers` (the answers the ladder's rungs oblige it to give, and by when).
 */
@Injectable()
export class TopicResponsesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    tx: Queryable,
    response: { topicId: string; authorId: string; role: string; body: string },
  ): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO topic_responses (topic_id, author_id, role, body) VALUES ($1, $2, $3, $4) RETURNING id`,
      [response.topicId, response.authorId, response.role, response.body],
    );
    return rows[0]!.id;
  }

  /** The latest response of each of these topics that has one. */
  async latestOf(topicIds: string[]): Promise<ResponseRow[]> {
    return queryRows<ResponseRow>(
      this.dataSource.manager,
      `SELECT DISTINCT ON (r.topic_id) r.id, r.topic_id, r.body, r.role, r.author_id, u.display_name AS author_name, r.created_at
           FROM topic_responses r JOIN users u ON u.id = r.author_id
          WHERE r.topic_id = ANY($1) ORDER BY r.topic_id, r.created_at DESC`,
      [topicIds],
    );
  }

  /** Records the answer a rung obliges (once per topic and rung). */
  async owe(tx: Queryable, topicId: string, rung: string, dueAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO owed_answers (topic_id, rung, due_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [topicId, rung, dueAt],
    );
  }

  /** A response answers every answer the topic still owes. */
  async settleOwed(tx: Queryable, topicId: string): Promise<void> {
    await tx.query(
      `UPDATE owed_answers SET answered_at = now() WHERE topic_id = $1 AND answered_at IS NULL`,
      [topicId],
    );
  }

  /** The answers the topic's rungs obliged, oldest first. */
  async owedOf(topicId: string): Promise<OwedAnswerRow[]> {
    return queryRows<OwedAnswerRow>(
      this.dataSource.manager,
      `SELECT rung, due_at, answered_at FROM owed_answers WHERE topic_id = $1 ORDER BY created_at`,
      [topicId],
    );
  }

  /** The answers still owed in a space, the earliest due first (so the late ones lead). */
  async owedInSpace(spaceId: string): Promise<OwedInSpaceRow[]> {
    return queryRows<OwedInSpaceRow>(
      this.dataSource.manager,
      `SELECT o.topic_id, t.title, t.status, o.rung, o.due_at, o.due_at < now() AS overdue
         FROM owed_answers o JOIN topics t ON t.id = o.topic_id
        WHERE t.space_id = $1 AND o.answered_at IS NULL
        ORDER BY o.due_at, o.topic_id
        LIMIT 500`,
      [spaceId],
    );
  }
}

export interface OwedInSpaceRow {
  topic_id: string;
  title: string;
  status: TopicStatus;
  rung: 'review' | 'response';
  due_at: Date;
  overdue: boolean;
}
