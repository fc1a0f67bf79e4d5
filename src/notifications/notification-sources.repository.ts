import { Injectable } from '@nestjs/common';
import { type Queryable, queryRows } from '../core/database/sql';

/** A topic event still to notify, with what its notice needs read in the same statement. */
export interface TopicSourceRow {
  id: string;
  topic_id: string;
  type: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  /** When the event happened: the time its notifications carry, whenever they are written. */
  created_at: Date;
  space_id: string;
  title: string;
  /** `answered`: the answer's text. */
  response_body: string | null;
  /** `comment_created`: the comment as it is now, and its author's name. */
  comment_body: string | null;
  comment_status: string | null;
  comment_by: string | null;
}

/** A room gone live, still to notify. */
export interface RoomSourceRow {
  id: string;
  room_id: string;
  data: { by?: string };
  created_at: Date;
  topic_id: string;
  space_id: string;
  room_title: string;
  title: string;
}

/** A budget notice still to notify, with its budget, project and review. */
export interface BudgetSourceRow {
  id: string;
  budget_id: string;
  type: 'phase' | 'project_reviewed' | 'project_selected';
  project_id: string | null;
  actor_id: string | null;
  data: { from?: string; to?: string; feasible?: boolean; selected?: boolean };
  created_at: Date;
  space_id: string;
  budget_title: string;
  project_title: string | null;
  project_topic_id: string | null;
  review_explanation: string | null;
}

/**
 * The notifier's statements on the durable event logs it reads (`topic_events`, owned by the
 * topics feature, and `room_events`, by the rooms feature): claiming the rows not yet notified
 * and marking them; and on the budgets' outbox `budget_notices`, likewise. `notified_at` is the
 * notifier's column; nothing else writes it.
 */
@Injectable()
export class NotificationSourcesRepository {
  /** The WHERE repeats the partial index's predicate, so the index is what is read. */
  claimTopicEvents(tx: Queryable, limit: number): Promise<TopicSourceRow[]> {
    return queryRows<TopicSourceRow>(
      tx,
      `SELECT e.id, e.topic_id, e.type, e.actor_id, e.data, e.created_at, t.space_id, t.title,
              r.body AS response_body, c.body AS comment_body, c.status AS comment_status,
              cu.display_name AS comment_by
         FROM topic_events e
         JOIN topics t ON t.id = e.topic_id
         LEFT JOIN topic_responses r ON e.type = 'answered' AND r.id = (e.data->>'responseId')::uuid
         LEFT JOIN comments c ON e.type = 'comment_created' AND c.id = (e.data->>'commentId')::uuid
         LEFT JOIN users cu ON cu.id = c.author_id
        WHERE e.notified_at IS NULL
          AND e.type IN ('ladder_crossed', 'transitioned', 'answered', 'comment_created', 'comment_hidden')
        ORDER BY e.id LIMIT ${limit}
        FOR UPDATE OF e SKIP LOCKED`,
    );
  }

  async markTopicEvents(tx: Queryable, ids: string[]): Promise<void> {
    await tx.query(`UPDATE topic_events SET notified_at = now() WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
  }

  claimRoomEvents(tx: Queryable, limit: number): Promise<RoomSourceRow[]> {
    return queryRows<RoomSourceRow>(
      tx,
      `SELECT e.id, e.room_id, e.data, e.created_at, r.topic_id, r.space_id, r.title AS room_title, t.title
         FROM room_events e JOIN rooms r ON r.id = e.room_id JOIN topics t ON t.id = r.topic_id
        WHERE e.notified_at IS NULL AND e.type = 'room:state' AND (e.data->>'status') = 'live'
        ORDER BY e.id LIMIT ${limit}
        FOR UPDATE OF e SKIP LOCKED`,
    );
  }

  claimBudgetNotices(tx: Queryable, limit: number): Promise<BudgetSourceRow[]> {
    return queryRows<BudgetSourceRow>(
      tx,
      `SELECT n.id, n.budget_id, n.type, n.project_id, n.actor_id, n.data, n.created_at,
              b.space_id, b.title AS budget_title, p.title AS project_title,
              p.topic_id AS project_topic_id, r.explanation AS review_explanation
         FROM budget_notices n
         JOIN budgets b ON b.id = n.budget_id
         LEFT JOIN budget_projects p ON p.id = n.project_id
         LEFT JOIN budget_project_reviews r ON n.type = 'project_reviewed' AND r.project_id = n.project_id
        WHERE n.notified_at IS NULL
        ORDER BY n.id LIMIT ${limit}
        FOR UPDATE OF n SKIP LOCKED`,
    );
  }

  async markBudgetNotices(tx: Queryable, ids: string[]): Promise<void> {
    await tx.query(`UPDATE budget_notices SET notified_at = now() WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
  }

  async markRoomEvents(tx: Queryable, ids: string[]): Promise<void> {
    await tx.query(`UPDATE room_events SET notified_at = now() WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
  }
}
