import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { COMMENT_COLUMNS, type CommentRow, toCommentView } from '../comments/comment.view';
import { isUniqueViolation } from '../core/database/errors';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { DEFAULT_LIMIT, type Page, type PageQuery, toPage } from '../core/http/pagination';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { reviewedHideReason } from '../protocol/hidden-reason';
import { SpaceAccessService } from '../spaces/space-access.service';
import { BanCheck } from './bans.guard';
import {
  AUTO_HIDE_REASON,
  CommentModerationService,
  isHiddenByReports,
  type ModeratedComment,
  stateOf,
} from './comment-moderation.service';
import {
  type BulkResolveResult,
  type CreateReportDto,
  type ReportGroupView,
  type ReportListQuery,
  type ReportQueueItem,
  type ReportResolution,
  type ReportStatus,
  type ReportView,
} from './dto/moderation.dto';
import { decodeTimeIdCursor, exactTime } from './keyset';
import { requireSpace } from './moderation-queries';
import { type ReportReason } from './report.entity';

interface ReportRow extends CommentRow {
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

const toReportView = (row: ReportRow): ReportView => ({
  id: row.r_id,
  spaceId: row.r_space_id,
  topicId: row.r_topic_id,
  commentId: row.r_comment_id,
  reporter: { id: row.r_reporter_id, displayName: row.r_reporter_name },
  reason: row.r_reason,
  detail: row.r_detail,
  status: row.r_status,
  resolution: row.r_resolution,
  resolvedBy: row.r_resolved_by
    ? { id: row.r_resolved_by, displayName: row.r_resolver_name ?? '' }
    : null,
  resolvedAt: row.r_resolved_at ? row.r_resolved_at.toISOString() : null,
  createdAt: row.r_created_at.toISOString(),
});

/** The reporters' own words shown with a group: the latest few. */
const GROUP_DETAILS = 5;

interface GroupRow extends CommentRow {
  g_comment_id: string;
  g_first_at: Date;
  g_last_at: Date;
  g_cursor_at: string;
  g_report_count: number;
  g_report_ids: string[];
  g_reasons: { reason: ReportReason; count: number }[];
  g_details: string[];
}

const toGroupView = (row: GroupRow): ReportGroupView => ({
  comment: toCommentView(row, true),
  reportCount: row.g_report_count,
  reasons: row.g_reasons,
  details: row.g_details,
  reportIds: row.g_report_ids,
  firstReportedAt: row.g_first_at.toISOString(),
  lastReportedAt: row.g_last_at.toISOString(),
});

/** Only facilitators read the queue, so the comment is shown as they see it. */
const toQueueItem = (row: ReportRow): ReportQueueItem => ({
  ...toReportView(row),
  comment: toCommentView(row, true),
});

@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly access: SpaceAccessService,
    private readonly bans: BanCheck,
    private readonly comments: CommentModerationService,
  ) {}

  /**
   * One report per user per comment. The comment row stays locked from the first read to
   * the commit, so concurrent reports count exactly and the threshold hides the comment once.
   */
  report(auth: AuthUser, commentId: string, dto: CreateReportDto): Promise<ReportView> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      const comment = await this.comments.lock(tx, commentId);
      await this.bans.assertNotBanned(tx, comment.spaceId, auth.id);
      if (comment.status === 'deleted') {
        throw Problem.conflict('conflict', msg('reports.deleted'));
      }
      // A report asks others to look at someone else's words; one's own can be edited or deleted.
      if (comment.authorId === auth.id) throw Problem.conflict('conflict', msg('reports.own'));
      let reportId: string;
      try {
        const inserted: { id: string }[] = await tx.query(
          `INSERT INTO reports (space_id, topic_id, comment_id, reporter_id, reason, detail)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [
            comment.spaceId,
            comment.topicId,
            comment.id,
            auth.id,
            dto.reason,
            dto.detail ? dto.detail : null,
          ],
        );
        reportId = inserted[0]!.id;
      } catch (error) {
        if (isUniqueViolation(error, 'reports_comment_reporter_uq')) {
          throw Problem.conflict('already_reported', msg('code.already_reported'));
        }
        throw error;
      }
      const counted = await queryRows<{ open_report_count: number }>(
        tx,
        `UPDATE comments SET open_report_count = open_report_count + 1 WHERE id = $1
         RETURNING open_report_count`,
        [comment.id],
      );
      comment.openReportCount = counted[0]!.open_report_count;
      work.emit(
        domainEvent('report.created', {
          reportId,
          commentId: comment.id,
          spaceId: comment.spaceId,
          topicId: comment.topicId,
          openReports: comment.openReportCount,
        }),
      );

      if (comment.status === 'visible' && comment.openReportCount >= comment.reportsToHide) {
        await this.comments.setHidden(work, comment, AUTO_HIDE_REASON, null, {
          action: 'comment.auto_hide',
          targetType: 'comment',
          targetId: comment.id,
          reason: AUTO_HIDE_REASON,
          before: stateOf(comment),
        });
      }
      return toReportView(await this.findRow(tx, reportId));
    });
  }

  /** The space's reports, newest first, for its facilitators. */
  async list(
    auth: AuthUser,
    spaceId: string,
    query: ReportListQuery,
  ): Promise<Page<ReportQueueItem>> {
    const tx = this.dataSource.manager;
    await requireSpace(tx, spaceId);
    await this.access.requireFacilitator(auth, spaceId, tx);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const params: unknown[] = [spaceId, query.status ?? 'open', limit + 1];
    let after = '';
    if (query.cursor) {
      const [at, id] = decodeTimeIdCursor(query.cursor);
      params.push(at, id);
      after = 'AND (r.created_at, r.id) < ($4::timestamptz, $5::uuid)';
    }
    const rows: ReportRow[] = await tx.query(
      `${REPORT_SELECT}
        WHERE r.space_id = $1 AND r.status = $2 ${after}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $3`,
      params,
    );
    return toPage(rows, limit, toQueueItem, (row) => [row.r_cursor_at, row.r_id]);
  }

  /**
   * Resolves every open report of the reported comment at once. `hide` hides the comment (or
   * confirms a threshold hide with a reviewed reason); `dismiss` brings back a comment that
   * only the threshold had hidden. Either way the comment's open report count returns to 0.
   */
  resolve(auth: AuthUser, reportId: string, action: ReportResolution): Promise<ReportQueueItem> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      const found: { space_id: string; comment_id: string }[] = await tx.query(
        `SELECT space_id, comment_id FROM reports WHERE id = $1`,
        [reportId],
      );
      const report = found[0];
      if (!report) throw Problem.notFound('Report');
      await this.access.requireFacilitator(auth, report.space_id, tx);
      // Same lock order as reporting (comment, then its reports): no deadlocks, and the
      // status read below is the one this transaction acts on.
      const comment = await this.comments.lock(tx, report.comment_id);
      const current: { status: ReportStatus; reason: ReportReason }[] = await tx.query(
        `SELECT status, reason FROM reports WHERE id = $1`,
        [reportId],
      );
      if (current[0]?.status !== 'open') {
        throw Problem.conflict('conflict', msg('reports.resolved'));
      }
      await this.resolveComment(work, auth, comment, action, reportId, current[0].reason);
      return toQueueItem(await this.findRow(tx, reportId));
    });
  }

  /**
   * The open reports of a space, one group per reported comment, the longest-waiting first:
   * the comment as a facilitator sees it, how many reports, for which reasons, and what the
   * reporters wrote.
   */
  async groups(auth: AuthUser, spaceId: string, query: PageQuery): Promise<Page<ReportGroupView>> {
    const tx = this.dataSource.manager;
    await requireSpace(tx, spaceId);
    await this.access.requireFacilitator(auth, spaceId, tx);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const params: unknown[] = [spaceId, limit + 1];
    let after = '';
    if (query.cursor) {
      const [at, id] = decodeTimeIdCursor(query.cursor);
      params.push(at, id);
      after = 'WHERE (g.first_at, g.comment_id) > ($3::timestamptz, $4::uuid)';
    }
    const rows: GroupRow[] = await tx.query(
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
    return toPage(rows, limit, toGroupView, (row) => [row.g_cursor_at, row.g_comment_id]);
  }

  /**
   * Resolves many reports of one space at once (a spam wave is a hundred reports, not one), in
   * one transaction: all of them or none. Each named report's comment is resolved as a whole,
   * like a single resolution: every open report of that comment, so `resolved` lists them all.
   * Comments are locked in id order, so two bulk resolutions cannot deadlock. A report that is
   * unknown here (or of another space: not revealed) or was already resolved is `skipped` with
   * the reason (`not_found`, `resolved`).
   */
  resolveMany(
    auth: AuthUser,
    spaceId: string,
    reportIds: string[],
    action: ReportResolution,
  ): Promise<BulkResolveResult> {
    return this.uow.run(async (work) => {
      const { tx } = work;
      await requireSpace(tx, spaceId);
      await this.access.requireFacilitator(auth, spaceId, tx);
      const found: { id: string; comment_id: string }[] = await tx.query(
        `SELECT id, comment_id FROM reports WHERE id = ANY($1::uuid[]) AND space_id = $2`,
        [reportIds, spaceId],
      );
      const commentOf = new Map(found.map((r) => [r.id, r.comment_id]));
      const skipped: BulkResolveResult['skipped'] = reportIds
        .filter((id) => !commentOf.has(id))
        .map((id) => ({ id, reason: 'not_found' as const }));
      const resolved: string[] = [];
      for (const commentId of [...new Set(commentOf.values())].sort()) {
        const comment = await this.comments.lock(tx, commentId);
        const open: { id: string; reason: ReportReason }[] = await tx.query(
          `SELECT id, reason FROM reports WHERE comment_id = $1 AND status = 'open'
            ORDER BY created_at, id`,
          [commentId],
        );
        const openIds = new Set(open.map((r) => r.id));
        for (const [id, of] of commentOf)
          if (of === commentId && !openIds.has(id)) skipped.push({ id, reason: 'resolved' });
        const named = open.find((r) => commentOf.has(r.id));
        if (!named) continue;
        resolved.push(
          ...(await this.resolveComment(work, auth, comment, action, named.id, named.reason)),
        );
      }
      return { resolved, skipped };
    });
  }

  /**
   * Resolves every open report of the locked comment. `hide` hides the comment (or confirms a
   * threshold hide with a reviewed reason); `dismiss` brings back a comment that only the
   * threshold had hidden. The audit row names `reportId`, the report acted on. Returns the ids of
   * the reports resolved.
   */
  private async resolveComment(
    work: Work,
    auth: AuthUser,
    comment: ModeratedComment,
    action: ReportResolution,
    reportId: string,
    reason: ReportReason,
  ): Promise<string[]> {
    const before = { ...stateOf(comment), openReports: comment.openReportCount };
    const resolved = await this.comments.resolveOpenReports(work.tx, comment, action, auth.id);
    const audit = {
      action: 'report.resolve',
      targetType: 'report' as const,
      targetId: reportId,
      reason: action,
      before,
      extraAfter: { openReports: 0, resolution: action, resolvedReports: resolved.length },
    };
    if (action === 'hide' && (comment.status === 'visible' || isHiddenByReports(comment))) {
      await this.comments.setHidden(work, comment, reviewedHideReason(reason), auth.id, audit);
    } else if (action === 'dismiss' && isHiddenByReports(comment)) {
      await this.comments.setVisible(work, comment, auth.id, audit);
    } else {
      await this.comments.recordAudit(work.tx, comment, auth.id, audit);
    }
    return resolved;
  }

  private async findRow(tx: EntityManager, reportId: string): Promise<ReportRow> {
    const rows: ReportRow[] = await tx.query(`${REPORT_SELECT} WHERE r.id = $1`, [reportId]);
    const row = rows[0];
    if (!row) throw Problem.notFound('Report');
    return row;
  }
}
