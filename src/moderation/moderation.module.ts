import { Module } from '@nestjs/common';
import { CommentsRepository } from '../comments/comments.repository';
import { EventsModule } from '../core/events/events.module';
import { IdentityModule } from '../identity/identity.module';
import { SpacesModule } from '../spaces/spaces.module';
import { AuditLogService } from './audit-log.service';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { BansRepository } from './bans.repository';
import { BansService } from './bans.service';
import { BanCheck } from './bans.guard';
import { CommentModerationController } from './comment-moderation.controller';
import { CommentModerationService } from './comment-moderation.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { SpacePeopleRead } from './space-people.read';
import { SpacePeopleService } from './space-people.service';
import { AdminAuditController, SpaceModerationController } from './space-moderation.controller';

/**
 * Reports, hiding and restoring comments, space bans and the audit log. Other features use
 * AuditService (audit rows inside their own transactions), BanCheck (refuse banned users),
 * CommentModerationService (hide / restore, e.g. from live rooms) and BansService.
 */
@Module({
  imports: [EventsModule, SpacesModule, IdentityModule],
  controllers: [
    ReportsController,
    CommentModerationController,
    SpaceModerationController,
    AdminAuditController,
  ],
  providers: [
    AuditRepository,
    BansRepository,
    ReportsRepository,
    // Stateless: its own instance here, as CommentsModule imports this module.
    CommentsRepository,
    AuditService,
    BanCheck,
    CommentModerationService,
    ReportsService,
    BansService,
    AuditLogService,
    SpacePeopleRead,
    SpacePeopleService,
  ],
  exports: [
    AuditRepository,
    BansRepository,
    ReportsRepository,
    AuditService,
    BanCheck,
    CommentModerationService,
    ReportsService,
    BansService,
  ],
})
export class ModerationModule {}
