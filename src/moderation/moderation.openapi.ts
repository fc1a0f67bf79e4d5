import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommentSchema } from '../comments/comment.openapi';
import { PersonSchema } from '../core/openapi/person.schema';
import { Documents } from '../core/openapi/shape';
import {
  type AuditEntryView,
  type BanView,
  BULK_SKIP_REASONS,
  type BulkResolveResult,
  type PersonView,
  type ReportGroupView,
  REPORT_RESOLUTIONS,
  REPORT_STATUSES,
  type ReportQueueItem,
  type ReportResolution,
  type ReportStatus,
  type ReportView,
} from './dto/moderation.dto';
import { REPORT_REASONS, type ReportReason } from './report.entity';

@Documents<ReportView>('Report')
export class ReportSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  spaceId!: string;

  @ApiProperty({ format: 'uuid' })
  topicId!: string;

  @ApiProperty({ format: 'uuid' })
  commentId!: string;

  @ApiProperty({ type: PersonSchema })
  reporter!: PersonSchema;

  @ApiProperty({ enum: REPORT_REASONS, enumName: 'ReportReason' })
  reason!: ReportReason;

  @ApiProperty({ type: String, nullable: true })
  detail!: string | null;

  @ApiProperty({ enum: REPORT_STATUSES, enumName: 'ReportStatus' })
  status!: ReportStatus;

  @ApiProperty({ enum: REPORT_RESOLUTIONS, enumName: 'ReportResolution', nullable: true })
  resolution!: ReportResolution | null;

  @ApiProperty({ type: PersonSchema, nullable: true })
  resolvedBy!: PersonSchema | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<ReportQueueItem>(
  'ReportQueueItem',
  "A report in the facilitators' queue, with the comment as a facilitator sees it.",
)
export class ReportQueueItemSchema extends ReportSchema {
  @ApiProperty({ type: CommentSchema })
  comment!: CommentSchema;
}

export class ReasonCountSchema {
  @ApiProperty({ enum: REPORT_REASONS, enumName: 'ReportReason' })
  reason!: ReportReason;

  @ApiProperty()
  count!: number;
}

@Documents<ReportGroupView>('ReportGroup', 'The open reports of one comment.')
export class ReportGroupSchema {
  @ApiProperty({ type: CommentSchema })
  comment!: CommentSchema;

  @ApiProperty()
  reportCount!: number;

  @ApiProperty({ type: [ReasonCountSchema] })
  reasons!: ReasonCountSchema[];

  @ApiProperty({ type: [String], description: 'What reporters wrote, latest first (up to 5).' })
  details!: string[];

  @ApiProperty({ type: [String], description: "The open reports' ids, oldest first." })
  reportIds!: string[];

  @ApiProperty({ format: 'date-time' })
  firstReportedAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastReportedAt!: string;
}

export class BulkSkipSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: BULK_SKIP_REASONS })
  reason!: (typeof BULK_SKIP_REASONS)[number];
}

@Documents<BulkResolveResult>('BulkResolveResult')
export class BulkResolveResultSchema {
  @ApiProperty({
    type: [String],
    description:
      'Every report resolved: the named ones and the other open reports of their comments.',
  })
  resolved!: string[];

  @ApiProperty({
    type: [BulkSkipSchema],
    description: 'Named reports left alone: unknown in this space, or already resolved.',
  })
  skipped!: BulkSkipSchema[];
}

@Documents<BanView>('Ban')
export class BanSchema {
  @ApiProperty({ format: 'uuid' })
  spaceId!: string;

  @ApiProperty({ type: PersonSchema })
  user!: PersonSchema;

  @ApiProperty()
  reason!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null: banned until lifted.',
  })
  until!: string | null;

  @ApiProperty({ type: PersonSchema })
  bannedBy!: PersonSchema;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<PersonView>(
  'SpacePerson',
  'Someone who took part in the space; `email` for administrators only.',
)
export class SpacePersonSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  displayName!: string;

  @ApiPropertyOptional({ format: 'email', description: 'Administrators only.' })
  email?: string;

  @ApiProperty({ description: 'Banned from the space now.' })
  banned!: boolean;
}

@Documents<AuditEntryView>('AuditEntry', 'One row of the append-only audit log.')
export class AuditEntrySchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "null for a site-wide action (a change of someone's global role).",
  })
  spaceId!: string | null;

  @ApiProperty({ type: PersonSchema, nullable: true, description: 'null when the system acted.' })
  actor!: PersonSchema | null;

  @ApiProperty({ example: 'comment.hide' })
  action!: string;

  @ApiProperty({ example: 'comment' })
  targetType!: string;

  @ApiProperty()
  targetId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The target's display name when it is a user; null otherwise.",
  })
  targetName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  before!: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  after!: Record<string, unknown> | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
