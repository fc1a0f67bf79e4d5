import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { Problem } from '../core/http/problem';
import { type Row } from '../open-data/csv';
import { SpacesRepository } from '../spaces/spaces.repository';
import { loadProjects } from './budget-tally';
import { BudgetsService } from './budgets.service';

/** The exports of one budget, as batches for the open-data writer (CSV or JSON). */
@Injectable()
export class BudgetExports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly budgets: BudgetsService,
    private readonly spaces: SpacesRepository,
  ) {}

  async *projects(budgetId: string): AsyncGenerator<Row[]> {
    await this.budgets.budgetRow(this.dataSource, budgetId);
    const rows = await queryRows<Row>(
      this.dataSource,
      `SELECT p.id, p.budget_id, p.heading_id, h.name AS heading_name, p.title, p.summary,
              p.amount::float8 AS amount, COALESCE(r.cost, p.amount)::float8 AS cost, p.category, p.location,
              p.status, u.display_name AS proposer_name, r.explanation AS review_explanation,
              t.agree_count, t.comment_count, p.created_at
         FROM budget_projects p JOIN budget_headings h ON h.id = p.heading_id
         JOIN users u ON u.id = p.proposer_id JOIN topics t ON t.id = p.topic_id
         LEFT JOIN budget_project_reviews r ON r.project_id = p.id
        WHERE p.budget_id = $1 ORDER BY h.created_at, p.created_at, p.id`,
      [budgetId],
    );
    yield rows;
  }

  /** Refuses (409 results_not_public) before the first byte when the tally is not public. */
  async *results(budgetId: string): AsyncGenerator<Row[]> {
    yield await this.resultRows(budgetId);
  }

  /**
   * The open-data set: the results of every budget whose results are public, of one space or
   * all; one budget by `budgetId` (refused while its results are not public).
   */
  async *openResults(query: { spaceId?: string; budgetId?: string }): AsyncGenerator<Row[]> {
    if (query.spaceId) {
      if (!(await this.spaces.exists(this.dataSource, query.spaceId)))
        throw Problem.notFound('Space');
    }
    if (query.budgetId) {
      const budget = await this.budgets.budgetRow(this.dataSource, query.budgetId);
      if (query.spaceId && budget.space_id !== query.spaceId) throw Problem.notFound('Budget');
      yield await this.resultRows(query.budgetId);
      return;
    }
    const ids = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT id FROM budgets
        WHERE ($1::uuid IS NULL OR space_id = $1)
          AND (phase IN ('results', 'execution') OR (phase = 'voting' AND live_tally))
        ORDER BY created_at, id`,
      [query.spaceId ?? null],
    );
    if (ids.length === 0) yield [];
    for (const { id } of ids) yield await this.resultRows(id);
  }

  private async resultRows(budgetId: string): Promise<Row[]> {
    const results = await this.budgets.results(budgetId);
    const spaceId = (await this.budgets.budgetRow(this.dataSource, budgetId)).space_id;
    const projects = new Map((await loadProjects(this.dataSource, budgetId)).map((p) => [p.id, p]));
    const rows: Row[] = [];
    for (const h of results.headings) {
      for (const p of h.projects) {
        rows.push({
          budget_id: results.budgetId,
          space_id: spaceId,
          phase: results.phase,
          heading_id: h.headingId,
          heading_name: h.name,
          heading_amount: h.amount,
          heading_spent: h.spent,
          ballots_online: h.ballots.online,
          ballots_onsite: h.ballots.onsite,
          ballots_paper: h.ballots.paper,
          project_id: p.projectId,
          project_title: projects.get(p.projectId)?.title ?? '',
          project_cost: projects.get(p.projectId)?.cost ?? null,
          score: p.score.toFixed(4),
          points: Object.entries(p.points)
            .map(([k, n]) => `${k}=${n}`)
            .join(';'),
          selected: String(p.selected),
          reason: p.reason,
        });
      }
    }
    return rows;
  }
}
