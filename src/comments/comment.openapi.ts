import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PersonSchema } from '../core/openapi/person.schema';
import { Documents } from '../core/openapi/shape';
import { STANCES, type Stance } from '../topics/topic-participation.entity';
import { COMMENT_STATUSES, type CommentStatus } from './comment.entity';
import { type CommentView } from './comment.view';

@Documents<CommentView>(
  'Comment',
  'A comment of a topic thread. Hidden comments show `body: null` and `hiddenReason` to everyone ' +
    'but facilitators; deleted ones keep their place with `body: null`.',
)
export class CommentSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  topicId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: string | null;

  @ApiProperty({ description: '0 for a top-level comment.', minimum: 0 })
  depth!: number;

  @ApiProperty({ type: PersonSchema })
  author!: PersonSchema;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null when deleted, and when hidden for anyone but the facilitators.',
  })
  body!: string | null;

  @ApiProperty({ enum: STANCES, enumName: 'Stance', nullable: true })
  stance!: Stance | null;

  @ApiProperty({ enum: COMMENT_STATUSES, enumName: 'CommentStatus' })
  status!: CommentStatus;

  @ApiPropertyOptional({ description: 'Present when hidden: the public reason.' })
  hiddenReason?: string;

  @ApiProperty()
  agreeCount!: number;

  @ApiProperty({ description: 'Every node below it, hidden and deleted ones included.' })
  replyCount!: number;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The live room it was posted in.',
  })
  roomId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  editedAt!: string | null;

  @ApiPropertyOptional({ description: 'Whether the signed-in caller agreed (lists and reads).' })
  myAgree?: boolean;

  @ApiPropertyOptional({
    type: () => [CommentSchema],
    description: 'Top-level list items only: the first direct replies, oldest first.',
  })
  replies?: CommentSchema[];

  @ApiPropertyOptional({ description: 'Top-level list items only: `replyCount − replies.length`.' })
  moreReplies?: number;
}
