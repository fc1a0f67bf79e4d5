import { IsIn, IsOptional } from 'class-validator';
import { type CommentView } from '../../comments/comment.view';
import { PageQuery } from '../../core/http/pagination';
import { IsPlainText } from '../../core/http/text-validators';
import { REPORT_REASONS, type ReportReason } from '../report.entity';
import { IsFutureDateTime, MaxCodePoints } from './moderation-validators';

export const REPORT_STATUSES = ['open', 'resolved'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_RESOLUTIONS = ['hide', 'dismiss'] as const;
export type ReportResolution = (typeof REPORT_RESOLUTIONS)[number];

export class CreateReportDto {
  @IsIn(REPORT_REASONS)
  reason!: ReportReason;

  /** Optional plain text for the facilitators, up to 500 characters. */
  @IsOptional()
  @IsPlainText(0, 500)
  @MaxCodePoints(500)
  detail?: string;
}

/** Why a facilitator hides or restores a comment; a hidden comment shows it to the public. */
export class ModerationReasonDto {
  @IsPlainText(1, 500)
  reason!: string;
}

export class ResolveReportDto {
  @IsIn(REPORT_RESOLUTIONS)
  action!: ReportResolution;
}

export class BanDto {
  @IsPlainText(1, 500)
  @MaxCodePoints(500)
  reason!: string;

  /** ISO 8601 date-time in the future; absent or null bans for good. */
  @IsOptional()
  @IsFutureDateTime()
  until?: string | null;
}

export class ReportListQuery extends PageQuery {
  /** `open` (default) or `resolved`. */
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

export interface UserRef {
  id: string;
  displayName: string;
}

export interface ReportView {
  id: string;
  spaceId: string;
  topicId: string;
  commentId: string;
  reporter: UserRef;
  reason: ReportReason;
  detail: string | null;
  status: ReportStatus;
  resolution: ReportResolution | null;
  resolvedBy: UserRef | null;
  resolvedAt: string | null;
  createdAt: string;
}

/** A report in the facilitators' queue, with the comment as a facilitator sees it. */
export interface ReportQueueItem extends ReportView {
  comment: CommentView;
}

export interface BanView {
  spaceId: string;
  user: UserRef;
  reason: string;
  /** null: banned until lifted. */
  until: string | null;
  bannedBy: UserRef;
  createdAt: string;
}

export interface AuditEntryView {
  id: string;
  spaceId: string;
  /** null when the system acted (e.g. hiding a comment at the report threshold). */
  actor: UserRef | null;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}
