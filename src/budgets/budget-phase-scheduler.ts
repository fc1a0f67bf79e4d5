import { PeriodicPass } from '../core/jobs/periodic-pass';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../core/config/config.module';
import { type AppConfig } from '../core/config/env';
import { UnitOfWork } from '../core/events/unit-of-work';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { allowedNextPhases, type BudgetPhase } from './budget-rules';
import { type BudgetRow, BudgetsRepository } from './budgets.repository';
import { BudgetsService } from './budgets.service';

/**
 * The phase a budget's dates move it to now, if any: when its current phase has ended, or the
 * next one has begun. From `review`, the next is `objection` only when the budget dated one.
 */
export function duePhase(
  budget: Pick<BudgetRow, 'phase' | 'phases'>,
  now: Date,
): BudgetPhase | null {
  const dates = new Map(budget.phases.map((p) => [p.phase, p]));
  const options = allowedNextPhases(budget.phase);
  const next = options.length > 1 ? (dates.has('objection') ? 'objection' : 'voting') : options[0];
  if (!next) return null;
  const ends = dates.get(budget.phase)?.endsAt;
  const starts = dates.get(next)?.startsAt;
  const past = (iso: string | undefined): boolean =>
    iso !== undefined && Date.parse(iso) <= now.getTime();
  return past(ends) || past(starts) ? next : null;
}

/**
 * Moves budgets on by their dates (the facilitators may still move them by hand). Every node
 * runs it: each due budget is locked with FOR UPDATE SKIP LOCKED, checked again and moved under
 * that lock by the same code as a facilitator's move (timeline, audit with no actor,
 * `budget:phase`), one phase per budget per pass.
 */
@Injectable()
export class BudgetPhaseScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: PeriodicPass;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly budgets: BudgetsService,
    private readonly budgetsRepo: BudgetsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.job = new PeriodicPass(
      () => this.runOnce(),
      (moved) => this.logger.info({ moved }, 'budget phases moved by their dates'),
      (err) => this.logger.error({ err }, 'budget phase scheduler failed'),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.SCHEDULER_INTERVAL_SECONDS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Moves every budget whose dates say so by one phase; returns how many moved. */
  async runOnce(now = new Date()): Promise<number> {
    const candidates = await this.uow.run((work) => this.budgetsRepo.dated(work.tx));
    let moved = 0;
    for (const candidate of candidates) {
      if (!duePhase(candidate, now)) continue;
      // Re-read under the lock: another node, or a facilitator, may have moved it meanwhile.
      moved += await this.uow.run(async (work) => {
        const budget = await this.budgetsRepo.lockUnlessHeld(work.tx, candidate.id);
        const to = budget ? duePhase(budget, now) : null;
        if (!budget || !to) return 0;
        await this.budgets.applyPhase(work, budget, to, null);
        return 1;
      });
    }
    return moved;
  }
}
