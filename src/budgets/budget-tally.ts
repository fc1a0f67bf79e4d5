import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { type BudgetRow } from './budgets.repository';
import {
  type BudgetRule,
  computeResults,
  type HeadingInfo,
  type HeadingResult,
  type ProjectInfo,
  type ProjectStatus,
} from './budget-rules';

type Db = Pick<EntityManager, 'query'>;

export const ruleOf = (b: BudgetRow): BudgetRule => ({
  kind: b.rule_kind,
  maxChoices: b.max_choices,
  minSpendRatio: b.min_spend_ratio === null ? null : Number(b.min_spend_ratio),
});

export interface HeadingRow {
  id: string;
  name: string;
  amount: string | number;
  group_name: string | null;
  max_choices: number | null;
}

/** A budget's headings (`$1` the budget), in their order: also a subquery of the ballot's read. */
export const HEADINGS_SQL = `SELECT id, name, amount, group_name, max_choices FROM budget_headings
      WHERE budget_id = $1 ORDER BY group_name NULLS FIRST, created_at, id`;

export const headingOf = (h: HeadingRow): HeadingInfo => ({
  id: h.id,
  name: h.name,
  amount: Number(h.amount),
  group: h.group_name,
  maxChoices: h.max_choices,
});

export async function loadHeadings(db: Db, budgetId: string): Promise<HeadingInfo[]> {
  const rows = await queryRows<HeadingRow>(db, HEADINGS_SQL, [budgetId]);
  return rows.map(headingOf);
}

export interface ProjectFacts extends ProjectInfo {
  title: string;
}

export interface ProjectRow {
  id: string;
  heading_id: string;
  title: string;
  amount: string | number;
  cost: string | number | null;
  status: ProjectStatus;
  /** A Date from a row, a string from JSON. */
  created_at: Date | string;
}

/** A budget's projects (`$1` the budget) with their reviewed cost: also a subquery of the ballot's read. */
export const PROJECTS_SQL = `SELECT p.id, p.heading_id, p.title, p.amount, r.cost, p.status, p.created_at
       FROM budget_projects p LEFT JOIN budget_project_reviews r ON r.project_id = p.id
      WHERE p.budget_id = $1`;

/** What the rules need of a project: the reviewed cost when there is one. */
export const projectOf = (p: ProjectRow): ProjectFacts => ({
  id: p.id,
  headingId: p.heading_id,
  title: p.title,
  cost: Number(p.cost ?? p.amount),
  status: p.status,
  proposedAt: new Date(p.created_at).getTime(),
});

/** The projects with what the rules need: the reviewed cost when there is one. */
export async function loadProjects(db: Db, budgetId: string): Promise<ProjectFacts[]> {
  const rows = await queryRows<ProjectRow>(db, PROJECTS_SQL, [budgetId]);
  return rows.map(projectOf);
}

/**
 * The tally, counted afresh from the ballot rows and paper totals every time: there is no
 * running counter that could drift from the ballots, so the tally is a recount by construction.
 */
export async function tallyBudget(db: Db, budget: BudgetRow): Promise<HeadingResult[]> {
  // One after another: `db` may be a transaction, whose one connection takes one query at a time.
  const headings = await loadHeadings(db, budget.id);
  const projects = await loadProjects(db, budget.id);
  const ballotRows = await queryRows<{
    heading_id: string;
    class_key: string;
    channel: string;
    n: number;
  }>(
    db,
    `SELECT c.heading_id, b.class_key, b.channel, count(DISTINCT b.id)::int AS n
           FROM budget_ballot_choices c JOIN budget_ballots b ON b.id = c.ballot_id
          WHERE c.budget_id = $1 GROUP BY 1, 2, 3`,
    [budget.id],
  );
  const choiceRows = await queryRows<{
    project_id: string;
    class_key: string;
    rank: number;
    n: number;
  }>(
    db,
    `SELECT c.project_id, b.class_key, c.rank, count(*)::int AS n
           FROM budget_ballot_choices c JOIN budget_ballots b ON b.id = c.ballot_id
          WHERE c.budget_id = $1 GROUP BY 1, 2, 3`,
    [budget.id],
  );
  const paperRows = await queryRows<{ heading_id: string; class_key: string; n: number }>(
    db,
    `SELECT heading_id, class_key, sum(ballots)::int AS n FROM budget_paper_totals
          WHERE budget_id = $1 GROUP BY 1, 2`,
    [budget.id],
  );
  const paperCountRows = await queryRows<{ project_id: string; class_key: string; n: number }>(
    db,
    `SELECT kv.key AS project_id, t.class_key, sum(kv.value::int)::int AS n
           FROM budget_paper_totals t, jsonb_each_text(t.counts) kv
          WHERE t.budget_id = $1 GROUP BY 1, 2`,
    [budget.id],
  );
  return computeResults({
    rule: ruleOf(budget),
    classes: budget.voter_classes,
    headings,
    projects,
    ballots: new Map(ballotRows.map((r) => [`${r.heading_id}|${r.class_key}|${r.channel}`, r.n])),
    choices: new Map(choiceRows.map((r) => [`${r.project_id}|${r.class_key}|${r.rank}`, r.n])),
    paperBallots: new Map(paperRows.map((r) => [`${r.heading_id}|${r.class_key}`, r.n])),
    paperCounts: new Map(paperCountRows.map((r) => [`${r.project_id}|${r.class_key}`, r.n])),
  });
}
