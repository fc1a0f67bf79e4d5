import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { CommentsRepository } from '../comments/comments.repository';
import { toCommentView } from '../comments/comment.view';
import { isUniqueViolation } from '../core/database/errors';
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
  type ReportView,
} from './dto/moderation.dto';
import { type ReportReason } from './report.entity';
import { type GroupRow, type ReportRow, ReportsRepository } from './reports.repository';

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
    private readonly reports: ReportsRepository,
    private readonly commentRows: CommentsRepository,
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
        reportId = await this.reports.insert(tx, {
          spaceId: comment.spaceId,
          topicId: comment.topicId,
          commentId: comment.id,
          reporterId: auth.id,
          reason: dto.reason,
          detail: dto.detail ? dto.detail : null,
        });
      } catch (error) {
        if (isUniqueViolation(error, 'reports_comment_reporter_uq')) {
          throw Problem.conflict('already_reported', msg('code.already_reported'));
        }
        throw error;
      }
      comment.openReportCount = await this.commentRows.countReport(tx, comment.id);
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
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.reports.page(spaceId, query.status ?? 'open', limit, query.cursor);
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
      const report = await this.reports.locate(tx, reportId);
      if (!report) throw Problem.notFound('Report');
      await this.access.requireFacilitator(auth, report.space_id, tx);
      // Same lock order as reporting (comment, then its reports): no deadlocks, and the
      // status read below is the one this transaction acts on.
      const comment = await this.comments.lock(tx, report.comment_id);
      const current = await this.reports.statusOf(tx, reportId);
      if (current?.status !== 'open') {
        throw Problem.conflict('conflict', msg('reports.resolved'));
      }
      await this.resolveComment(work, auth, comment, action, reportId, current.reason);
      return toQueueItem(await this.findRow(tx, reportId));
    });
  }

  /**
   * The open reports of a space, one group per reported comment, the longest-waiting first:
   * the comment as a facilitator sees it, how many reports, for which reasons, and what the
   * reporters wrote.
   */
  async groups(auth: AuthUser, spaceId: string, query: PageQuery): Promise<Page<ReportGroupView>> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.reports.groups(spaceId, limit, query.cursor);
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
      await this.access.requireSpace(spaceId, tx);
      await this.access.requireFacilitator(auth, spaceId, tx);
      const found = await this.reports.ofSpace(tx, reportIds, spaceId);
      const commentOf = new Map(found.map((r) => [r.id, r.comment_id]));
      const skipped: BulkResolveResult['skipped'] = reportIds
        .filter((id) => !commentOf.has(id))
        .map((id) => ({ id, reason: 'not_found' as const }));
      const resolved: string[] = [];
      for (const commentId of [...new Set(commentOf.values())].sort()) {
        const comment = await this.comments.lock(tx, commentId);
        const open = await this.reports.openOf(tx, commentId);
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
    const row = await this.reports.find(tx, reportId);
    if (!row) throw Problem.notFound('Report');
    return row;
  }
}
