import { Injectable } from '@nestjs/common';
import { type Queryable } from '../core/database/sql';

/**
 * Every write on `budget_notices`: what a budget's followers and its proposers are to be told,
 * written in the transaction of the change, for the notifier to claim after the commit (it is
 * the notifier that reads and marks these rows).
 */
@Injectable()
export class BudgetNoticesRepository {
  async phase(
    tx: Queryable,
    budgetId: string,
    actorId: string | null,
    from: string,
    to: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO budget_notices (budget_id, type, actor_id, data) VALUES ($1, 'phase', $2, $3::jsonb)`,
      [budgetId, actorId, JSON.stringify({ from, to })],
    );
  }

  async reviewed(
    tx: Queryable,
    budgetId: string,
    projectId: string,
    actorId: string,
    feasible: boolean,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO budget_notices (budget_id, type, project_id, actor_id, data)
       VALUES ($1, 'project_reviewed', $2, $3, $4::jsonb)`,
      [budgetId, projectId, actorId, JSON.stringify({ feasible })],
    );
  }

  /** One notice per project drawn in or out, as the result is drawn (after their statuses). */
  async selected(tx: Queryable, budgetId: string, actorId: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO budget_notices (budget_id, type, project_id, actor_id, data)
       SELECT budget_id, 'project_selected', id, $2, jsonb_build_object('selected', status = 'selected')
         FROM budget_projects WHERE budget_id = $1 AND status IN ('selected', 'not_selected')
        ORDER BY created_at, id`,
      [budgetId, actorId],
    );
  }
}
