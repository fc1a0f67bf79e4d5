import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COMMENT_COLUMNS, type CommentRow } from '../comments/comment.view';
import { type Queryable, queryRows } from '../core/database/sql';
import { type ReportResolution, type ReportStatus } from './dto/moderation.dto';
import { afterTimeId, exactTime } from './keyset';
import { type ReportReason } from './report.entity';

/** A report with its reporter's and resolver's names and its comment (as CommentRow). */
export interface ReportRow extends CommentRow {
  r_id: string;
  r_space_id: string;
  r_topic_id: string;
  r_comment_id: string;
  r_reporter_id: string;
  r_reporter_name: string;
  r_reason: ReportReason;
  r_detail: string | null;
  r_status: ReportStatus;
  r_resolution: ReportResolution | null;
  r_resolved_by: string | null;
  r_resolver_name: string | null;
  r_resolved_at: Date | null;
  r_created_at: Date;
  r_cursor_at: string;
}

/** The open reports of one comment, grouped, with the comment (as CommentRow). */
export interface GroupRow extends CommentRow {
  g_comment_id: string;
  g_first_at: Date;
  g_last_at: Date;
  g_cursor_at: string;
  g_report_count: number;
  g_report_ids: string[];
  g_reasons: { reason: ReportReason; count: number }[];
  g_details: string[];
}

export interface NewReport {
  spaceId: string;
  topicId: string;
  commentId: string;
  reporterId: string;
  reason: ReportReason;
  detail: string | null;
}

/** The reporters' own words shown with a group: the latest few. */
const GROUP_DETAILS = 5;

/** A report joined with its reporter, resolver and comment (`c`, author `u`). */
const REPORT_SELECT = `
  SELECT r.id AS r_id, r.space_id AS r_space_id, r.topic_id AS r_topic_id,
         r.comment_id AS r_comment_id, r.reporter_id AS r_reporter_id,
         ru.display_name AS r_reporter_name, r.reason AS r_reason, r.detail AS r_detail,
         r.status AS r_status, r.resolution AS r_resolution, r.resolved_by AS r_resolved_by,
         rb.display_name AS r_resolver_name, r.resolved_at AS r_resolved_at,
         r.created_at AS r_created_at, ${exactTime('r.created_at')} AS r_cursor_at,
         ${COMMENT_COLUMNS}
    FROM reports r
    JOIN users ru ON ru.id = r.reporter_id
    LEFT JOIN users rb ON rb.id = r.resolved_by
    JOIN comments c ON c.id = r.comment_id
    JOIN users u ON u.id = c.author_id`;

/**
 * Every statement on `reports`: a user's report of a comment, the space's queue (one by one or
 * grouped by comment) and the resolutions, which resolve every open report of a comment at once.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes the report; answers its id. A second report of one comment by one user throws the
   * unique violation of `reports_comment_reporter_uq` for the caller to answer.
   */
  async insert(tx: Queryable, report: NewReport): Promise<string> {
    const inserted = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO reports (space_id, topic_id, comment_id, reporter_id, reason, detail)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        report.spaceId,
        report.topicId,
        report.commentId,
        report.reporterId,
        report.reason,
        report.detail,
      ],
    );
    return inserted[0]!.id;
  }

  async find(tx: Queryable, reportId: string): Promise<ReportRow | undefined> {
    const rows = await queryRows<ReportRow>(tx, `${REPORT_SELECT} WHERE r.id = $1`, [reportId]);
    return rows[0];
  }

  /** The report's space and comment, or undefined when there is no such report. */
  async locate(
    tx: Queryable,
    reportId: string,
  ): Promise<{ space_id: string; comment_id: string } | undefined> {
    const found = await queryRows<{ space_id: string; comment_id: string }>(
      tx,
      `SELECT space_id, comment_id FROM reports WHERE id = $1`,
      [reportId],
    );
    return found[0];
  }

  /** The report's status and reason (read under its comment's lock). */
  async statusOf(
    tx: Queryable,
    reportId: string,
  ): Promise<{ status: ReportStatus; reason: ReportReason } | undefined> {
    const current = await queryRows<{ status: ReportStatus; reason: ReportReason }>(
      tx,
      `SELECT status, reason FROM reports WHERE id = $1`,
      [reportId],
    );
    return current[0];
  }

  /** The reports among `reportIds` that belong to the space, with their comments. */
  async ofSpace(
    tx: Queryable,
    reportIds: string[],
    spaceId: string,
  ): Promise<{ id: string; comment_id: string }[]> {
    return queryRows<{ id: string; comment_id: string }>(
      tx,
      `SELECT id, comment_id FROM reports WHERE id = ANY($1::uuid[]) AND space_id = $2`,
      [reportIds, spaceId],
    );
  }

  /** The comment's open reports, the oldest first. */
  async openOf(tx: Queryable, commentId: string): Promise<{ id: string; reason: ReportReason }[]> {
    return queryRows<{ id: string; reason: ReportReason }>(
      tx,
      `SELECT id, reason FROM reports WHERE comment_id = $1 AND status = 'open'
        ORDER BY created_at, id`,
      [commentId],
    );
  }

  /** Resolves every open report of the comment with one resolution; answers their ids. */
  async resolveOpen(
    tx: Queryable,
    commentId: string,
    resolution: ReportResolution,
    actorId: string,
  ): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `UPDATE reports
          SET status = 'resolved', resolution = $2, resolved_by = $3, resolved_at = now()
        WHERE comment_id = $1 AND status = 'open'
        RETURNING id`,
      [commentId, resolution, actorId],
    );
    return rows.map((row) => row.id);
  }

  /** `limit + 1` of the space's reports in one status, newest first, after the cursor. */
  async page(
    spaceId: string,
    status: ReportStatus,
    limit: number,
    cursor?: string,
  ): Promise<ReportRow[]> {
    const params: unknown[] = [spaceId, status, limit + 1];
    const after = afterTimeId(params, cursor, {
      time: 'r.created_at',
      id: 'r.id',
      order: 'DESC',
      lead: 'AND',
    });
    return queryRows<ReportRow>(
      this.dataSource.manager,
      `${REPORT_SELECT}
        WHERE r.space_id = $1 AND r.status = $2 ${after}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $3`,
      params,
    );
  }

  /**
   * `limit + 1` groups of the space's open reports, one per reported comment, the
   * longest-waiting first, after the cursor: how many, for which reasons, what the reporters
   * wrote (the latest few).
   */
  async groups(spaceId: string, limit: number, cursor?: string): Promise<GroupRow[]> {
    const params: unknown[] = [spaceId, limit + 1];
    const after = afterTimeId(params, cursor, {
      time: 'g.first_at',
      id: 'g.comment_id',
      order: 'ASC',
      lead: 'WHERE',
    });
    return queryRows<GroupRow>(
      this.dataSource.manager,
      `WITH g AS (
         SELECT r.comment_id, min(r.created_at) AS first_at, max(r.created_at) AS last_at,
                count(*)::int AS report_count,
                array_agg(r.id ORDER BY r.created_at, r.id) AS report_ids
           FROM reports r
          WHERE r.space_id = $1 AND r.status = 'open'
          GROUP BY r.comment_id
       )
       SELECT g.comment_id AS g_comment_id, g.first_at AS g_first_at, g.last_at AS g_last_at,
              ${exactTime('g.first_at')} AS g_cursor_at, g.report_count AS g_report_count,
              g.report_ids AS g_report_ids,
              (SELECT json_agg(json_build_object('reason', x.reason, 'count', x.n) ORDER BY x.n DESC, x.reason)
                 FROM (SELECT reason, count(*)::int AS n FROM reports
                        WHERE comment_id = g.comment_id AND status = 'open' GROUP BY reason) x
              ) AS g_reasons,
              (SELECT coalesce(json_agg(d.detail ORDER BY d.created_at DESC), '[]')
                 FROM (SELECT detail, created_at FROM reports
                        WHERE comment_id = g.comment_id AND status = 'open' AND detail IS NOT NULL
                        ORDER BY created_at DESC LIMIT ${GROUP_DETAILS}) d
              ) AS g_details,
              ${COMMENT_COLUMNS}
         FROM g
         JOIN comments c ON c.id = g.comment_id
         JOIN users u ON u.id = c.author_id
        ${after}
        ORDER BY g.first_at, g.comment_id
        LIMIT $2`,
      params,
    );
  }
}
