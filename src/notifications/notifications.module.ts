import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module';
import { TopicsModule } from '../topics/topics.module';
import { FollowsModule } from './follows.module';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationSourcesRepository } from './notification-sources.repository';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';
import { EmailOutboxRepository } from './email/email-outbox.repository';
import { EmailSender } from './email/email-sender';
import { UnsubscribeController } from './email/unsubscribe.controller';

@Module({
  imports: [TopicsModule, FollowsModule, BudgetsModule],
  controllers: [NotificationsController, UnsubscribeController],
  providers: [
    NotificationsService,
    Notifier,
    NotificationsRepository,
    NotificationSettingsRepository,
    NotificationSourcesRepository,
    EmailOutboxRepository,
    EmailSender,
  ],
  exports: [Notifier, EmailSender],
})
export class NotificationsModule {}
