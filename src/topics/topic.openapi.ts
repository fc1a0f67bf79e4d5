import { type RungName } from './topic-lifecycle';
import { ApiProperty } from '@nestjs/swagger';
import { PersonSchema } from '../core/openapi/person.schema';
import { Documents } from '../core/openapi/shape';
import { type OwedAnswerItem, type TimelineEntry, type TopicView } from './dto/topic.dto';
import { STANCES, type Stance } from './topic-participation.entity';
import { TOPIC_STATUSES, type TopicStatus } from './topic.entity';

type Counts = TopicView['counts'];
type Response = NonNullable<TopicView['response']>;

@Documents<Counts['stances']>('StanceCounts')
export class StanceCountsSchema {
  @ApiProperty()
  for!: number;

  @ApiProperty()
  against!: number;

  @ApiProperty()
  neutral!: number;
}

@Documents<Counts>('TopicCounts')
export class TopicCountsSchema {
  @ApiProperty()
  agrees!: number;

  @ApiProperty({ description: 'Every node of the thread, hidden and deleted ones included.' })
  comments!: number;

  @ApiProperty({
    description: 'Distinct users who commented, agreed or took a stance while deliberating.',
  })
  participants!: number;

  @ApiProperty({ type: StanceCountsSchema })
  stances!: StanceCountsSchema;
}

@Documents<TopicView['ladder']>('LadderProgress')
export class LadderProgressSchema {
  @ApiProperty({ description: '0 none, 1 review, 2 deliberation, 3 response.', minimum: 0 })
  rung!: number;

  @ApiProperty({
    type: String,
    enum: ['review', 'deliberation', 'response'],
    nullable: true,
    description: 'The next rung, or null at the top.',
  })
  next!: RungName | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Agrees (participants for `response`) still needed for the next rung.',
  })
  needed!: number | null;
}

@Documents<Response>('OfficialResponse')
export class OfficialResponseSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ example: '서울시 도시재생과' })
  role!: string;

  @ApiProperty({ type: PersonSchema })
  author!: PersonSchema;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<TopicView['owedAnswers'][number]>('OwedAnswer')
export class OwedAnswerSchema {
  @ApiProperty({ description: 'The rung that owes it: `review` or `response`.' })
  rung!: string;

  @ApiProperty({ format: 'date-time' })
  dueAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt!: string | null;
}

@Documents<TopicView>('Topic', 'A question or proposal put to the public.')
export class TopicSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  spaceId!: string;

  @ApiProperty({ type: PersonSchema })
  author!: PersonSchema;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ enum: TOPIC_STATUSES, enumName: 'TopicStatus' })
  status!: TopicStatus;

  @ApiProperty({ type: TopicCountsSchema })
  counts!: TopicCountsSchema;

  @ApiProperty({ type: LadderProgressSchema })
  ladder!: LadderProgressSchema;

  @ApiProperty({ format: 'date-time' })
  proposalExpiresAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliberationOpenedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closesAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  rejectedReason!: string | null;

  @ApiProperty({ type: OfficialResponseSchema, nullable: true })
  response!: OfficialResponseSchema | null;

  @ApiProperty({ type: [OwedAnswerSchema] })
  owedAnswers!: OwedAnswerSchema[];

  @ApiProperty({ description: 'The last public event number of the topic (live stream `seq`).' })
  seq!: number;

  @ApiProperty({ type: Boolean, nullable: true, description: 'null for anonymous callers.' })
  myAgree!: boolean | null;

  @ApiProperty({
    enum: STANCES,
    enumName: 'Stance',
    nullable: true,
    description: 'null for anonymous callers and before a stance.',
  })
  myStance!: Stance | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ format: 'date-time' })
  lastActivityAt!: string;
}

@Documents<TimelineEntry>('TimelineEntry', "One entry of a topic's public timeline.")
export class TimelineEntrySchema {
  @ApiProperty()
  seq!: number;

  @ApiProperty({
    description: '`created`, `transitioned`, `ladder_crossed` or `answered`.',
    example: 'ladder_crossed',
  })
  type!: string;

  @ApiProperty({ type: PersonSchema, nullable: true, description: 'null when the system acted.' })
  actor!: PersonSchema | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<OwedAnswerItem>('OwedAnswerItem', 'An answer a topic of the space still owes.')
export class OwedAnswerItemSchema {
  @ApiProperty({ format: 'uuid' })
  topicId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: TOPIC_STATUSES, enumName: 'TopicStatus' })
  status!: TopicStatus;

  @ApiProperty({ enum: ['review', 'response'] })
  rung!: 'review' | 'response';

  @ApiProperty({ format: 'date-time' })
  dueAt!: string;

  @ApiProperty()
  overdue!: boolean;
}
