import { Module } from '@nestjs/common';
import { EmbedOrigins } from './embed-origins';
import { SpaceAccessService } from './space-access.service';
import { SpacesController } from './spaces.controller';
import { SpacesService } from './spaces.service';

@Module({
  controllers: [SpacesController],
  providers: [SpacesService, SpaceAccessService, EmbedOrigins],
  exports: [SpacesService, SpaceAccessService],
})
export class SpacesModule {}
