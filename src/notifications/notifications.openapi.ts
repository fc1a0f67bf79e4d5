import { ApiProperty } from '@nestjs/swagger';
import { LANGS, type Lang } from '../core/http/i18n/lang';
import { Documents } from '../core/openapi/shape';
import {
  EMAIL_CADENCES,
  type EmailCadence,
  NOTIFICATION_TYPES,
  type NotificationSwitch,
  type NotificationType,
  type NotificationView,
} from '../protocol/views';
import { type FollowTarget } from './follows.repository';
import { type FollowResult, type NotificationSettings } from './notifications.service';

@Documents<NotificationView>('Notification', 'One notification in your inbox.')
export class NotificationSchema {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES })
  type!: NotificationType;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the notice says: the topic title, the rung, the reason, an excerpt…',
  })
  data!: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  topicId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'For `comment.reply` the reply (`data.parentId` is the comment answered).',
  })
  commentId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  roomId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  budgetId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'For `project.reviewed` and `project.selected`.',
  })
  projectId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

@Documents<{ unread: number }>('UnreadCount', 'How many of your notifications are unread.')
export class UnreadCountSchema {
  @ApiProperty()
  unread!: number;
}

@Documents<Record<NotificationSwitch, boolean>>('NotificationSwitches')
export class NotificationSwitchesSchema {
  @ApiProperty() ladder!: boolean;
  @ApiProperty() status!: boolean;
  @ApiProperty() answer!: boolean;
  @ApiProperty() reply!: boolean;
  @ApiProperty() hidden!: boolean;
  @ApiProperty() room!: boolean;
  @ApiProperty() budget!: boolean;
  @ApiProperty() due!: boolean;
}

@Documents<NotificationSettings>('NotificationSettings', 'Which notices you get, and how.')
export class NotificationSettingsSchema {
  @ApiProperty({ enum: EMAIL_CADENCES })
  email!: EmailCadence;

  @ApiProperty({ type: NotificationSwitchesSchema })
  types!: NotificationSwitchesSchema;

  @ApiProperty({ description: 'Whether commenting on a topic makes you follow it.' })
  followOnComment!: boolean;

  @ApiProperty({ enum: LANGS, description: 'The language your email is written in.' })
  language!: Lang;
}

@Documents<FollowResult>('FollowResult', 'Whether you now follow the target.')
export class FollowResultSchema {
  @ApiProperty({ enum: ['topic', 'budget'] })
  targetType!: FollowTarget;

  @ApiProperty({ format: 'uuid' })
  targetId!: string;

  @ApiProperty()
  following!: boolean;
}
