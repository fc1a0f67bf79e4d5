import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Page } from '../core/http/pagination';
import { UuidParam } from '../core/http/validation';
import { ApiDoc, pageOf } from '../core/openapi/api-doc';
import { type AuthUser } from '../identity/auth/auth-user';
import { CurrentUser } from '../identity/auth/auth.decorators';
import { type NotificationView } from '../protocol/views';
import {
  ListNotificationsQuery,
  MarkReadDto,
  NotificationSettingsDto,
} from './dto/notification.dto';
import {
  FollowResultSchema,
  NotificationSchema,
  NotificationSettingsSchema,
  UnreadCountSchema,
} from './notifications.openapi';
import {
  type FollowResult,
  type NotificationSettings,
  NotificationsService,
} from './notifications.service';

/** Your inbox, your notification settings, and the topics you follow. Only ever your own. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('me/notifications')
  @ApiDoc({
    summary: 'Your notifications, newest first',
    status: 200,
    type: pageOf(NotificationSchema, 'Notification'),
  })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQuery,
  ): Promise<Page<NotificationView>> {
    return this.notifications.list(user, query);
  }

  @Get('me/notifications/unread')
  @ApiDoc({
    summary: 'How many of your notifications are unread',
    status: 200,
    type: UnreadCountSchema,
  })
  unread(@CurrentUser() user: AuthUser): Promise<{ unread: number }> {
    return this.notifications.unread(user);
  }

  @Post('me/notifications/read')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Mark notifications read',
    description: '`{ids}` (1–100 of yours) or `{all: true}`, not both. Answers the unread count.',
    status: 200,
    type: UnreadCountSchema,
  })
  markRead(@CurrentUser() user: AuthUser, @Body() dto: MarkReadDto): Promise<{ unread: number }> {
    return this.notifications.markRead(user, dto);
  }

  @Get('me/notification-settings')
  @ApiDoc({ summary: 'Your notification settings', status: 200, type: NotificationSettingsSchema })
  settings(@CurrentUser() user: AuthUser): Promise<NotificationSettings> {
    return this.notifications.settings(user);
  }

  @Put('me/notification-settings')
  @ApiDoc({
    summary: 'Change your notification settings',
    description: 'What is left out is kept. Email is sent only when the server has an SMTP relay.',
    status: 200,
    type: NotificationSettingsSchema,
  })
  updateSettings(
    @CurrentUser() user: AuthUser,
    @Body() dto: NotificationSettingsDto,
  ): Promise<NotificationSettings> {
    return this.notifications.updateSettings(user, dto);
  }

  @Get('topics/:id/follow')
  @ApiDoc({ summary: 'Whether you follow a topic', status: 200, type: FollowResultSchema })
  following(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<FollowResult> {
    return this.notifications.isFollowing(user, 'topic', id);
  }

  @Put('topics/:id/follow')
  @ApiDoc({
    summary: 'Follow a topic',
    description: 'Idempotent. Followers hear of its rungs, status, answer and live rooms.',
    status: 200,
    type: FollowResultSchema,
    problems: { 404: ['not_found'] },
  })
  follow(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<FollowResult> {
    return this.notifications.setFollow(user, 'topic', id, true);
  }

  @Delete('topics/:id/follow')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Stop following a topic',
    description: 'Idempotent.',
    status: 200,
    type: FollowResultSchema,
    problems: { 404: ['not_found'] },
  })
  unfollow(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<FollowResult> {
    return this.notifications.setFollow(user, 'topic', id, false);
  }

  @Get('budgets/:id/follow')
  @ApiDoc({ summary: 'Whether you follow a budget', status: 200, type: FollowResultSchema })
  followingBudget(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<FollowResult> {
    return this.notifications.isFollowing(user, 'budget', id);
  }

  @Put('budgets/:id/follow')
  @ApiDoc({
    summary: 'Follow a participatory budget',
    description:
      'Idempotent. Followers hear of its phases. Proposing a project follows its budget and its thread.',
    status: 200,
    type: FollowResultSchema,
    problems: { 404: ['not_found'] },
  })
  followBudget(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<FollowResult> {
    return this.notifications.setFollow(user, 'budget', id, true);
  }

  @Delete('budgets/:id/follow')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'Stop following a participatory budget',
    description: 'Idempotent.',
    status: 200,
    type: FollowResultSchema,
    problems: { 404: ['not_found'] },
  })
  unfollowBudget(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
  ): Promise<FollowResult> {
    return this.notifications.setFollow(user, 'budget', id, false);
  }
}
