import { Module } from '@nestjs/common';
import { UsersRepository } from '../identity/users/users.repository';
import { AuditRepository } from '../moderation/audit.repository';
import { AuditService } from '../moderation/audit.service';
import { EmbedOrigins } from './embed-origins';
import { SpaceAccessService } from './space-access.service';
import { SpacesController } from './spaces.controller';
import { SpacesRepository } from './spaces.repository';
import { SpacesService } from './spaces.service';

@Module({
  controllers: [SpacesController],
  // AuditService, its repository and UsersRepository are stateless: their own instances here
  // keep this module free of ModerationModule and IdentityModule (which imports this one).
  providers: [
    SpacesRepository,
    SpacesService,
    SpaceAccessService,
    EmbedOrigins,
    AuditRepository,
    AuditService,
    UsersRepository,
  ],
  exports: [SpacesRepository, SpacesService, SpaceAccessService],
})
export class SpacesModule {}
