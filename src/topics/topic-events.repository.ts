import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { type TopicEventType } from './topic-event.entity';
import { TopicsRepository } from './topics.repository';

/** A timeline entry as read, with its actor's display name. */
export interface TimelineRow {
  seq: number;
  type: string;
  actor_id: string | null;
  actor_name: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

/** An event as the live stream replays it. */
export interface ReplayRow {
  seq: number;
  type: TopicEventType;
  data: Record<string, unknown>;
}

/** Every statement on `topic_events`, the numbered public history of each topic. */
@Injectable()
export class TopicEventsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly topics: TopicsRepository,
  ) {}

  /**
   * Appends a public event to a topic and returns its `seq`. The counter lives on the topic row
   * and is bumped with UPDATE … RETURNING inside the caller's transaction, so numbers are
   * gap-free and strictly increasing per topic even with many writers (they queue on the row
   * lock, and a rolled-back transaction gives its number back).
   */
  async append(
    tx: Queryable,
    topicId: string,
    type: TopicEventType,
    actorId: string | null,
    data: Record<string, unknown> = {},
  ): Promise<number> {
    const seq = await this.topics.nextSeq(tx, topicId);
    if (seq === undefined) throw new Error(`topic ${topicId} vanished inside its transaction`);
    await tx.query(
      `INSERT INTO topic_events (topic_id, seq, type, actor_id, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [topicId, seq, type, actorId, JSON.stringify(data)],
    );
    return seq;
  }

  /** Events of `types` after `afterSeq`, oldest first, at most `limit`. */
  async timeline(
    topicId: string,
    types: readonly string[],
    afterSeq: number,
    limit: number,
  ): Promise<TimelineRow[]> {
    return queryRows<TimelineRow>(
      this.dataSource.manager,
      `SELECT e.seq, e.type, e.actor_id, u.display_name AS actor_name, e.data, e.created_at
           FROM topic_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.topic_id = $1 AND e.type = ANY($2) AND e.seq > $3
          ORDER BY e.seq LIMIT $4`,
      [topicId, types, afterSeq, limit],
    );
  }

  /** Every event after `sinceSeq`, oldest first, at most `limit` (a live client catching up). */
  async since(topicId: string, sinceSeq: number, limit: number): Promise<ReplayRow[]> {
    return queryRows<ReplayRow>(
      this.dataSource.manager,
      `SELECT seq, type, data FROM topic_events WHERE topic_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [topicId, sinceSeq, limit],
    );
  }
}
