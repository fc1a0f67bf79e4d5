import { PeriodicPass } from '../core/jobs/periodic-pass';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { UnitOfWork } from '../core/events/unit-of-work';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { APP_CONFIG } from '../core/config/config.module';
import { type AppConfig } from '../core/config/env';
import { LadderService } from './ladder.service';
import { TopicsRepository } from './topics.repository';

const BATCH = 100;

/**
 * Expires proposals whose window ended below the first rung, and closes deliberations at
 * `closesAt`. Every node runs it: rows are claimed with FOR UPDATE SKIP LOCKED and re-checked
 * under the lock, so no transition happens twice and none is missed after a restart (the
 * deadlines are in the rows, not in memory).
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: PeriodicPass;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly topics: TopicsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.job = new PeriodicPass(
      () => this.runOnce(),
      (moved) => this.logger.info({ moved }, 'deadlines applied'),
      (err) => this.logger.error({ err }, 'deadline scheduler failed'),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.SCHEDULER_INTERVAL_SECONDS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Applies every deadline that has passed; returns how many topics moved. */
  async runOnce(): Promise<number> {
    let moved = 0;
    // First the rungs a crash left owed (an agree commits before its climb), so a proposal
    // that reached the first rung is lifted, not expired.
    const owed = await this.uow.run((work) => this.ladder.owedRungs(work, BATCH));
    for (const id of owed) await this.ladder.settle(id);
    for (;;) {
      const batch = await this.uow.run(async (work) => {
        const due = await this.topics.claimDue(work.tx, BATCH);
        for (const topic of due) {
          const to = topic.status === 'proposed' ? 'expired' : 'closed';
          await this.ladder.move(work, topic, to, null, null, undefined, {
            kind: to === 'expired' ? 'proposal_window' : 'closing_time',
          });
        }
        return due.length;
      });
      moved += batch;
      if (batch < BATCH) return moved;
    }
  }
}
