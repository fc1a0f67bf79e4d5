import { Module } from '@nestjs/common';
import { TopicsModule } from '../topics/topics.module';
import { FollowsModule } from './follows.module';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationSourcesRepository } from './notification-sources.repository';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';

@Module({
  imports: [TopicsModule, FollowsModule],
  controllers: [NotificationsController],
  providers: [
    NotificationsService,
    Notifier,
    NotificationsRepository,
    NotificationSettingsRepository,
    NotificationSourcesRepository,
  ],
  exports: [Notifier],
})
export class NotificationsModule {}
