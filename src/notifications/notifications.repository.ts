import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { banInForce } from '../moderation/bans.guard';
import { type FollowTarget } from './follows.repository';
import { type NotificationSwitch, type NotificationType } from '../protocol/views';

/** The switch of the settings that turns each kind of notification off. */
export const SWITCH_OF: Record<NotificationType, NotificationSwitch> = {
  'topic.ladder': 'ladder',
  'topic.status': 'status',
  'topic.answered': 'answer',
  'comment.reply': 'reply',
  'comment.hidden': 'hidden',
  'room.live': 'room',
  'budget.phase': 'budget',
  'project.reviewed': 'budget',
  'project.selected': 'budget',
  'answer.due': 'due',
};

/** A notification row as written, with what its push needs. */
export interface NotificationRow {
  id: string;
  user_id: string;
  type: NotificationType;
  data: Record<string, unknown>;
  topic_id: string | null;
  comment_id: string | null;
  room_id: string | null;
  budget_id: string | null;
  project_id: string | null;
  read_at: Date | null;
  created_at: Date;
}

export const NOTIFICATION_COLUMNS =
  'id, user_id, type, data, topic_id, comment_id, room_id, budget_id, project_id, read_at, created_at';

/** Who a notification goes to, before the rules every notification shares are applied. */
export type Recipients =
  | { kind: 'followers'; targetType: FollowTarget; targetId: string }
  | { kind: 'comment_author'; commentId: string; status: 'visible' | 'hidden' }
  | { kind: 'facilitators'; spaceId: string };

export interface NotificationSpec {
  type: NotificationType;
  /** What caused it (`topic_event:<id>` …): one notification per person and source, ever. */
  source: string;
  spaceId: string;
  /** Who acted; never notified of their own action. */
  actorId: string | null;
  data: Record<string, unknown>;
  topicId: string | null;
  commentId?: string | null;
  roomId?: string | null;
  budgetId?: string | null;
  projectId?: string | null;
  /**
   * When its source happened. The inbox is ordered by it, so it is the event's time, not the
   * write's: any node may write the notifications of neighbouring events, in either order.
   */
  occurredAt: Date;
  recipients: Recipients;
}

function recipientsSql(r: Recipients): { sql: string; params: unknown[] } {
  switch (r.kind) {
    case 'followers':
      return {
        sql: `SELECT f.user_id FROM follows f WHERE f.target_type = $R1 AND f.target_id = $R2::uuid`,
        params: [r.targetType, r.targetId],
      };
    case 'comment_author':
      return {
        sql: `SELECT c.author_id AS user_id FROM comments c WHERE c.id = $R1::uuid AND c.status = $R2`,
        params: [r.commentId, r.status],
      };
    case 'facilitators':
      return {
        sql: `SELECT sf.user_id FROM space_facilitators sf WHERE sf.space_id = $R1::uuid`,
        params: [r.spaceId],
      };
  }
}

/** Every statement on `notifications`: the fan-out, the inbox, the owed answers coming due. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes one notification to every recipient in one statement (INSERT … SELECT), so ten
   * thousand followers cost one round trip, not ten thousand. The rules every notification
   * shares are in its WHERE: never the actor, never someone banned from the space, never someone
   * who turned the kind off. The unique (person, source) key makes a second write of the same
   * event — another node, a retry after a crash — a no-op. `created_at` is the source event's
   * time (`occurredAt`), so the inbox keeps the order of events whichever node wrote them when.
   */
  async fanOut(tx: Queryable, spec: NotificationSpec): Promise<NotificationRow[]> {
    const recipients = recipientsSql(spec.recipients);
    const base = [
      spec.type,
      spec.source,
      JSON.stringify(spec.data),
      spec.topicId,
      spec.commentId ?? null,
      spec.roomId ?? null,
      spec.actorId,
      spec.spaceId,
      SWITCH_OF[spec.type],
      spec.occurredAt,
      spec.budgetId ?? null,
      spec.projectId ?? null,
    ];
    const sql = recipients.sql.replace(
      /\$R(\d)/g,
      (_m, n: string) => `$${base.length + Number(n)}`,
    );
    // Only what differs per person comes back: ten thousand copies of the same data would be
    // ten thousand JSON parses on the event loop.
    const rows = await queryRows<Pick<NotificationRow, 'id' | 'user_id' | 'created_at'>>(
      tx,
      `INSERT INTO notifications (user_id, type, source, data, topic_id, comment_id, room_id, created_at,
                                  budget_id, project_id)
       SELECT r.user_id, $1, $2, $3::jsonb, $4::uuid, $5::uuid, $6::uuid, $10::timestamptz,
              $11::uuid, $12::uuid
         FROM (SELECT DISTINCT user_id FROM (${sql}) q) r
         LEFT JOIN notification_settings ns ON ns.user_id = r.user_id
        WHERE r.user_id IS DISTINCT FROM $7::uuid
          AND COALESCE((ns.types->>$9::text)::boolean, true)
          AND NOT EXISTS (SELECT 1 FROM space_bans b
                           WHERE b.space_id = $8::uuid AND b.user_id = r.user_id AND ${banInForce('b')})
       ON CONFLICT (user_id, source) DO NOTHING
       RETURNING id, user_id, created_at`,
      [...base, ...recipients.params],
    );
    return rows.map((row) => ({
      ...row,
      type: spec.type,
      data: spec.data,
      topic_id: spec.topicId,
      comment_id: spec.commentId ?? null,
      room_id: spec.roomId ?? null,
      budget_id: spec.budgetId ?? null,
      project_id: spec.projectId ?? null,
      read_at: null,
    }));
  }

  /**
   * Tells the facilitators of each space of the answers they owe that are due within `days`,
   * and again of those overdue. One statement for every space; the unique (person, source) key
   * makes every node's sweep write each once.
   */
  async announceDue(tx: Queryable, days: number): Promise<NotificationRow[]> {
    return queryRows<NotificationRow>(
      tx,
      `INSERT INTO notifications (user_id, type, source, data, topic_id, created_at)
       SELECT sf.user_id, 'answer.due',
              'answer_due:' || o.id || CASE WHEN o.due_at <= now() THEN ':overdue' ELSE ':soon' END,
              jsonb_build_object('title', t.title, 'rung', o.rung, 'dueAt', o.due_at,
                                 'overdue', o.due_at <= now()),
              t.id, clock_timestamp()
         FROM owed_answers o
         JOIN topics t ON t.id = o.topic_id
         JOIN space_facilitators sf ON sf.space_id = t.space_id
         LEFT JOIN notification_settings ns ON ns.user_id = sf.user_id
        WHERE o.answered_at IS NULL AND o.due_at <= now() + make_interval(days => $1)
          AND COALESCE((ns.types->>'due')::boolean, true)
          AND NOT EXISTS (SELECT 1 FROM space_bans b
                           WHERE b.space_id = t.space_id AND b.user_id = sf.user_id AND ${banInForce('b')})
       ON CONFLICT (user_id, source) DO NOTHING
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [days],
    );
  }

  /** A page of a person's notifications, newest first, after the keyset `after`. */
  async page(
    userId: string,
    unreadOnly: boolean,
    after: (string | number)[] | null,
    limit: number,
  ): Promise<(NotificationRow & { created_key: string })[]> {
    return queryRows<NotificationRow & { created_key: string }>(
      this.dataSource.manager,
      `SELECT ${NOTIFICATION_COLUMNS}, created_at::text AS created_key FROM notifications
        WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [userId, unreadOnly, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  async unread(userId: string): Promise<number> {
    const rows = await queryRows<{ unread: number }>(
      this.dataSource.manager,
      `SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
      [userId],
    );
    return rows[0]?.unread ?? 0;
  }

  /** The unread counts of many people at once (for the pushes of a fan-out). */
  async unreadCounts(userIds: string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ user_id: string; unread: number }>(
      this.dataSource.manager,
      `SELECT user_id, count(*)::int AS unread FROM notifications
        WHERE user_id = ANY($1::uuid[]) AND read_at IS NULL GROUP BY user_id`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.user_id, r.unread]));
  }

  /** Marks some (`ids`, only the person's own) or all of a person's notifications read. */
  async markRead(userId: string, ids: string[] | 'all'): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET read_at = now()
        WHERE user_id = $1 AND read_at IS NULL AND ($2::boolean OR id = ANY($3::uuid[]))`,
      [userId, ids === 'all', ids === 'all' ? [] : ids],
    );
  }
}
