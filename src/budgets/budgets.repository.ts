import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { type BudgetPhase, type BudgetRule, type VoterClass } from './budget-rules';

/** A `budgets` row as `SELECT *` reads it. */
export interface BudgetRow {
  id: string;
  space_id: string;
  created_by: string;
  title: string;
  description: string;
  total_amount: string;
  rule_kind: BudgetRule['kind'];
  max_choices: number | null;
  min_spend_ratio: string | null;
  electorate: 'open' | 'roll';
  voter_classes: VoterClass[];
  live_tally: boolean;
  phase: BudgetPhase;
  phases: { phase: string; startsAt?: string; endsAt?: string }[];
  room_id: string | null;
  seq: number;
  created_at: Date;
  updated_at: Date;
}

/** How a statement takes the budget row: ballots FOR KEY SHARE, phase moves FOR UPDATE. */
export type BudgetLock = '' | 'FOR UPDATE' | 'FOR KEY SHARE';

/** A budget's rule as written: no cap or ratio is a null column. */
export interface RuleFields {
  kind: BudgetRule['kind'];
  maxChoices?: number;
  minSpendRatio?: number;
}

/** A new budget's columns, as the service has checked them. */
export interface NewBudget {
  spaceId: string;
  createdBy: string;
  title: string;
  description: string;
  totalAmount: number;
  rule: RuleFields;
  electorate: 'open' | 'roll';
  voterClasses: VoterClass[];
  liveTally: boolean;
  phases: { phase: string; startsAt?: string; endsAt?: string }[];
}

/** The fields an edit may change; each one given is written, the others left as they are. */
export interface BudgetChanges {
  title?: string;
  description?: string;
  totalAmount?: number;
  rule?: RuleFields;
  electorate?: string;
  voterClasses?: VoterClass[];
  liveTally?: boolean;
  phases?: { phase: string; startsAt?: string; endsAt?: string }[];
  roomId?: string | null;
}

/**
 * Every statement on `budgets`, `budget_headings`, `budget_events`, `budget_milestones`: the
 * budget row (the gate between ballots and phase moves), its headings, its public timeline and
 * its projects' milestones. The tally and the public views read these tables in their read
 * modules (budget-tally.ts, budget-queries.ts).
 */
@Injectable()
export class BudgetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The budget row, taken with `lock` when one is given. */
  async row(db: Queryable, id: string, lock: BudgetLock = ''): Promise<BudgetRow | undefined> {
    const rows = await queryRows<BudgetRow>(db, `SELECT * FROM budgets WHERE id = $1 ${lock}`, [
      id,
    ]);
    return rows[0];
  }

  async insert(tx: Queryable, budget: NewBudget): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budgets (space_id, created_by, title, description, total_amount, rule_kind,
                              max_choices, min_spend_ratio, electorate, voter_classes, live_tally, phases)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12::jsonb) RETURNING id`,
      [
        budget.spaceId,
        budget.createdBy,
        budget.title,
        budget.description,
        budget.totalAmount,
        budget.rule.kind,
        budget.rule.maxChoices ?? null,
        budget.rule.minSpendRatio ?? null,
        budget.electorate,
        JSON.stringify(budget.voterClasses),
        budget.liveTally,
        JSON.stringify(budget.phases),
      ],
    );
    return rows[0]!.id;
  }

  /** Writes the fields given; false when none was, and nothing was written. */
  async update(tx: Queryable, id: string, changes: BudgetChanges): Promise<boolean> {
    const set: string[] = [];
    const params: unknown[] = [id];
    const put = (column: string, value: unknown, cast = ''): void => {
      params.push(value);
      set.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.title !== undefined) put('title', changes.title);
    if (changes.description !== undefined) put('description', changes.description);
    if (changes.totalAmount !== undefined) put('total_amount', changes.totalAmount);
    if (changes.rule) {
      put('rule_kind', changes.rule.kind);
      put('max_choices', changes.rule.maxChoices ?? null);
      put('min_spend_ratio', changes.rule.minSpendRatio ?? null);
    }
    if (changes.electorate !== undefined) put('electorate', changes.electorate);
    if (changes.voterClasses) put('voter_classes', JSON.stringify(changes.voterClasses), '::jsonb');
    if (changes.liveTally !== undefined) put('live_tally', changes.liveTally);
    if (changes.phases) put('phases', JSON.stringify(changes.phases), '::jsonb');
    if (changes.roomId !== undefined) put('room_id', changes.roomId);
    if (set.length === 0) return false;
    await tx.query(
      `UPDATE budgets SET ${set.join(', ')}, updated_at = now() WHERE id = $1`,
      params,
    );
    return true;
  }

  async setPhase(tx: Queryable, id: string, phase: string): Promise<void> {
    await tx.query(`UPDATE budgets SET phase = $2 WHERE id = $1`, [id, phase]);
  }

  /** Appends to the budget's public timeline; its number is the `seq` of `budget:phase`. */
  async appendEvent(
    tx: Queryable,
    budgetId: string,
    type: string,
    actorId: string | null,
    data: Record<string, unknown>,
  ): Promise<number> {
    const rows = await queryRows<{ seq: number }>(
      tx,
      `UPDATE budgets SET seq = seq + 1, updated_at = now() WHERE id = $1 RETURNING seq`,
      [budgetId],
    );
    const seq = rows[0]!.seq;
    await tx.query(
      `INSERT INTO budget_events (budget_id, seq, type, actor_id, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [budgetId, seq, type, actorId, JSON.stringify(data)],
    );
    return seq;
  }

  /**
   * Claims the budget's slot for a live tally broadcast, one per `intervalSeconds` across every
   * node; false when another node (or this one) sent within the interval, or the tally is not live.
   */
  async claimTallySlot(id: string, intervalSeconds: number): Promise<boolean> {
    const claimed = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE budgets SET tally_sent_at = now()
            WHERE id = $1 AND live_tally AND phase = 'voting'
              AND (tally_sent_at IS NULL OR tally_sent_at <= now() - make_interval(secs => $2))
            RETURNING id`,
      [id, intervalSeconds],
    );
    return claimed.length > 0;
  }

  /** Whether the budget is voting with a public live tally. */
  async tallyLive(id: string): Promise<boolean> {
    const rows = await queryRows<Pick<BudgetRow, 'phase' | 'live_tally'>>(
      this.dataSource,
      `SELECT phase, live_tally FROM budgets WHERE id = $1`,
      [id],
    );
    return rows[0]?.phase === 'voting' && rows[0].live_tally;
  }

  /** The budgets that have dates and a phase after this one: the scheduler's candidates. */
  async dated(tx: Queryable): Promise<Pick<BudgetRow, 'id' | 'phase' | 'phases'>[]> {
    return queryRows<Pick<BudgetRow, 'id' | 'phase' | 'phases'>>(
      tx,
      `SELECT id, phase, phases FROM budgets WHERE phase <> 'execution' AND jsonb_array_length(phases) > 0`,
    );
  }

  /** The budget under FOR UPDATE SKIP LOCKED: undefined when gone or another holds it. */
  async lockUnlessHeld(tx: Queryable, id: string): Promise<BudgetRow | undefined> {
    const rows = await queryRows<BudgetRow>(
      tx,
      `SELECT * FROM budgets WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows[0];
  }

  // ---- headings -----------------------------------------------------------------------------

  /** Throws the unique violation `budget_headings_name_uq` on a name the budget already has. */
  async insertHeading(
    tx: Queryable,
    budgetId: string,
    heading: { name: string; amount: number; group?: string; maxChoices?: number },
  ): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budget_headings (budget_id, name, amount, group_name, max_choices)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [budgetId, heading.name, heading.amount, heading.group ?? null, heading.maxChoices ?? null],
    );
    return rows[0]!.id;
  }

  async headingExists(tx: Queryable, budgetId: string, headingId: string): Promise<boolean> {
    const headings = await queryRows(
      tx,
      `SELECT 1 FROM budget_headings WHERE id = $1 AND budget_id = $2`,
      [headingId, budgetId],
    );
    return headings.length > 0;
  }

  // ---- milestones ---------------------------------------------------------------------------

  async insertMilestone(
    tx: Queryable,
    projectId: string,
    milestone: { title: string; body?: string; date: string; progress: number },
    createdBy: string,
  ): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budget_milestones (project_id, title, body, date, progress, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        projectId,
        milestone.title,
        milestone.body ?? null,
        milestone.date,
        milestone.progress,
        createdBy,
      ],
    );
    return rows[0]!.id;
  }
}
