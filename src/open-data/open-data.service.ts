import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COMMENT_COLUMNS, type CommentRow, toCommentView } from '../comments/comment.view';
import { queryRows } from '../core/database/sql';
import { Problem } from '../core/http/problem';
import { TIMELINE_TYPES } from '../topics/topic-event.entity';
import { type Row } from './csv';
import {
  type DailyAgreesQuery,
  type ExportQuery,
  type TopicPartsExportQuery,
  type TopicsExportQuery,
} from './dto/open-data.dto';

/**
 * Rows are read in batches, each a query of its own on a pooled connection that is given back
 * in between, so an export of any size holds one batch in memory and never a connection while
 * it waits for a slow reader. Batches follow a key (the primary key, or the topic id), so a row
 * that exists throughout an export appears exactly once; a row changed during the export shows
 * as it was when its batch was read.
 */
export const BATCH = 500;
/** Topics whose agrees are counted per batch of `daily-agrees` (each gives one row per day). */
const TOPIC_BATCH = 100;

@Injectable()
export class OpenDataService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Unknown filters are a 404, not an empty file. Every export checks them before its first
   * batch, which the writer reads before it sends anything.
   */
  private async checkFilters(query: ExportQuery & { topicId?: string }): Promise<void> {
    const db = this.dataSource.manager;
    if (query.spaceId) {
      const found = await queryRows(db, `SELECT 1 FROM spaces WHERE id = $1`, [query.spaceId]);
      if (found.length === 0) throw Problem.notFound('Space');
    }
    if (query.topicId) {
      const found = await queryRows(db, `SELECT 1 FROM topics WHERE id = $1`, [query.topicId]);
      if (found.length === 0) throw Problem.notFound('Topic');
    }
  }

  async *topics(query: TopicsExportQuery): AsyncGenerator<Row[]> {
    await this.checkFilters(query);
    yield* this.keyed('id', (after) =>
      queryRows<Row & { id: string }>(
        this.dataSource.manager,
        `SELECT t.id, t.space_id, s.slug AS space_slug, t.title, t.body, t.tags, t.status, t.rung,
                u.display_name AS author_name, t.agree_count, t.comment_count, t.participant_count,
                t.stance_for, t.stance_against, t.stance_neutral, t.created_at, t.proposal_expires_at,
                (SELECT min(e.created_at) FROM topic_events e
                  WHERE e.topic_id = t.id AND e.type = 'ladder_crossed' AND e.data->>'rung' = 'review')
                  AS review_reached_at,
                t.deliberation_opened_at, t.closes_at,
                (SELECT min(e.created_at) FROM topic_events e
                  WHERE e.topic_id = t.id AND e.type = 'ladder_crossed' AND e.data->>'rung' = 'response')
                  AS response_reached_at,
                (SELECT min(r.created_at) FROM topic_responses r WHERE r.topic_id = t.id) AS answered_at,
                t.rejected_reason, t.last_activity_at
           FROM topics t
           JOIN spaces s ON s.id = t.space_id
           JOIN users u ON u.id = t.author_id
          WHERE ($1::uuid IS NULL OR t.space_id = $1) AND ($2::uuid IS NULL OR t.id > $2)
          ORDER BY t.id
          LIMIT $3`,
        [query.spaceId ?? null, after, BATCH],
      ),
    );
  }

  async *timeline(query: TopicPartsExportQuery): AsyncGenerator<Row[]> {
    await this.checkFilters(query);
    yield* this.keyed('event_id', (after) =>
      queryRows<Row & { event_id: string }>(
        this.dataSource.manager,
        `SELECT e.id AS event_id, e.topic_id, e.seq, e.type, e.created_at AS occurred_at,
                u.display_name AS actor_name,
                CASE WHEN e.type = 'ladder_crossed' THEN e.data->>'rung' END AS rung,
                CASE WHEN e.type = 'ladder_crossed' THEN (e.data->>'count')::int END AS count,
                CASE WHEN e.type = 'transitioned' THEN e.data->>'from' END AS status_from,
                CASE WHEN e.type = 'transitioned' THEN e.data->>'to' END AS status_to,
                CASE WHEN e.type = 'transitioned' THEN e.data->>'reason' END AS reason,
                CASE WHEN e.type = 'answered' THEN e.data->>'role' END AS response_role
           FROM topic_events e
           JOIN topics t ON t.id = e.topic_id
           LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.type = ANY($1) AND ($2::uuid IS NULL OR t.space_id = $2)
            AND ($3::uuid IS NULL OR e.topic_id = $3) AND ($4::bigint IS NULL OR e.id > $4::bigint)
          ORDER BY e.id
          LIMIT $5`,
        [TIMELINE_TYPES, query.spaceId ?? null, query.topicId ?? null, after, BATCH],
      ),
    );
  }

  async *comments(query: TopicPartsExportQuery): AsyncGenerator<Row[]> {
    await this.checkFilters(query);
    const batches = this.keyed('id', (after) =>
      queryRows<CommentRow & { space_id: string }>(
        this.dataSource.manager,
        `SELECT ${COMMENT_COLUMNS}, t.space_id
           FROM comments c
           JOIN topics t ON t.id = c.topic_id
           JOIN users u ON u.id = c.author_id
          WHERE ($1::uuid IS NULL OR t.space_id = $1) AND ($2::uuid IS NULL OR c.topic_id = $2)
            AND ($3::uuid IS NULL OR c.id > $3)
          ORDER BY c.id
          LIMIT $4`,
        [query.spaceId ?? null, query.topicId ?? null, after, BATCH],
      ),
    );
    for await (const rows of batches) yield rows.map(publicComment);
  }

  async *dailyAgrees(query: DailyAgreesQuery): AsyncGenerator<Row[]> {
    if (query.from && query.to && query.to < query.from) {
      throw Problem.field('to', 'not_before_from');
    }
    await this.checkFilters(query);
    const db = this.dataSource.manager;
    let after: string | null = null;
    for (;;) {
      const topics: { id: string }[] = await queryRows<{ id: string }>(
        db,
        `SELECT t.id FROM topics t
          WHERE ($1::uuid IS NULL OR t.space_id = $1) AND ($2::uuid IS NULL OR t.id = $2)
            AND ($3::uuid IS NULL OR t.id > $3)
          ORDER BY t.id
          LIMIT $4`,
        [query.spaceId ?? null, query.topicId ?? null, after, TOPIC_BATCH],
      );
      if (topics.length === 0) return;
      // The running total is taken over every day, before the days outside from–to are left out.
      const rows = await queryRows<Row>(
        db,
        `SELECT topic_id, space_id, day::text AS day, agrees, cumulative FROM (
           SELECT topic_id, space_id, day, agrees,
                  (sum(agrees) OVER (PARTITION BY topic_id ORDER BY day))::int AS cumulative
             FROM (SELECT a.topic_id, t.space_id, (a.created_at AT TIME ZONE $2)::date AS day,
                          count(*)::int AS agrees
                     FROM topic_agrees a JOIN topics t ON t.id = a.topic_id
                    WHERE a.topic_id = ANY($1::uuid[])
                    GROUP BY 1, 2, 3) per_day
         ) running
         WHERE ($3::date IS NULL OR day >= $3::date) AND ($4::date IS NULL OR day <= $4::date)
         ORDER BY topic_id, day`,
        [topics.map((t) => t.id), query.timeZone ?? 'UTC', query.from ?? null, query.to ?? null],
      );
      if (rows.length > 0) yield rows;
      if (topics.length < TOPIC_BATCH) return;
      after = topics[topics.length - 1]!.id;
    }
  }

  /** Batches of `read(after)`, each starting after the last key of the one before. */
  private async *keyed<K extends string, R extends Record<K, string>>(
    key: K,
    read: (after: string | null) => Promise<R[]>,
  ): AsyncGenerator<R[]> {
    let after: string | null = null;
    for (;;) {
      const rows = await read(after);
      if (rows.length > 0) yield rows;
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1]![key];
    }
  }
}

/**
 * A comment as the public sees it (comment.view.ts decides: no text when hidden or deleted),
 * with its author by display name only, and not at all once the author deleted it.
 */
function publicComment(row: CommentRow & { space_id: string }): Row {
  const view = toCommentView(row, false);
  return {
    id: view.id,
    topic_id: view.topicId,
    space_id: row.space_id,
    parent_id: view.parentId,
    depth: view.depth,
    author_name: view.status === 'deleted' ? null : view.author.displayName,
    body: view.body,
    status: view.status,
    hidden_reason: view.hiddenReason ?? null,
    stance: view.stance,
    agree_count: view.agreeCount,
    reply_count: view.replyCount,
    room_id: view.roomId,
    created_at: view.createdAt,
    edited_at: view.editedAt,
  };
}
