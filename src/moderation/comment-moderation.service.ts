import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CommentStatus } from '../comments/comment.entity';
import { AUTO_HIDE_REASON, type CommentView, toCommentView } from '../comments/comment.view';
import { CommentsRepository } from '../comments/comments.repository';
import { isReportsPending } from '../protocol/hidden-reason';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { SpaceAccessService } from '../spaces/space-access.service';
import { appendRoomEvent } from '../rooms/room-events';
import { appendTopicEvent } from '../topics/topic-events';
import { AuditService } from './audit.service';
import { type ReportResolution } from './dto/moderation.dto';
import { ReportsRepository } from './reports.repository';

/** The reason shown on a comment hidden by the report threshold until a facilitator reviews it. */
// Defined beside the comment view, which names who hid a comment from it.
export { AUTO_HIDE_REASON };

/** A comment under moderation, read with its space and locked for the rest of the transaction. */
export interface ModeratedComment {
  id: string;
  topicId: string;
  spaceId: string;
  authorId: string;
  status: CommentStatus;
  hiddenReason: string | null;
  openReportCount: number;
  reportsToHide: number;
  /** Set when the comment was posted in a live room: the room hears of its hiding too. */
  roomId: string | null;
}

/** What the audit log records before and after a change of a comment's visibility. */
export type CommentState = {
  status: CommentStatus;
  hiddenReason: string | null;
};

export const stateOf = (comment: ModeratedComment): CommentState => ({
  status: comment.status,
  hiddenReason: comment.hiddenReason,
});

/**
 * Hidden by the report threshold rather than by a person, so dismissing the reports brings it
 * back: the threshold's code, or the English it wrote before the codes (isReportsPending).
 */
export const isHiddenByReports = (comment: ModeratedComment): boolean =>
  comment.status === 'hidden' && isReportsPending(comment.hiddenReason);

/**
 * Hiding and restoring comments. Every change happens on the locked comment row, writes its
 * audit row and its topic event in the caller's transaction, and queues the domain event
 * that is published after commit. Other features (live rooms) call `hide` and `restore`.
 */
@Injectable()
export class CommentModerationService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly reports: ReportsRepository,
    private readonly uow: UnitOfWork,
    private readonly access: SpaceAccessService,
    private readonly audit: AuditService,
  ) {}

  /** visible → hidden, by a facilitator of the comment's space. */
  hide(auth: AuthUser, commentId: string, reason: string): Promise<CommentView> {
    return this.uow.run(async (work) => {
      const comment = await this.lock(work.tx, commentId);
      await this.access.requireFacilitator(auth, comment.spaceId, work.tx);
      if (comment.status !== 'visible') {
        throw Problem.conflict(
          'conflict',
          msg('moderation.hide_not_visible', { status: term(comment.status) }),
        );
      }
      const before = stateOf(comment);
      await this.setHidden(work, comment, reason, auth.id, {
        action: 'comment.hide',
        targetType: 'comment',
        targetId: comment.id,
        reason,
        before,
      });
      return this.view(work.tx, comment.id);
    });
  }

  /**
   * hidden → visible, by a facilitator. The comment's open reports are dismissed with it, so
   * the next report does not hide it again at once.
   */
  restore(auth: AuthUser, commentId: string, reason: string): Promise<CommentView> {
    return this.uow.run(async (work) => {
      const comment = await this.lock(work.tx, commentId);
      await this.access.requireFacilitator(auth, comment.spaceId, work.tx);
      if (comment.status !== 'hidden') {
        throw Problem.conflict(
          'conflict',
          msg('moderation.restore_not_hidden', { status: term(comment.status) }),
        );
      }
      const before = stateOf(comment);
      const dismissed = await this.resolveOpenReports(work.tx, comment, 'dismiss', auth.id);
      await this.setVisible(work, comment, auth.id, {
        action: 'comment.restore',
        targetType: 'comment',
        targetId: comment.id,
        reason,
        before,
        extraAfter: { dismissedReports: dismissed.length },
      });
      return this.view(work.tx, comment.id);
    });
  }

  /**
   * Reads a comment with its space's settings and locks the comment row (FOR UPDATE) until
   * the transaction ends: reports, hides, restores and resolutions of one comment queue up
   * on this lock, so counts are exact and each state change happens once.
   */
  async lock(tx: EntityManager, commentId: string): Promise<ModeratedComment> {
    // A live room's message locks its room row first (see lockForModeration): no deadlocks.
    const row = await this.comments.lockForModeration(tx, commentId);
    if (!row) throw Problem.notFound('Comment');
    return {
      id: row.id,
      topicId: row.topic_id,
      spaceId: row.space_id,
      authorId: row.author_id,
      status: row.status,
      hiddenReason: row.hidden_reason,
      openReportCount: row.open_report_count,
      reportsToHide: row.reports_to_hide,
      roomId: row.room_id,
    };
  }

  /**
   * Hides a locked comment (or replaces the reason of a hidden one): updates the row, writes
   * the audit row, appends the topic's `comment_hidden` event and queues `comment.hidden`.
   * `actorId` null means the system acted.
   */
  async setHidden(
    work: Work,
    comment: ModeratedComment,
    reason: string,
    actorId: string | null,
    audit: AuditInput,
  ): Promise<void> {
    await this.comments.hide(work.tx, comment.id, reason);
    comment.status = 'hidden';
    comment.hiddenReason = reason;
    await this.recordAudit(work.tx, comment, actorId, audit);
    const seq = await appendTopicEvent(work.tx, comment.topicId, 'comment_hidden', actorId, {
      commentId: comment.id,
      reason,
    });
    // However it was hidden (HTTP, report threshold, room action), the room is told in the
    // same commit, once.
    if (comment.roomId) {
      await appendRoomEvent(
        work,
        { id: comment.roomId, spaceId: comment.spaceId },
        'comment:hidden',
        {
          commentId: comment.id,
          hiddenReason: reason,
        },
      );
    }
    work.emit(
      domainEvent('comment.hidden', {
        commentId: comment.id,
        topicId: comment.topicId,
        spaceId: comment.spaceId,
        reason,
        actorId,
        seq,
      }),
    );
  }

  /** Makes a locked hidden comment visible again; the counterpart of `setHidden`. */
  async setVisible(
    work: Work,
    comment: ModeratedComment,
    actorId: string,
    audit: AuditInput,
  ): Promise<void> {
    await this.comments.show(work.tx, comment.id);
    comment.status = 'visible';
    comment.hiddenReason = null;
    await this.recordAudit(work.tx, comment, actorId, audit);
    const seq = await appendTopicEvent(work.tx, comment.topicId, 'comment_restored', actorId, {
      commentId: comment.id,
    });
    if (comment.roomId) {
      // Under `comment`, so a replay re-reads it as the viewer may see it then.
      await appendRoomEvent(
        work,
        { id: comment.roomId, spaceId: comment.spaceId },
        'comment:restored',
        {
          comment: await this.view(work.tx, comment.id),
        },
      );
    }
    work.emit(
      domainEvent('comment.restored', {
        commentId: comment.id,
        topicId: comment.topicId,
        spaceId: comment.spaceId,
        actorId,
        seq,
      }),
    );
  }

  /**
   * Resolves every open report of a locked comment with one resolution and sets its open
   * report count to zero. Returns the ids of the reports it resolved.
   */
  async resolveOpenReports(
    tx: EntityManager,
    comment: ModeratedComment,
    resolution: ReportResolution,
    actorId: string,
  ): Promise<string[]> {
    const resolved = await this.reports.resolveOpen(tx, comment.id, resolution, actorId);
    await this.comments.clearReports(tx, comment.id);
    comment.openReportCount = 0;
    return resolved;
  }

  /** The comment as a facilitator sees it. */
  async view(tx: EntityManager, commentId: string): Promise<CommentView> {
    const row = await this.comments.row(tx, commentId);
    if (!row) throw Problem.notFound('Comment');
    return toCommentView(row, true);
  }

  /** The audit row of a change (or a non-change) to a locked comment, with its state after. */
  recordAudit(
    tx: EntityManager,
    comment: ModeratedComment,
    actorId: string | null,
    audit: AuditInput,
  ): Promise<void> {
    return this.audit.record(tx, {
      spaceId: comment.spaceId,
      actorId,
      action: audit.action,
      targetType: audit.targetType,
      targetId: audit.targetId,
      reason: audit.reason,
      before: audit.before,
      after: { ...stateOf(comment), ...audit.extraAfter },
    });
  }
}

/** The audit row of a visibility change; `after` is the comment's new state (plus extras). */
export interface AuditInput {
  action: string;
  targetType: 'comment' | 'report';
  targetId: string;
  reason: string | null;
  before: Record<string, unknown>;
  extraAfter?: Record<string, unknown>;
}
