import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { spaceBanInForce } from '../moderation/bans.repository';
import { type BallotEntry } from './budget-rules';
import { HEADINGS_SQL, type HeadingRow, PROJECTS_SQL, type ProjectRow } from './budget-tally';
import { type BudgetRow } from './budgets.repository';

/** A roll line as a ballot needs it. */
export interface RollLine {
  id: string;
  heading_id: string | null;
  class_key: string;
}

/** The one read before a first ballot: the budget with the voter's ban, roll line and the rules' facts. */
export interface BallotContext extends BudgetRow {
  banned: boolean;
  banned_until: Date | null;
  line_id: string | null;
  line_heading_id: string | null;
  line_class_key: string | null;
  heading_rows: HeadingRow[];
  project_rows: ProjectRow[];
}

/** A voter's ban and roll line, as `ballotContexts` reads them (timestamps as JSON text). */
interface VoterFacts {
  user_id: string;
  banned: boolean;
  banned_until: string | null;
  line_id: string | null;
  line_heading_id: string | null;
  line_class_key: string | null;
}

/** A first ballot waiting for its batch's statement. */
export interface FirstBallot {
  userId: string;
  voter: BallotVoter;
  entries: BallotEntry[];
}

/** Who casts a ballot: the key their one ballot is kept under, their roll line and class. */
export interface BallotVoter {
  key: string;
  voterId: string | null;
  classKey: string;
}

/** A ballot's choices as columns: heading, project and rank (1 = first) of each. */
export interface ChoiceColumns {
  headingIds: string[];
  projectIds: string[];
  ranks: number[];
}

function choiceColumns(entries: BallotEntry[]): ChoiceColumns {
  const headingIds: string[] = [];
  const projectIds: string[] = [];
  const ranks: number[] = [];
  for (const e of entries) {
    e.projectIds.forEach((p, i) => {
      headingIds.push(e.headingId);
      projectIds.push(p);
      ranks.push(i + 1);
    });
  }
  return { headingIds, projectIds, ranks };
}

/** A line of an imported roll, its code already hashed. */
export interface RollImportLine {
  ref: string;
  headingId: string | null;
  classKey: string;
  codeHash: string;
}

/** A station's paper count for one heading and class. */
export interface PaperTotals {
  station: string;
  headingId: string;
  classKey: string;
  ballots: number;
  counts: Record<string, number>;
  enteredBy: string;
}

/**
 * Every statement on `budget_voters`, `budget_ballots`, `budget_ballot_choices`,
 * `budget_paper_totals`: the roll, the ballots with their choices, and the paper totals. The
 * ballot path is tuned (see `castFirst`): a first ballot is one read and one statement. The
 * tally and the public views read these tables in their read modules (budget-tally.ts,
 * budget-queries.ts).
 */
@Injectable()
export class BudgetBallotsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- the roll -----------------------------------------------------------------------------

  /** The user's roll line on the budget, if they claimed one. */
  async lineOf(db: Queryable, budgetId: string, userId: string): Promise<RollLine | undefined> {
    const lines = await queryRows<RollLine>(
      db,
      `SELECT id, heading_id, class_key FROM budget_voters WHERE budget_id = $1 AND user_id = $2`,
      [budgetId, userId],
    );
    return lines[0];
  }

  async lineByRef(tx: Queryable, budgetId: string, ref: string): Promise<RollLine | undefined> {
    const lines = await queryRows<RollLine>(
      tx,
      `SELECT id, heading_id, class_key FROM budget_voters WHERE budget_id = $1 AND ref = $2`,
      [budgetId, ref],
    );
    return lines[0];
  }

  /**
   * Merges the lines by `ref`: a new ref is inserted with its code's hash, a known ref gets the
   * new heading and class and keeps its code. Returns each ref with whether it was new.
   */
  async mergeRoll(
    tx: Queryable,
    budgetId: string,
    lines: RollImportLine[],
  ): Promise<{ ref: string; inserted: boolean }[]> {
    return queryRows<{ ref: string; inserted: boolean }>(
      tx,
      `INSERT INTO budget_voters (budget_id, ref, heading_id, class_key, code_hash)
         SELECT $1, r, h, c, x FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[]) AS t(r, h, c, x)
         ON CONFLICT (budget_id, ref) DO UPDATE SET heading_id = EXCLUDED.heading_id, class_key = EXCLUDED.class_key
         RETURNING ref, (xmax = 0) AS inserted`,
      [
        budgetId,
        lines.map((a) => a.ref),
        lines.map((a) => a.headingId),
        lines.map((a) => a.classKey),
        lines.map((a) => a.codeHash),
      ],
    );
  }

  /**
   * Gives the unclaimed line with the code to the user: undefined when no unclaimed line has it.
   * Throws the unique violation `budget_voters_user_uq` when the user already holds a line.
   */
  async claimLine(
    tx: Queryable,
    budgetId: string,
    codeHash: string,
    userId: string,
  ): Promise<{ ref: string; heading_id: string | null; class_key: string } | undefined> {
    const rows = await queryRows<{ ref: string; heading_id: string | null; class_key: string }>(
      tx,
      `UPDATE budget_voters SET user_id = $3, claimed_at = now()
            WHERE budget_id = $1 AND code_hash = $2 AND user_id IS NULL
            RETURNING ref, heading_id, class_key`,
      [budgetId, codeHash, userId],
    );
    return rows[0];
  }

  /** Whether any line of the budget, claimed or not, has the code. */
  async codeKnown(tx: Queryable, budgetId: string, codeHash: string): Promise<boolean> {
    const known = await queryRows(
      tx,
      `SELECT 1 FROM budget_voters WHERE budget_id = $1 AND code_hash = $2`,
      [budgetId, codeHash],
    );
    return known.length > 0;
  }

  // ---- online ballots -----------------------------------------------------------------------

  /**
   * What the checks of the first ballots of `userIds` need, read unlocked in one query: the
   * budget, the headings and projects (which no longer change once voting has begun), and each
   * voter's ban and roll line. A rush's ballots of one turn share it (see `BudgetsService`).
   * Undefined when there is no such budget.
   */
  async ballotContexts(
    budgetId: string,
    userIds: string[],
  ): Promise<Map<string, BallotContext> | undefined> {
    const rows = await queryRows<
      BudgetRow & {
        heading_rows: HeadingRow[];
        project_rows: ProjectRow[];
        voter_rows: VoterFacts[];
      }
    >(
      this.dataSource.manager,
      `SELECT bu.*,
              (SELECT coalesce(json_agg(h), '[]') FROM (${HEADINGS_SQL}) h) AS heading_rows,
              (SELECT coalesce(json_agg(x), '[]') FROM (${PROJECTS_SQL}) x) AS project_rows,
              (SELECT coalesce(json_agg(json_build_object(
                        'user_id', u.id, 'banned', b.user_id IS NOT NULL, 'banned_until', b.until,
                        'line_id', v.id, 'line_heading_id', v.heading_id, 'line_class_key', v.class_key)), '[]')
                 FROM unnest($2::uuid[]) AS u(id)
                 ${spaceBanInForce('bu.space_id', 'u.id')}
                 LEFT JOIN budget_voters v ON v.budget_id = bu.id AND v.user_id = u.id) AS voter_rows
         FROM budgets bu
        WHERE bu.id = $1`,
      [budgetId, userIds],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { voter_rows: voters, ...budget } = row;
    return new Map(
      voters.map((v) => [
        v.user_id,
        {
          ...budget,
          banned: v.banned,
          // json_build_object gives the timestamp as text.
          banned_until: v.banned_until === null ? null : new Date(v.banned_until),
          line_id: v.line_id,
          line_heading_id: v.line_heading_id,
          line_class_key: v.line_class_key,
        },
      ]),
    );
  }

  /**
   * The first ballots' write: one statement, its own transaction, for every ballot of a batch.
   * It takes the budget row FOR KEY SHARE and finds it still in `voting` (a phase move, FOR
   * UPDATE, waits for it or it for the move), inserts each ballot unless its voter has one, and
   * their choices with them. The ballots go in in voter-key order, so that two batches that
   * share voters (two nodes, or a voter's double submission) wait for each other instead of
   * deadlocking on the unique key. `open` false: the budget left `voting`, nothing was written;
   * `castAt` has the time of each ballot written, by voter key; a voter missing from it already
   * had a ballot.
   */
  async castFirst(
    budgetId: string,
    ballots: FirstBallot[],
  ): Promise<{ open: boolean; castAt: Map<string, Date> }> {
    const sorted = [...ballots].sort((a, b) =>
      a.voter.key < b.voter.key ? -1 : a.voter.key > b.voter.key ? 1 : 0,
    );
    const keys: string[] = [];
    const choices: ChoiceColumns & { keys: string[] } = {
      keys: [],
      headingIds: [],
      projectIds: [],
      ranks: [],
    };
    for (const b of sorted) {
      keys.push(b.voter.key);
      const c = choiceColumns(b.entries);
      for (let i = 0; i < c.ranks.length; i++) {
        choices.keys.push(b.voter.key);
        choices.headingIds.push(c.headingIds[i]!);
        choices.projectIds.push(c.projectIds[i]!);
        choices.ranks.push(c.ranks[i]!);
      }
    }
    const written = await queryRows<{ open: boolean; cast_at: Record<string, string> }>(
      this.dataSource.manager,
      `WITH budget AS (
         SELECT id FROM budgets WHERE id = $1 AND phase = 'voting' FOR KEY SHARE
       ), ballot AS (
         INSERT INTO budget_ballots (budget_id, voter_key, user_id, voter_id, class_key, channel)
         SELECT budget.id, t.k, t.u, t.v, t.c, 'online'
           FROM budget, unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[]) WITH ORDINALITY AS t(k, u, v, c, n)
          ORDER BY t.n
         ON CONFLICT (budget_id, voter_key) DO NOTHING
         RETURNING id, voter_key, cast_at
       ), choices AS (
         INSERT INTO budget_ballot_choices (ballot_id, budget_id, heading_id, project_id, rank)
         SELECT ballot.id, $1, c.h, c.p, c.r
           FROM ballot JOIN unnest($6::text[], $7::uuid[], $8::uuid[], $9::int[]) AS c(k, h, p, r)
             ON c.k = ballot.voter_key
       )
       SELECT EXISTS (SELECT 1 FROM budget) AS open,
              (SELECT coalesce(json_object_agg(voter_key, cast_at), '{}') FROM ballot) AS cast_at`,
      [
        budgetId,
        keys,
        sorted.map((b) => b.userId),
        sorted.map((b) => b.voter.voterId),
        sorted.map((b) => b.voter.classKey),
        choices.keys,
        choices.headingIds,
        choices.projectIds,
        choices.ranks,
      ],
    );
    const { open, cast_at: castAt } = written[0]!;
    return { open, castAt: new Map(Object.entries(castAt).map(([k, t]) => [k, new Date(t)])) };
  }

  /**
   * Casts or replaces the voter's online ballot. The unique key (budget, voter) makes the upsert
   * the one place concurrent submissions meet: the first inserts, the others wait for its row
   * and replace it in turn. Undefined when the ballot was recorded on site (never replaced).
   */
  async upsertOnline(
    tx: Queryable,
    budgetId: string,
    userId: string,
    voter: BallotVoter,
  ): Promise<string | undefined> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budget_ballots (budget_id, voter_key, user_id, voter_id, class_key, channel)
       VALUES ($1, $2, $3, $4, $5, 'online')
       ON CONFLICT (budget_id, voter_key) DO UPDATE SET cast_at = now(), class_key = EXCLUDED.class_key
         WHERE budget_ballots.channel = 'online'
       RETURNING id`,
      [budgetId, voter.key, userId, voter.voterId, voter.classKey],
    );
    return rows[0]?.id;
  }

  /** The ballot kept under any of `keys` (a voter has one at most). */
  async ballotOf(
    budgetId: string,
    keys: string[],
  ): Promise<{ id: string; channel: 'online' | 'onsite'; cast_at: Date } | undefined> {
    const rows = await queryRows<{ id: string; channel: 'online' | 'onsite'; cast_at: Date }>(
      this.dataSource,
      `SELECT id, channel, cast_at FROM budget_ballots WHERE budget_id = $1 AND voter_key = ANY($2::text[])`,
      [budgetId, keys],
    );
    return rows[0];
  }

  /** The ballot's choices, by heading, each in rank order. */
  async choicesOf(ballotId: string): Promise<{ heading_id: string; project_id: string }[]> {
    return queryRows<{ heading_id: string; project_id: string }>(
      this.dataSource,
      `SELECT heading_id, project_id FROM budget_ballot_choices WHERE ballot_id = $1 ORDER BY heading_id, rank`,
      [ballotId],
    );
  }

  /** The channel of the voter's ballot under its row lock; undefined when they have none. */
  async lockChannel(
    tx: Queryable,
    budgetId: string,
    voterKey: string,
  ): Promise<string | undefined> {
    const rows = await queryRows<{ channel: string }>(
      tx,
      `SELECT channel FROM budget_ballots WHERE budget_id = $1 AND voter_key = $2 FOR UPDATE`,
      [budgetId, voterKey],
    );
    return rows[0]?.channel;
  }

  /** Deletes the voter's ballot (its choices go with it). */
  async delete(tx: Queryable, budgetId: string, voterKey: string): Promise<void> {
    await tx.query(`DELETE FROM budget_ballots WHERE budget_id = $1 AND voter_key = $2`, [
      budgetId,
      voterKey,
    ]);
  }

  // ---- on site ------------------------------------------------------------------------------

  /** A roll line's ballot recorded at a booth by `recordedBy`; undefined when the line has one. */
  async insertOnsite(
    tx: Queryable,
    budgetId: string,
    voter: BallotVoter,
    recordedBy: string,
  ): Promise<string | undefined> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budget_ballots (budget_id, voter_key, voter_id, class_key, channel, recorded_by)
         VALUES ($1, $2, $3, $4, 'onsite', $5)
         ON CONFLICT (budget_id, voter_key) DO NOTHING RETURNING id`,
      [budgetId, voter.key, voter.voterId, voter.classKey, recordedBy],
    );
    return rows[0]?.id;
  }

  /** Replaces the ballot's choices with `entries`. */
  async writeChoices(
    tx: Queryable,
    budgetId: string,
    ballotId: string,
    entries: BallotEntry[],
  ): Promise<void> {
    await tx.query(`DELETE FROM budget_ballot_choices WHERE ballot_id = $1`, [ballotId]);
    const { headingIds, projectIds, ranks } = choiceColumns(entries);
    await tx.query(
      `INSERT INTO budget_ballot_choices (ballot_id, budget_id, heading_id, project_id, rank)
       SELECT $1, $2, h, p, r FROM unnest($3::uuid[], $4::uuid[], $5::int[]) AS t(h, p, r)`,
      [ballotId, budgetId, headingIds, projectIds, ranks],
    );
  }

  /** Throws the unique violation `budget_paper_totals_station_uq` on a station entered before. */
  async insertPaperTotals(tx: Queryable, budgetId: string, totals: PaperTotals): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO budget_paper_totals (budget_id, station, heading_id, class_key, ballots, counts, entered_by)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id`,
      [
        budgetId,
        totals.station,
        totals.headingId,
        totals.classKey,
        totals.ballots,
        JSON.stringify(totals.counts),
        totals.enteredBy,
      ],
    );
    return rows[0]!.id;
  }
}
