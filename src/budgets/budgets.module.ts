import { Module } from '@nestjs/common';
import { ModerationModule } from '../moderation/moderation.module';
import { FollowsModule } from '../notifications/follows.module';
import { OpenDataModule } from '../open-data/open-data.module';
import { SpacesModule } from '../spaces/spaces.module';
import { TopicsModule } from '../topics/topics.module';
import { BudgetBallotsRepository } from './budget-ballots.repository';
import { BudgetNoticesRepository } from './budget-notices.repository';
import { BudgetExports } from './budget-exports';
import { BudgetPhaseScheduler } from './budget-phase-scheduler';
import { BudgetProjectsRepository } from './budget-projects.repository';
import { BudgetQueries } from './budget-queries';
import { BudgetStream, BudgetStreamGateway } from './budget-stream';
import { BudgetsController } from './budgets.controller';
import { BudgetsRepository } from './budgets.repository';
import { BudgetsService } from './budgets.service';

/** Participatory budgets (시민참여예산): budgets, projects, the roll, ballots, results, the stream. */
@Module({
  imports: [SpacesModule, ModerationModule, OpenDataModule, FollowsModule, TopicsModule],
  controllers: [BudgetsController],
  providers: [
    BudgetsService,
    BudgetQueries,
    BudgetExports,
    BudgetStream,
    BudgetStreamGateway,
    BudgetPhaseScheduler,
    BudgetNoticesRepository,
    BudgetsRepository,
    BudgetProjectsRepository,
    BudgetBallotsRepository,
  ],
  exports: [
    BudgetsService,
    BudgetQueries,
    BudgetPhaseScheduler,
    BudgetsRepository,
    BudgetProjectsRepository,
    BudgetBallotsRepository,
  ],
})
export class BudgetsModule {}
