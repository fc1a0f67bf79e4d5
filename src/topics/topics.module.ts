import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { SpacesModule } from '../spaces/spaces.module';
import { DeadlineScheduler } from './deadline-scheduler';
import { LadderService } from './ladder.service';
import { TopicsController } from './topics.controller';
import { TopicsService } from './topics.service';

@Module({
  imports: [SpacesModule, ModerationModule],
  controllers: [TopicsController],
  providers: [TopicsService, LadderService, DeadlineScheduler],
  exports: [TopicsService, LadderService, DeadlineScheduler],
})
export class TopicsModule {}
