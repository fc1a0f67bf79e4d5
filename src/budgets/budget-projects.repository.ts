import { Injectable } from '@nestjs/common';
import { type Queryable, queryRows } from '../core/database/sql';
import { type ProjectStatus } from './budget-rules';

/** A new project's columns; its thread (`topicId`) is written first, through the topics. */
export interface NewProject {
  budgetId: string;
  headingId: string;
  topicId: string;
  proposerId: string;
  title: string;
  summary: string;
  body: string;
  amount: number;
  category?: string;
  location?: string;
}

/** A reviewer's finding on a project. */
export interface ProjectReview {
  reviewerId: string;
  feasible: boolean;
  cost?: number;
  explanation: string;
}

/**
 * Every statement on `budget_projects`, `budget_project_reviews`: the projects proposed to a
 * budget, their review and their status as the result is drawn. The tally, the exports and the
 * public views read them in their read modules (budget-tally.ts, budget-queries.ts).
 */
@Injectable()
export class BudgetProjectsRepository {
  async insert(tx: Queryable, project: NewProject): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budget_projects (budget_id, heading_id, topic_id, proposer_id, title, summary, body,
                                      amount, category, location)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        project.budgetId,
        project.headingId,
        project.topicId,
        project.proposerId,
        project.title,
        project.summary,
        project.body,
        project.amount,
        project.category ?? null,
        project.location ?? null,
      ],
    );
    return rows[0]!.id;
  }

  /** The project under its row lock, for a review: undefined when there is none. */
  async lockForReview(
    tx: Queryable,
    id: string,
  ): Promise<{ budget_id: string; status: string; amount: string } | undefined> {
    const projects = await queryRows<{ budget_id: string; status: string; amount: string }>(
      tx,
      `SELECT budget_id, status, amount FROM budget_projects WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return projects[0];
  }

  async budgetOf(tx: Queryable, id: string): Promise<string | undefined> {
    const projects = await queryRows<{ budget_id: string }>(
      tx,
      `SELECT budget_id FROM budget_projects WHERE id = $1`,
      [id],
    );
    return projects[0]?.budget_id;
  }

  /** The project's one review: a second review replaces the first. */
  async saveReview(tx: Queryable, projectId: string, review: ProjectReview): Promise<void> {
    await tx.query(
      `INSERT INTO budget_project_reviews (project_id, reviewer_id, feasible, cost, explanation)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (project_id) DO UPDATE SET reviewer_id = EXCLUDED.reviewer_id,
           feasible = EXCLUDED.feasible, cost = EXCLUDED.cost, explanation = EXCLUDED.explanation,
           reviewed_at = now()`,
      [projectId, review.reviewerId, review.feasible, review.cost ?? null, review.explanation],
    );
  }

  async setStatus(tx: Queryable, id: string, status: ProjectStatus): Promise<void> {
    await tx.query(`UPDATE budget_projects SET status = $2 WHERE id = $1`, [id, status]);
  }

  /** The drawn result: the feasible projects in `selected` are selected, the others not. */
  async markSelected(tx: Queryable, budgetId: string, selected: string[]): Promise<void> {
    await tx.query(
      `UPDATE budget_projects SET status = CASE WHEN id = ANY($2::uuid[]) THEN 'selected' ELSE 'not_selected' END
          WHERE budget_id = $1 AND status = 'feasible'`,
      [budgetId, selected],
    );
  }
}
