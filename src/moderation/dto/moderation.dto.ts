import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { type CommentView } from '../../comments/comment.view';
import { PageQuery } from '../../core/http/pagination';
import { IsPlainText } from '../../core/http/text-validators';
import { REPORT_REASONS, type ReportReason } from '../report.entity';
import { IsDateTime, IsFutureDateTime, MaxCodePoints } from './moderation-validators';

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

/** The most reports one bulk resolution takes: a large spam wave in one go, bounded. */
export const BULK_RESOLVE_MAX = 500;

export class BulkResolveDto {
  @IsIn(REPORT_RESOLUTIONS)
  action!: ReportResolution;

  /** The reports to resolve (1–500, no repeats); each one's comment is resolved whole. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_RESOLVE_MAX)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each value in $property must be a UUID' })
  reportIds!: string[];
}

export class BanDto {
  @IsPlainText(1, 500)
  @MaxCodePoints(500)
  reason!: string;

  /** ISO 8601 date-time in the future; absent or null bans for good. */
  @IsOptional()
  @IsFutureDateTime()
  until?: string | null;

  /**
   * The reported comment the ban answers, when a facilitator bans its author from the report
   * queue: it must be the user's comment in this space, and the audit row names it.
   */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  commentId?: string;
}

/** The most people one search of a space returns: a combobox's list, not a directory. */
export const PEOPLE_MAX = 20;

/** A search of the people active in a space, by part of their display name. */
export class PeopleQuery {
  @ApiProperty({ description: 'Part of the display name (1–100 characters).', maxLength: 100 })
  @IsPlainText(1, 100)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: PEOPLE_MAX, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PEOPLE_MAX)
  limit?: number;
}

/** The most people one page of the paged search holds, and how many by default. */
export const PEOPLE_PAGE_MAX = 50;
export const PEOPLE_PAGE_DEFAULT = 20;

/**
 * The same search, paged (`GET /spaces/:id/people/paged`): for a facilitator going through
 * every match of a common name, where the plain search stops at its first few.
 */
export class PeoplePageQuery extends PickType(PageQuery, ['cursor'] as const) {
  @ApiProperty({ description: 'Part of the display name (1–100 characters).', maxLength: 100 })
  @IsPlainText(1, 100)
  q!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PEOPLE_PAGE_MAX,
    default: PEOPLE_PAGE_DEFAULT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PEOPLE_PAGE_MAX)
  limit?: number;
}

/**
 * Someone who proposed, commented or took part in a room of the space. `email` only for
 * administrators: facilitators see people as the space sees them, by name.
 */
export interface PersonView {
  id: string;
  displayName: string;
  email?: string;
  /** Banned from the space now (a ban in force). */
  banned: boolean;
}

export class ReportListQuery extends PageQuery {
  /** `open` (default) or `resolved`. */
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

export const AUDIT_TARGET_TYPES = [
  'comment',
  'topic',
  'user',
  'report',
  'space',
  'room',
  'question',
] as const;

/** Filters of the audit log; every one optional, all of them together (AND). */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Who acted.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({ example: 'comment.hide', description: 'The action, exactly.' })
  @IsOptional()
  @Matches(/^[a-z_]{1,24}\.[a-z_]{1,23}$/, { message: 'must be an action such as comment.hide' })
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_TARGET_TYPES })
  @IsOptional()
  @IsIn(AUDIT_TARGET_TYPES)
  targetType?: (typeof AUDIT_TARGET_TYPES)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  targetId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this time (inclusive).' })
  @IsOptional()
  @IsDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this time (exclusive).' })
  @IsOptional()
  @IsDateTime()
  to?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: '`csv`: every matching row (up to 50,000) as one CSV file, not paged.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** The administrators' audit log across spaces: the same filters, and one space if asked. */
export class AdminAuditQuery extends AuditQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  spaceId?: string;
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

/** The open reports of one comment, as one line of the queue. */
export interface ReportGroupView {
  comment: CommentView;
  reportCount: number;
  reasons: { reason: ReportReason; count: number }[];
  /** What reporters wrote, latest first (up to 5). */
  details: string[];
  /** The open reports' ids, oldest first. */
  reportIds: string[];
  firstReportedAt: string;
  lastReportedAt: string;
}

export const BULK_SKIP_REASONS = ['not_found', 'resolved'] as const;

export interface BulkResolveResult {
  /** Every report resolved: the named ones and the other open reports of their comments. */
  resolved: string[];
  /** Named reports left alone: unknown in this space, or already resolved. */
  skipped: { id: string; reason: (typeof BULK_SKIP_REASONS)[number] }[];
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
  /** null for a site-wide action (a change of someone's global role). */
  spaceId: string | null;
  /** null when the system acted (e.g. hiding a comment at the report threshold). */
  actor: UserRef | null;
  action: string;
  targetType: string;
  targetId: string;
  /** The person acted on, when the target is a user (a ban, a role): their display name. */
  targetName: string | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}
