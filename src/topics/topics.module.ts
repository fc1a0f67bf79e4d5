import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { FollowsModule } from '../notifications/follows.module';
import { SpacesModule } from '../spaces/spaces.module';
import { DeadlineScheduler } from './deadline-scheduler';
import { LadderService } from './ladder.service';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicParticipationRepository } from './topic-participation.repository';
import { TopicResponsesRepository } from './topic-responses.repository';
import { TopicsRepository } from './topics.repository';
import { TopicResponsesService } from './topic-responses.service';
import { TopicStancesService } from './topic-stances.service';
import { TopicTimelineService } from './topic-timeline.service';
import { TopicTransitionsService } from './topic-transitions.service';
import { TopicsController } from './topics.controller';
import { TopicsService } from './topics.service';

@Module({
  imports: [SpacesModule, ModerationModule, FollowsModule],
  controllers: [TopicsController],
  providers: [
    TopicsRepository,
    TopicEventsRepository,
    TopicResponsesRepository,
    TopicParticipationRepository,
    TopicsService,
    TopicTransitionsService,
    TopicResponsesService,
    TopicStancesService,
    TopicTimelineService,
    LadderService,
    DeadlineScheduler,
  ],
  exports: [
    TopicsRepository,
    TopicEventsRepository,
    TopicsService,
    TopicTransitionsService,
    TopicResponsesService,
    TopicStancesService,
    LadderService,
    DeadlineScheduler,
  ],
})
export class TopicsModule {}
