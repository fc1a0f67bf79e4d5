import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../../core/database/sql';
import { type Lang } from '../../core/http/i18n/lang';
import { type EmailCadence, type NotificationType } from '../../protocol/views';

/** A claimed outbox row: what the sender needs, and the lease that fences its marks. */
export interface ClaimedEmail {
  id: string;
  user_id: string;
  notification_id: string | null;
  digest_id: string | null;
  attempts: number;
  /** `claimed_at` as PostgreSQL prints it (microseconds kept), compared on every mark. */
  lease: string;
  /** Who it goes to, read with the claim; null when the person is gone. */
  recipient: Recipient | null;
  /** A single notification's row, read with the claim (a digest's are read when sent). */
  notification: OutboxNotification | null;
}

export interface Recipient {
  email: string;
  display_name: string;
  cadence: EmailCadence;
  language: Lang;
}

export interface OutboxNotification {
  type: NotificationType;
  data: Record<string, unknown>;
  topic_id: string | null;
  room_id: string | null;
  budget_id: string | null;
  project_id: string | null;
}

/** Every statement on `email_outbox` and `email_digests`. */
@Injectable()
export class EmailOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Queues an immediate email for each of these notifications whose person wants email
   * `immediate`: one INSERT … SELECT in the notifier's transaction, so the emails commit with
   * the notifications or not at all. `notification:<id>` is unique: never queued twice.
   */
  async queueImmediate(tx: Queryable, notificationIds: string[]): Promise<number> {
    if (notificationIds.length === 0) return 0;
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO email_outbox (user_id, notification_id, dedupe_key)
       SELECT n.user_id, n.id, 'notification:' || n.id
         FROM notifications n
         JOIN notification_settings ns ON ns.user_id = n.user_id AND ns.email = 'immediate'
        WHERE n.id = ANY($1::uuid[])
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [notificationIds],
    );
    return rows.length;
  }

  /**
   * The end of the latest `cadence` period that has ended by `at`: today's (or this Monday's)
   * DIGEST_HOUR in the time zone, or the one before when that is still ahead.
   */
  async periodEnd(
    cadence: 'daily' | 'weekly',
    at: Date,
    hour: number,
    zone: string,
  ): Promise<Date> {
    const unit = cadence === 'daily' ? 'day' : 'week';
    const rows = await queryRows<{ end: Date }>(
      this.dataSource.manager,
      `SELECT (CASE WHEN (b.local_end AT TIME ZONE $2) > $1::timestamptz
                    THEN b.local_end - $4::interval ELSE b.local_end END) AT TIME ZONE $2 AS "end"
         FROM (SELECT date_trunc($3, $1::timestamptz AT TIME ZONE $2)
                      + make_interval(hours => $5) AS local_end) b`,
      [at, zone, unit, cadence === 'daily' ? '1 day' : '7 days', hour],
    );
    return rows[0]!.end;
  }

  /**
   * Makes the digests of every person whose email is `cadence` for the period ending at `end`:
   * their unread notifications written since their last digest ended (or one period back for a
   * first digest), leaving out those already emailed on their own. One statement records each
   * digest — unique per person and period end, so a second sweep, on this node or another,
   * writes nothing — and queues its email (`digest:<id>`) with it. Nobody with nothing unread
   * gets a digest (nor a record: the next one starts at the last one made).
   */
  async makeDigests(
    tx: Queryable,
    cadence: 'daily' | 'weekly',
    end: Date,
  ): Promise<{ digest_id: string; user_id: string; count: number }[]> {
    const period = cadence === 'daily' ? '1 day' : '7 days';
    return queryRows(
      tx,
      `WITH people AS (
         SELECT ns.user_id,
                COALESCE((SELECT max(d.period_end) FROM email_digests d WHERE d.user_id = ns.user_id),
                         $2::timestamptz - $3::interval) AS period_start
           FROM (SELECT u.id AS user_id, COALESCE(s.email, 'daily') AS email
                   FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id
                  WHERE u.id IN (SELECT DISTINCT user_id FROM notifications
                                  WHERE read_at IS NULL AND created_at < $2::timestamptz
                                    AND created_at >= $2::timestamptz - interval '35 days')) ns
          WHERE ns.email = $1
       ), gathered AS (
         SELECT p.user_id, p.period_start, array_agg(n.id ORDER BY n.created_at, n.id) AS ids
           FROM people p
           JOIN notifications n ON n.user_id = p.user_id AND n.read_at IS NULL
                               AND n.created_at >= p.period_start AND n.created_at < $2::timestamptz
          WHERE p.period_start < $2::timestamptz
            AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.notification_id = n.id)
          GROUP BY p.user_id, p.period_start
       ), made AS (
         INSERT INTO email_digests (user_id, cadence, period_start, period_end, notification_ids)
         SELECT user_id, $1, period_start, $2::timestamptz, ids FROM gathered
         ON CONFLICT (user_id, period_end) DO NOTHING
         RETURNING id, user_id, cardinality(notification_ids) AS count
       ), queued AS (
         INSERT INTO email_outbox (user_id, digest_id, dedupe_key)
         SELECT user_id, id, 'digest:' || id FROM made
         ON CONFLICT (dedupe_key) DO NOTHING
       )
       SELECT id AS digest_id, user_id, count FROM made`,
      [cadence, end, period],
    );
  }

  /**
   * Claims up to `limit` due rows for this node: a row nobody holds, or whose holder's lease
   * ran out (a node killed mid-send). FOR UPDATE SKIP LOCKED makes two nodes' claims disjoint,
   * and the lease condition is checked again on the row's newest version under the lock, so a
   * row another node has just claimed is not claimed again. The claim commits on its own: the
   * sending happens outside any transaction, under the lease.
   */
  async claim(leaseSeconds: number, limit: number): Promise<ClaimedEmail[]> {
    // The recipient and a single notification come back with the claim, so that sending an
    // email costs one round trip to PostgreSQL (its mark) rather than three.
    return queryRows<ClaimedEmail>(
      this.dataSource.manager,
      `WITH claimed AS (
         UPDATE email_outbox o SET claimed_at = clock_timestamp(), attempts = o.attempts + 1
          WHERE o.id IN (
            SELECT id FROM email_outbox
             WHERE sent_at IS NULL AND failed_at IS NULL AND due_at <= now()
               AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $1))
             ORDER BY due_at LIMIT $2
             FOR UPDATE SKIP LOCKED)
         RETURNING o.id, o.user_id, o.notification_id, o.digest_id, o.attempts,
                   o.claimed_at::text AS lease
       )
       SELECT c.*,
              CASE WHEN u.id IS NOT NULL THEN json_build_object(
                'email', u.email, 'display_name', u.display_name,
                'cadence', COALESCE(ns.email, 'daily'), 'language', COALESCE(ns.language, 'ko'))
              END AS recipient,
              CASE WHEN n.id IS NOT NULL THEN json_build_object(
                'type', n.type, 'data', n.data, 'topic_id', n.topic_id, 'room_id', n.room_id,
                'budget_id', n.budget_id, 'project_id', n.project_id)
              END AS notification
         FROM claimed c
         LEFT JOIN users u ON u.id = c.user_id
         LEFT JOIN notification_settings ns ON ns.user_id = c.user_id
         LEFT JOIN notifications n ON n.id = c.notification_id`,
      [leaseSeconds, limit],
    );
  }

  /** The notifications an outbox row announces, oldest first: a digest's are read here. */
  async contents(
    row: ClaimedEmail,
  ): Promise<{ items: OutboxNotification[]; cadence: EmailCadence | null }> {
    // A single notification was read with the claim (none: it has been deleted since).
    if (row.notification_id)
      return { items: row.notification ? [row.notification] : [], cadence: null };
    const digest = await queryRows<{ cadence: EmailCadence }>(
      this.dataSource.manager,
      `SELECT cadence FROM email_digests WHERE id = $1`,
      [row.digest_id],
    );
    const items = await queryRows<OutboxNotification>(
      this.dataSource.manager,
      `SELECT n.type, n.data, n.topic_id, n.room_id, n.budget_id, n.project_id
         FROM email_digests d JOIN notifications n ON n.id = ANY(d.notification_ids)
        WHERE d.id = $1 ORDER BY n.created_at, n.id`,
      [row.digest_id],
    );
    return { items, cadence: digest[0]?.cadence ?? null };
  }

  /** Records the delivery — only while this node's lease is the row's (fenced on `claimed_at`). */
  async markSent(row: ClaimedEmail, messageId: string | null): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `UPDATE email_outbox SET sent_at = now(), message_id = $3, claimed_at = NULL, last_error = NULL
        WHERE id = $1 AND claimed_at = $2::timestamptz AND sent_at IS NULL RETURNING id`,
      [row.id, row.lease, messageId],
    );
    return rows.length === 1;
  }

  /** A failed attempt: due again after `retryInSeconds`, or failed for good (null). */
  async markFailed(row: ClaimedEmail, error: string, retryInSeconds: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_outbox
          SET claimed_at = NULL, last_error = $3,
              due_at = CASE WHEN $4::int IS NULL THEN due_at ELSE now() + make_interval(secs => $4::int) END,
              failed_at = CASE WHEN $4::int IS NULL THEN now() END
        WHERE id = $1 AND claimed_at = $2::timestamptz AND sent_at IS NULL`,
      [row.id, row.lease, error.slice(0, 1000), retryInSeconds],
    );
  }
}
