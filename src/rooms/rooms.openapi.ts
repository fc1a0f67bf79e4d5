import { ApiProperty } from '@nestjs/swagger';
import { PersonSchema } from '../core/openapi/person.schema';
import { Documents } from '../core/openapi/shape';
import { type MinutesView } from './minutes/minutes.view';
import { type QuestionView } from './qa/question.view';
import { QUESTION_STATUSES, type QuestionStatus } from './room-participation.entity';
import { ROOM_STATUSES, type RoomSettings, type RoomStatus } from './room.entity';
import { type RoomView } from './room.view';
import { type RoomSanctionView } from '../protocol/views';

/*
 * The OpenAPI schemas of the rooms' HTTP answers. Only descriptions of room.view.ts,
 * minutes.view.ts and question.view.ts: `@Documents` fails the build when those views change
 * and these do not follow.
 */

@Documents<RoomSettings>('RoomSettings')
export class RoomSettingsSchema {
  @ApiProperty({ description: 'Chat open to participants.' })
  chat!: boolean;

  @ApiProperty({ description: 'One message per person per this many seconds (0 = off).' })
  slowModeSeconds!: number;

  @ApiProperty({ description: 'Q&A open.' })
  questions!: boolean;

  @ApiProperty({ description: "Questions wait for a facilitator's approval." })
  approveQuestions!: boolean;

  @ApiProperty({ description: 'Time limit of each speaker on the floor.' })
  speakerSeconds!: number;
}

@Documents<NonNullable<RoomView['speaker']>>('Speaker')
export class SpeakerSchema {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ format: 'date-time' })
  until!: string;
}

@Documents<RoomView>('Room', 'A live town hall (타운홀) of a topic.')
export class RoomSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  topicId!: string;

  @ApiProperty({ format: 'uuid' })
  spaceId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ROOM_STATUSES, enumName: 'RoomStatus' })
  status!: RoomStatus;

  @ApiProperty({ type: RoomSettingsSchema })
  settings!: RoomSettingsSchema;

  @ApiProperty({ description: 'Chat closed to everyone but facilitators.' })
  locked!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startsAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  pinnedCommentId!: string | null;

  @ApiProperty({ type: SpeakerSchema, nullable: true })
  speaker!: SpeakerSchema | null;

  @ApiProperty()
  peakPresence!: number;

  @ApiProperty({ description: 'The last room event number (live `seq`).' })
  seq!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<QuestionView>('Question', 'A Q&A question of a room.')
export class QuestionSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  roomId!: string;

  @ApiProperty({ type: PersonSchema })
  author!: PersonSchema;

  @ApiProperty()
  body!: string;

  @ApiProperty({ enum: QUESTION_STATUSES, enumName: 'QuestionStatus' })
  status!: QuestionStatus;

  @ApiProperty()
  highlighted!: boolean;

  @ApiProperty()
  upvotes!: number;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The topic comment it became once carried over.',
  })
  commentId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  answeredAt!: string | null;
}

type Minutes = MinutesView;

@Documents<Minutes['room']>('MinutesRoom')
export class MinutesRoomSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ format: 'uuid' })
  topicId!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ description: 'Whole minutes between start and end (rounded).' })
  durationMinutes!: number;
}

@Documents<Minutes['attendance']['timeline'][number]>('MinutesAttendancePoint')
export class MinutesAttendancePointSchema {
  @ApiProperty({ format: 'date-time', description: 'The minute sampled.' })
  at!: string;

  @ApiProperty({ description: 'People in the room then (summed over nodes).' })
  count!: number;
}

@Documents<Minutes['attendance']>('MinutesAttendance')
export class MinutesAttendanceSchema {
  @ApiProperty()
  peak!: number;

  @ApiProperty({ type: [MinutesAttendancePointSchema], description: 'One point per minute live.' })
  timeline!: MinutesAttendancePointSchema[];
}

@Documents<Minutes['messages']>('MinutesMessages')
export class MinutesMessagesSchema {
  @ApiProperty({ description: 'Chat messages posted in the room, every status.' })
  count!: number;
}

@Documents<Minutes['questions']>('MinutesQuestions')
export class MinutesQuestionsSchema {
  @ApiProperty()
  count!: number;

  @ApiProperty()
  answered!: number;

  @ApiProperty({ description: 'Still visible or awaiting approval when the room ended.' })
  unanswered!: number;

  @ApiProperty()
  dismissed!: number;
}

@Documents<Minutes['topAgreed'][number]>('MinutesMessage')
export class MinutesMessageSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: PersonSchema })
  author!: PersonSchema;

  @ApiProperty()
  body!: string;

  @ApiProperty()
  agreeCount!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<Minutes['moderation'][number]['target']>('MinutesTarget')
export class MinutesTargetSchema {
  @ApiProperty()
  type!: string;

  @ApiProperty()
  id!: string;

  @ApiProperty({
    required: false,
    description: 'The user, or the author of the message or question acted on.',
  })
  displayName?: string;
}

@Documents<Minutes['moderation'][number]>('MinutesAction')
export class MinutesActionSchema {
  @ApiProperty()
  action!: string;

  @ApiProperty({ type: PersonSchema, nullable: true })
  actor!: PersonSchema | null;

  @ApiProperty({ type: MinutesTargetSchema })
  target!: MinutesTargetSchema;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

@Documents<MinutesView>('Minutes', 'The minutes (회의록) of an ended room.')
export class MinutesSchema {
  @ApiProperty({ type: MinutesRoomSchema })
  room!: MinutesRoomSchema;

  @ApiProperty({ type: [PersonSchema], description: 'By first action.' })
  facilitators!: PersonSchema[];

  @ApiProperty({ type: MinutesAttendanceSchema })
  attendance!: MinutesAttendanceSchema;

  @ApiProperty({ type: MinutesMessagesSchema })
  messages!: MinutesMessagesSchema;

  @ApiProperty({ type: MinutesQuestionsSchema })
  questions!: MinutesQuestionsSchema;

  @ApiProperty({ type: [QuestionSchema], description: 'Most upvoted first.' })
  unansweredQuestions!: QuestionSchema[];

  @ApiProperty({
    type: [MinutesMessageSchema],
    description: 'Up to 5 visible messages with an agree, most agreed first.',
  })
  topAgreed!: MinutesMessageSchema[];

  @ApiProperty({ type: [MinutesActionSchema], description: 'Oldest first.' })
  moderation!: MinutesActionSchema[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Totals of the live reactions, by emoji.',
  })
  reactions!: Record<string, number>;
}

@Documents<RoomSanctionView>('RoomSanction', 'A mute or removal in force in a room.')
export class RoomSanctionSchema {
  @ApiProperty({ type: PersonSchema })
  user!: PersonSchema;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Muted until this time; null when not muted now.',
  })
  mutedUntil!: string | null;

  @ApiProperty({ description: 'Removed from the room until a facilitator lets them back.' })
  banned!: boolean;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: PersonSchema })
  by!: PersonSchema;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
