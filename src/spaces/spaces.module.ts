import { Module } from '@nestjs/common';
import { AuditService } from '../moderation/audit.service';
import { EmbedOrigins } from './embed-origins';
import { SpaceAccessService } from './space-access.service';
import { SpacesController } from './spaces.controller';
import { SpacesService } from './spaces.service';

@Module({
  controllers: [SpacesController],
  // AuditService is stateless: its own instance here keeps this module free of ModerationModule.
  providers: [SpacesService, SpaceAccessService, EmbedOrigins, AuditService],
  exports: [SpacesService, SpaceAccessService],
})
export class SpacesModule {}
