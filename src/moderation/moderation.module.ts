import { Module } from '@nestjs/common';
import { EventsModule } from '../core/events/events.module';
import { SpacesModule } from '../spaces/spaces.module';
import { AuditLogService } from './audit-log.service';
import { AuditService } from './audit.service';
import { BansService } from './bans.service';
import { BanCheck } from './bans.guard';
import { CommentModerationController } from './comment-moderation.controller';
import { CommentModerationService } from './comment-moderation.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SpacePeopleService } from './space-people.service';
import { AdminAuditController, SpaceModerationController } from './space-moderation.controller';

/**
 * Reports, hiding and restoring comments, space bans and the audit log. Other features use
 * AuditService (audit rows inside their own transactions), BanCheck (refuse banned users),
 * CommentModerationService (hide / restore, e.g. from live rooms) and BansService.
 */
@Module({
  imports: [EventsModule, SpacesModule],
  controllers: [
    ReportsController,
    CommentModerationController,
    SpaceModerationController,
    AdminAuditController,
  ],
  providers: [
    AuditService,
    BanCheck,
    CommentModerationService,
    ReportsService,
    BansService,
    AuditLogService,
    SpacePeopleService,
  ],
  exports: [AuditService, BanCheck, CommentModerationService, ReportsService, BansService],
})
export class ModerationModule {}
