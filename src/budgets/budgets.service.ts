import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../core/database/errors';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { msg, Problem, type FieldProblem, term } from '../core/http/problem';
import { type FieldRuleKey } from '../core/http/i18n/messages';
import { type AuthUser } from '../identity/auth/auth-user';
import { type BudgetTally } from '../protocol/live';
import { AuditService } from '../moderation/audit.service';
import { BanCheck, bannedFromSpace, spaceBanInForce } from '../moderation/bans.guard';
import { SpaceAccessService } from '../spaces/space-access.service';
import { FollowsRepository } from '../notifications/follows.repository';
import { appendTopicEvent } from '../topics/topic-events';
import {
  allowedNextPhases,
  type BallotEntry,
  BUDGET_PHASES,
  type BudgetPhase,
  checkBallot,
  type HeadingInfo,
  onBallot,
  phaseIndex,
  type VoterClass,
} from './budget-rules';
import { BudgetNoticesRepository } from './budget-notices.repository';
import {
  type BudgetRow,
  headingOf,
  HEADINGS_SQL,
  type HeadingRow,
  loadHeadings,
  loadProjects,
  type ProjectFacts,
  projectOf,
  type ProjectRow,
  PROJECTS_SQL,
  ruleOf,
  tallyBudget,
} from './budget-tally';
import {
  type BallotDto,
  type CreateBudgetDto,
  type HeadingDto,
  type MilestoneDto,
  type OnsiteBallotDto,
  type PaperTotalDto,
  type PhaseDateDto,
  type ReviewDto,
  type UpdateBudgetDto,
} from './dto/budget.dto';

/** The single class of a budget declared without classes. */
export const DEFAULT_CLASSES: VoterClass[] = [{ key: 'all', name: '전체', weight: 100 }];

/** Voting codes: no 0/O or 1/I, so a printed code reads back the same. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

export const hashCode = (code: string): string =>
  createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

const fieldProblem = (
  field: string,
  rule: FieldRuleKey,
  message: string,
  params?: Record<string, string | number>,
): FieldProblem => ({ field, rule, message, ...(params ? { params } : {}) });

export type ResultsView = BudgetTally;

export interface BallotView {
  ballots: BallotEntry[];
  channel: 'online' | 'onsite' | null;
  castAt: string | null;
}

/** A roll line as a ballot needs it. */
interface RollLine {
  id: string;
  heading_id: string | null;
  class_key: string;
}

/** The one read before a first ballot: the budget with the voter's ban, roll line and the rules' facts. */
interface BallotContext extends BudgetRow {
  banned: boolean;
  banned_until: Date | null;
  line_id: string | null;
  line_heading_id: string | null;
  line_class_key: string | null;
  heading_rows: HeadingRow[];
  project_rows: ProjectRow[];
}

/** Where the voter stands: the key their one ballot is kept under, their class and heading. */
interface Voter {
  key: string;
  voterId: string | null;
  classKey: string;
  heading: HeadingInfo | null;
}

/**
 * Participatory budgets: every write in one transaction with its audit row, every rule checked
 * here on the server. The budget row is the gate between ballots and phase moves: a ballot
 * reads it FOR KEY SHARE (ballots do not wait for one another), a phase move takes it FOR
 * UPDATE, so no ballot commits into a budget that has left `voting`.
 */
@Injectable()
export class BudgetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly access: SpaceAccessService,
    private readonly audit: AuditService,
    private readonly bans: BanCheck,
    private readonly notices: BudgetNoticesRepository,
    private readonly follows: FollowsRepository,
    private readonly bus: EventBus,
  ) {}

  // ---- budgets ------------------------------------------------------------------------------

  async budgetRow(db: Pick<EntityManager, 'query'>, id: string, lock = ''): Promise<BudgetRow> {
    const rows = await queryRows<BudgetRow>(db, `SELECT * FROM budgets WHERE id = $1 ${lock}`, [
      id,
    ]);
    const budget = rows[0];
    if (!budget) throw Problem.notFound('Budget');
    return budget;
  }

  private checkClasses(classes: VoterClass[]): void {
    const sum = classes.reduce((s, c) => s + c.weight, 0);
    if (sum !== 100) {
      throw Problem.badRequest(msg('code.validation_failed'), [
        fieldProblem('voterClasses', 'weights_100', 'the weights must add up to 100', { sum }),
      ]);
    }
    if (new Set(classes.map((c) => c.key)).size !== classes.length) {
      throw Problem.field('voterClasses', 'unique_keys');
    }
  }

  private checkPhases(phases: PhaseDateDto[]): void {
    let last = -Infinity;
    let lastIndex = -1;
    for (const p of phases) {
      const index = phaseIndex(p.phase);
      const starts = p.startsAt ? Date.parse(p.startsAt) : null;
      const ends = p.endsAt ? Date.parse(p.endsAt) : null;
      if (
        index <= lastIndex ||
        (starts !== null && starts < last) ||
        (starts !== null && ends !== null && ends <= starts)
      ) {
        throw Problem.field('phases', 'phase_order');
      }
      lastIndex = index;
      last = ends ?? starts ?? last;
    }
  }

  private checkRule(rule: { kind: string; minSpendRatio?: number }): void {
    if (rule.minSpendRatio !== undefined && rule.kind !== 'knapsack') {
      throw Problem.field('rule.minSpendRatio', 'knapsack_only');
    }
  }

  async create(auth: AuthUser, spaceId: string, dto: CreateBudgetDto): Promise<string> {
    const classes = dto.voterClasses ?? DEFAULT_CLASSES;
    this.checkClasses(classes);
    this.checkRule(dto.rule);
    if (dto.phases) this.checkPhases(dto.phases);
    return this.uow.run(async (work) => {
      const spaces = await queryRows(work.tx, `SELECT 1 FROM spaces WHERE id = $1`, [spaceId]);
      if (spaces.length === 0) throw Problem.notFound('Space');
      await this.access.requireFacilitator(auth, spaceId, work.tx);
      const rows = await queryRows<{ id: string }>(
        work.tx,
        `INSERT INTO budgets (space_id, created_by, title, description, total_amount, rule_kind,
                              max_choices, min_spend_ratio, electorate, voter_classes, live_tally, phases)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12::jsonb) RETURNING id`,
        [
          spaceId,
          auth.id,
          dto.title,
          dto.description ?? '',
          dto.totalAmount,
          dto.rule.kind,
          dto.rule.maxChoices ?? null,
          dto.rule.minSpendRatio ?? null,
          dto.electorate,
          JSON.stringify(classes),
          dto.liveTally ?? false,
          JSON.stringify(dto.phases ?? []),
        ],
      );
      const id = rows[0]!.id;
      await this.appendEvent(work, id, 'created', auth.id, { phase: 'proposals' });
      await this.audit.record(work.tx, {
        spaceId,
        actorId: auth.id,
        action: 'budget.create',
        targetType: 'budget',
        targetId: id,
        after: { title: dto.title, rule: dto.rule, electorate: dto.electorate, classes },
      });
      return id;
    });
  }

  /** Appends to the budget's public timeline; its number is the `seq` of `budget:phase`. */
  private async appendEvent(
    work: Work,
    budgetId: string,
    type: string,
    actorId: string | null,
    data: Record<string, unknown>,
  ): Promise<number> {
    const rows = await queryRows<{ seq: number }>(
      work.tx,
      `UPDATE budgets SET seq = seq + 1, updated_at = now() WHERE id = $1 RETURNING seq`,
      [budgetId],
    );
    const seq = rows[0]!.seq;
    await work.tx.query(
      `INSERT INTO budget_events (budget_id, seq, type, actor_id, data) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [budgetId, seq, type, actorId, JSON.stringify(data)],
    );
    return seq;
  }

  async update(auth: AuthUser, id: string, dto: UpdateBudgetDto): Promise<void> {
    if (dto.voterClasses) this.checkClasses(dto.voterClasses);
    if (dto.rule) this.checkRule(dto.rule);
    if (dto.phases) this.checkPhases(dto.phases);
    await this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, id, 'FOR UPDATE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      const locked = (['rule', 'voterClasses', 'electorate'] as const).filter(
        (k) => dto[k] !== undefined,
      );
      if (locked.length > 0 && phaseIndex(budget.phase) >= phaseIndex('voting')) {
        throw Problem.conflict(
          'budget_locked',
          msg('budgets.locked', { fields: locked.join(', ') }),
        );
      }
      if (dto.roomId) {
        const rooms = await queryRows<{ space_id: string }>(
          work.tx,
          `SELECT t.space_id FROM rooms r JOIN topics t ON t.id = r.topic_id WHERE r.id = $1`,
          [dto.roomId],
        );
        if (rooms[0]?.space_id !== budget.space_id)
          throw Problem.field('roomId', 'room_other_space');
      }
      const set: string[] = [];
      const params: unknown[] = [id];
      const put = (column: string, value: unknown, cast = ''): void => {
        params.push(value);
        set.push(`${column} = $${params.length}${cast}`);
      };
      if (dto.title !== undefined) put('title', dto.title);
      if (dto.description !== undefined) put('description', dto.description);
      if (dto.totalAmount !== undefined) put('total_amount', dto.totalAmount);
      if (dto.rule) {
        put('rule_kind', dto.rule.kind);
        put('max_choices', dto.rule.maxChoices ?? null);
        put('min_spend_ratio', dto.rule.minSpendRatio ?? null);
      }
      if (dto.electorate !== undefined) put('electorate', dto.electorate);
      if (dto.voterClasses) put('voter_classes', JSON.stringify(dto.voterClasses), '::jsonb');
      if (dto.liveTally !== undefined) put('live_tally', dto.liveTally);
      if (dto.phases) put('phases', JSON.stringify(dto.phases), '::jsonb');
      if (dto.roomId !== undefined) put('room_id', dto.roomId);
      if (set.length === 0) return;
      await work.tx.query(
        `UPDATE budgets SET ${set.join(', ')}, updated_at = now() WHERE id = $1`,
        params,
      );
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'budget.update',
        targetType: 'budget',
        targetId: id,
        before: {
          title: budget.title,
          rule: ruleOf(budget),
          electorate: budget.electorate,
          voterClasses: budget.voter_classes,
          liveTally: budget.live_tally,
        },
        after: { ...dto },
      });
    });
  }

  async movePhase(auth: AuthUser, id: string, to: BudgetPhase): Promise<void> {
    await this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, id, 'FOR UPDATE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      await this.applyPhase(work, budget, to, auth.id);
    });
  }

  /** A phase move under the budget's lock: by a facilitator, or by its date (actor null). */
  async applyPhase(
    work: Work,
    budget: BudgetRow,
    to: BudgetPhase,
    actorId: string | null,
  ): Promise<void> {
    if (!allowedNextPhases(budget.phase).includes(to)) {
      throw Problem.conflict(
        'illegal_transition',
        msg('budgets.illegal_transition', { from: term(budget.phase), to: term(to) }),
      );
    }
    if (to === 'results') {
      // The result is drawn once, from the ballots as they stand under the lock: no ballot
      // commits after this (they wait for the lock, then find the budget past `voting`).
      const results = await tallyBudget(work.tx, { ...budget, phase: to });
      const selected = results.flatMap((h) =>
        h.projects.filter((p) => p.selected).map((p) => p.projectId),
      );
      await work.tx.query(
        `UPDATE budget_projects SET status = CASE WHEN id = ANY($2::uuid[]) THEN 'selected' ELSE 'not_selected' END
          WHERE budget_id = $1 AND status = 'feasible'`,
        [budget.id, selected],
      );
      await this.notices.selected(work.tx, budget.id, actorId);
    }
    await work.tx.query(`UPDATE budgets SET phase = $2 WHERE id = $1`, [budget.id, to]);
    await this.notices.phase(work.tx, budget.id, actorId, budget.phase, to);
    const seq = await this.appendEvent(work, budget.id, 'phase', actorId, {
      from: budget.phase,
      to,
    });
    await this.audit.record(work.tx, {
      spaceId: budget.space_id,
      actorId,
      action: 'budget.phase',
      targetType: 'budget',
      targetId: budget.id,
      before: { phase: budget.phase },
      after: { phase: to },
    });
    work.emit(
      domainEvent('budget.phase', {
        budgetId: budget.id,
        spaceId: budget.space_id,
        seq,
        from: budget.phase,
        to,
      }),
    );
  }

  async addHeading(auth: AuthUser, budgetId: string, dto: HeadingDto): Promise<string> {
    return this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR UPDATE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      this.requireBefore(budget, 'voting');
      let id: string;
      try {
        const rows = await queryRows<{ id: string }>(
          work.tx,
          `INSERT INTO budget_headings (budget_id, name, amount, group_name, max_choices)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [budgetId, dto.name, dto.amount, dto.group ?? null, dto.maxChoices ?? null],
        );
        id = rows[0]!.id;
      } catch (error) {
        if (isUniqueViolation(error, 'budget_headings_name_uq')) {
          throw Problem.conflict('conflict', msg('code.conflict'));
        }
        throw error;
      }
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'budget.heading',
        targetType: 'budget_heading',
        targetId: id,
        after: { ...dto },
      });
      return id;
    });
  }

  requirePhase(budget: BudgetRow, phase: BudgetPhase): void {
    if (budget.phase !== phase) {
      throw Problem.conflict(
        'budget_phase',
        msg('budgets.phase_needed', { phase: term(phase), current: term(budget.phase) }),
      );
    }
  }

  requireBefore(budget: BudgetRow, phase: BudgetPhase): void {
    if (phaseIndex(budget.phase) >= phaseIndex(phase)) {
      throw Problem.conflict(
        'budget_phase',
        msg('budgets.phase_before', { phase: term(phase), current: term(budget.phase) }),
      );
    }
  }

  // ---- projects -----------------------------------------------------------------------------

  async createProject(
    auth: AuthUser,
    budgetId: string,
    dto: import('./dto/budget.dto').ProjectDto,
  ): Promise<string> {
    return this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      this.requirePhase(budget, 'proposals');
      await this.bans.assertNotBanned(work.tx, budget.space_id, auth.id);
      const headings = await queryRows(
        work.tx,
        `SELECT 1 FROM budget_headings WHERE id = $1 AND budget_id = $2`,
        [dto.headingId, budgetId],
      );
      if (headings.length === 0) throw Problem.field('headingId', 'unknown_heading');
      // The project's thread is a topic of its own: comments, replies and agrees (supports)
      // work as on any topic. It starts at the top rung with no expiry, so the ladder and the
      // proposal window, which are for topics, never move it.
      const topics = await queryRows<{ id: string }>(
        work.tx,
        `INSERT INTO topics (space_id, author_id, title, body, kind, rung, proposal_expires_at)
         VALUES ($1, $2, $3, $4, 'project', 3, 'infinity') RETURNING id`,
        [budget.space_id, auth.id, dto.title, `${dto.summary}\n\n${dto.body}`],
      );
      const topicId = topics[0]!.id;
      const seq = await appendTopicEvent(work.tx, topicId, 'created', auth.id, {
        title: dto.title,
      });
      const rows = await queryRows<{ id: string }>(
        work.tx,
        `INSERT INTO budget_projects (budget_id, heading_id, topic_id, proposer_id, title, summary, body,
                                      amount, category, location)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          budgetId,
          dto.headingId,
          topicId,
          auth.id,
          dto.title,
          dto.summary,
          dto.body,
          dto.amount,
          dto.category ?? null,
          dto.location ?? null,
        ],
      );
      // A proposer hears what becomes of the project (its thread) and of the budget's phases.
      await this.follows.follow(work.tx, auth.id, 'topic', topicId);
      await this.follows.follow(work.tx, auth.id, 'budget', budgetId);
      work.emit(domainEvent('topic.created', { topicId, spaceId: budget.space_id, seq }));
      return rows[0]!.id;
    });
  }

  async review(auth: AuthUser, projectId: string, dto: ReviewDto): Promise<void> {
    await this.uow.run(async (work) => {
      const projects = await queryRows<{ budget_id: string; status: string; amount: string }>(
        work.tx,
        `SELECT budget_id, status, amount FROM budget_projects WHERE id = $1 FOR UPDATE`,
        [projectId],
      );
      const project = projects[0];
      if (!project) throw Problem.notFound('Project');
      const budget = await this.budgetRow(work.tx, project.budget_id, 'FOR KEY SHARE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      this.requirePhase(budget, 'review');
      await work.tx.query(
        `INSERT INTO budget_project_reviews (project_id, reviewer_id, feasible, cost, explanation)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (project_id) DO UPDATE SET reviewer_id = EXCLUDED.reviewer_id,
           feasible = EXCLUDED.feasible, cost = EXCLUDED.cost, explanation = EXCLUDED.explanation,
           reviewed_at = now()`,
        [projectId, auth.id, dto.feasible, dto.cost ?? null, dto.explanation],
      );
      const status = dto.feasible ? 'feasible' : 'unfeasible';
      await work.tx.query(`UPDATE budget_projects SET status = $2 WHERE id = $1`, [
        projectId,
        status,
      ]);
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'project.review',
        targetType: 'budget_project',
        targetId: projectId,
        reason: dto.explanation,
        before: { status: project.status },
        after: { status, cost: dto.cost ?? null },
      });
      await this.notices.reviewed(work.tx, project.budget_id, projectId, auth.id, dto.feasible);
      work.emit(
        domainEvent('budget.project_reviewed', {
          budgetId: project.budget_id,
          projectId,
          spaceId: budget.space_id,
        }),
      );
    });
  }

  async addMilestone(auth: AuthUser, projectId: string, dto: MilestoneDto): Promise<string> {
    return this.uow.run(async (work) => {
      const projects = await queryRows<{ budget_id: string }>(
        work.tx,
        `SELECT budget_id FROM budget_projects WHERE id = $1`,
        [projectId],
      );
      if (!projects[0]) throw Problem.notFound('Project');
      const budget = await this.budgetRow(work.tx, projects[0].budget_id, 'FOR KEY SHARE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      this.requirePhase(budget, 'execution');
      const day = new Date(`${dto.date}T00:00:00Z`);
      if (Number.isNaN(day.getTime()) || !day.toISOString().startsWith(dto.date)) {
        throw Problem.field('date', 'day');
      }
      const rows = await queryRows<{ id: string }>(
        work.tx,
        `INSERT INTO budget_milestones (project_id, title, body, date, progress, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [projectId, dto.title, dto.body ?? null, dto.date, dto.progress, auth.id],
      );
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'project.milestone',
        targetType: 'budget_project',
        targetId: projectId,
        after: { ...dto },
      });
      return rows[0]!.id;
    });
  }

  // ---- the voter roll -----------------------------------------------------------------------

  /**
   * Merges a CSV roll (`ref,heading,class`) by `ref`: new refs get a one-time code, returned
   * this once (only its hash is kept); a known ref gets its new heading and class and keeps its
   * code. Lines that cannot be read are rejected with their line number; the rest are imported.
   */
  async importRoll(
    auth: AuthUser,
    budgetId: string,
    csv: string,
  ): Promise<{
    imported: number;
    codes: { ref: string; code: string }[];
    rejected: { line: number; reason: string }[];
  }> {
    return this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      if (budget.electorate !== 'roll')
        throw Problem.conflict('conflict', msg('budgets.roll_only'));
      this.requireBefore(budget, 'results');
      const headings = new Map((await loadHeadings(work.tx, budgetId)).map((h) => [h.name, h.id]));
      const classes = new Set(budget.voter_classes.map((c) => c.key));
      const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
      const header = (lines[0] ?? '').split(',').map((s) => s.trim().toLowerCase());
      if (header.join(',') !== 'ref,heading,class') {
        throw Problem.badRequest(msg('code.validation_failed'), [
          fieldProblem('body', 'invalid', 'the first line must be ref,heading,class'),
        ]);
      }
      const rejected: { line: number; reason: string }[] = [];
      const accepted: { ref: string; headingId: string | null; classKey: string; code: string }[] =
        [];
      const seen = new Set<string>();
      lines.slice(1).forEach((text, i) => {
        const line = i + 2;
        if (text.trim() === '') return;
        const cells = text.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
        if (cells.length !== 3) return rejected.push({ line, reason: 'columns' });
        const [ref, headingName, classKey] = cells as [string, string, string];
        if (!/^[\p{L}\p{N}._/-]{1,100}$/u.test(ref)) return rejected.push({ line, reason: 'ref' });
        if (seen.has(ref)) return rejected.push({ line, reason: 'duplicate' });
        const headingId = headingName === '' ? null : headings.get(headingName);
        if (headingId === undefined) return rejected.push({ line, reason: 'unknown_heading' });
        const key = classKey === '' ? budget.voter_classes[0]!.key : classKey;
        if (!classes.has(key)) return rejected.push({ line, reason: 'unknown_class' });
        seen.add(ref);
        accepted.push({ ref, headingId, classKey: key, code: newCode() });
        return undefined;
      });
      const rows = await queryRows<{ ref: string; inserted: boolean }>(
        work.tx,
        `INSERT INTO budget_voters (budget_id, ref, heading_id, class_key, code_hash)
         SELECT $1, r, h, c, x FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[]) AS t(r, h, c, x)
         ON CONFLICT (budget_id, ref) DO UPDATE SET heading_id = EXCLUDED.heading_id, class_key = EXCLUDED.class_key
         RETURNING ref, (xmax = 0) AS inserted`,
        [
          budgetId,
          accepted.map((a) => a.ref),
          accepted.map((a) => a.headingId),
          accepted.map((a) => a.classKey),
          accepted.map((a) => hashCode(a.code)),
        ],
      );
      const fresh = new Set(rows.filter((r) => r.inserted).map((r) => r.ref));
      const codes = accepted
        .filter((a) => fresh.has(a.ref))
        .map((a) => ({ ref: a.ref, code: a.code }));
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'budget.roll_import',
        targetType: 'budget',
        targetId: budgetId,
        after: { imported: accepted.length, new: codes.length, rejected: rejected.length },
      });
      return { imported: accepted.length, codes, rejected };
    });
  }

  async claim(
    auth: AuthUser,
    budgetId: string,
    code: string,
  ): Promise<{ ref: string; headingId: string | null; classKey: string }> {
    return this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      if (budget.electorate !== 'roll')
        throw Problem.conflict('conflict', msg('budgets.roll_only'));
      this.requireBefore(budget, 'results');
      const hash = hashCode(code);
      let rows: { ref: string; heading_id: string | null; class_key: string }[];
      try {
        rows = await queryRows(
          work.tx,
          `UPDATE budget_voters SET user_id = $3, claimed_at = now()
            WHERE budget_id = $1 AND code_hash = $2 AND user_id IS NULL
            RETURNING ref, heading_id, class_key`,
          [budgetId, hash, auth.id],
        );
      } catch (error) {
        if (isUniqueViolation(error, 'budget_voters_user_uq')) {
          throw Problem.conflict('code_claimed', msg('budgets.already_claimed_line'));
        }
        throw error;
      }
      const line = rows[0];
      if (!line) {
        const known = await queryRows(
          work.tx,
          `SELECT 1 FROM budget_voters WHERE budget_id = $1 AND code_hash = $2`,
          [budgetId, hash],
        );
        if (known.length === 0) throw Problem.notFound('Code');
        throw Problem.conflict('code_claimed', msg('budgets.code_claimed'));
      }
      return { ref: line.ref, headingId: line.heading_id, classKey: line.class_key };
    });
  }

  // ---- ballots ------------------------------------------------------------------------------

  private async onlineVoter(
    tx: EntityManager,
    budget: BudgetRow,
    userId: string,
    headings: HeadingInfo[],
  ): Promise<Voter> {
    if (budget.electorate === 'open') return this.voterOf(budget, userId, undefined, headings);
    const lines = await queryRows<RollLine>(
      tx,
      `SELECT id, heading_id, class_key FROM budget_voters WHERE budget_id = $1 AND user_id = $2`,
      [budget.id, userId],
    );
    return this.voterOf(budget, userId, lines[0], headings);
  }

  /** The voter's key, class and heading: the user on an open electorate, else their roll line. */
  private voterOf(
    budget: BudgetRow,
    userId: string,
    line: RollLine | undefined,
    headings: HeadingInfo[],
  ): Voter {
    if (budget.electorate === 'open') {
      return {
        key: `user:${userId}`,
        voterId: null,
        classKey: budget.voter_classes[0]!.key,
        heading: null,
      };
    }
    if (!line) throw new Problem(403, 'not_eligible', msg('budgets.not_eligible'));
    return {
      key: `voter:${line.id}`,
      voterId: line.id,
      classKey: line.class_key,
      heading: headings.find((h) => h.id === line.heading_id) ?? null,
    };
  }

  private entries(dto: BallotDto): BallotEntry[] {
    const single = dto.headingId !== undefined || dto.projectIds !== undefined;
    if (dto.ballots && single) throw Problem.field('ballots', 'ballot_shape');
    if (dto.ballots) return dto.ballots;
    if (dto.headingId === undefined || dto.projectIds === undefined) {
      throw Problem.field(dto.headingId === undefined ? 'headingId' : 'projectIds', 'required');
    }
    return [{ headingId: dto.headingId, projectIds: dto.projectIds }];
  }

  /** Every broken rule of the ballot, or nothing: a 422 naming each one with where it is. */
  private async checkEntries(
    tx: EntityManager,
    budget: BudgetRow,
    headings: HeadingInfo[],
    entries: BallotEntry[],
    voter: Voter,
  ): Promise<void> {
    this.checkAgainst(budget, headings, await loadProjects(tx, budget.id), entries, voter);
  }

  private checkAgainst(
    budget: BudgetRow,
    headings: HeadingInfo[],
    projects: ProjectFacts[],
    entries: BallotEntry[],
    voter: Voter,
  ): void {
    const problems = checkBallot(
      ruleOf(budget),
      new Map(headings.map((h) => [h.id, h])),
      new Map(projects.map((p) => [p.id, p])),
      entries,
      voter.heading,
    );
    if (problems.length === 0) return;
    throw new Problem(
      422,
      'ballot_invalid',
      msg('budgets.ballot_invalid', { count: problems.length }),
      problems.map((p) => ({
        field: p.rule,
        path: p.field,
        rule: p.rule,
        message: `${p.field}: ${p.rule}`,
        ...(p.params ? { params: p.params } : {}),
      })),
    );
  }

  /** A ballot's choices as columns: heading, project and rank (1 = first) of each. */
  private choiceColumns(entries: BallotEntry[]): {
    headingIds: string[];
    projectIds: string[];
    ranks: number[];
  } {
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

  private async writeChoices(
    tx: EntityManager,
    budgetId: string,
    ballotId: string,
    entries: BallotEntry[],
  ): Promise<void> {
    await tx.query(`DELETE FROM budget_ballot_choices WHERE ballot_id = $1`, [ballotId]);
    const { headingIds, projectIds, ranks } = this.choiceColumns(entries);
    await tx.query(
      `INSERT INTO budget_ballot_choices (ballot_id, budget_id, heading_id, project_id, rank)
       SELECT $1, $2, h, p, r FROM unnest($3::uuid[], $4::uuid[], $5::int[]) AS t(h, p, r)`,
      [ballotId, budgetId, headingIds, projectIds, ranks],
    );
  }

  /**
   * Casts or replaces the voter's online ballot, whole. A voter's first ballot — nearly every
   * ballot of a rush before the close — is one read and one statement (`castFirst`); a change,
   * a retry, or a line that voted on site goes through `replaceBallot`'s transaction.
   */
  async castOnline(auth: AuthUser, budgetId: string, dto: BallotDto): Promise<BallotView> {
    const entries = this.entries(dto);
    const first = await this.uow.runAlone<BallotView | 'exists' | 'replaced'>(
      () => this.castFirst(auth, budgetId, entries),
      async (work) => {
        await this.replaceBallot(work, auth, budgetId, entries);
        return 'replaced';
      },
    );
    if (first === 'exists')
      await this.uow.run((work) => this.replaceBallot(work, auth, budgetId, entries));
    else if (first !== 'replaced') return first;
    return this.myBallot(auth, budgetId);
  }

  /**
   * The voter's first ballot. What the checks need is read first, unlocked, in one query: the
   * budget, the voter's ban and roll line, the headings and projects (which no longer change once
   * voting has begun). The write is one statement, its own transaction: it takes the budget row
   * FOR KEY SHARE and finds it still in `voting` (a phase move, FOR UPDATE, waits for it or it
   * for the move, as in `replaceBallot`), inserts the ballot unless the voter has one, and its
   * choices with it. 'exists': the voter has a ballot; nothing was written.
   */
  private async castFirst(
    auth: AuthUser,
    budgetId: string,
    entries: BallotEntry[],
  ): Promise<BallotView | 'exists'> {
    const db = this.dataSource.manager;
    const rows = await queryRows<BallotContext>(
      db,
      `SELECT bu.*, b.user_id IS NOT NULL AS banned, b.until AS banned_until,
              v.id AS line_id, v.heading_id AS line_heading_id, v.class_key AS line_class_key,
              (SELECT coalesce(json_agg(h), '[]') FROM (${HEADINGS_SQL}) h) AS heading_rows,
              (SELECT coalesce(json_agg(x), '[]') FROM (${PROJECTS_SQL}) x) AS project_rows
         FROM budgets bu
         ${spaceBanInForce('bu.space_id', '$2')}
         LEFT JOIN budget_voters v ON v.budget_id = bu.id AND v.user_id = $2
        WHERE bu.id = $1`,
      [budgetId, auth.id],
    );
    const budget = rows[0];
    if (!budget) throw Problem.notFound('Budget');
    this.requirePhase(budget, 'voting');
    if (budget.banned) throw bannedFromSpace(budget.banned_until);
    const headings = budget.heading_rows.map(headingOf);
    const line = budget.line_id
      ? {
          id: budget.line_id,
          heading_id: budget.line_heading_id,
          class_key: budget.line_class_key!,
        }
      : undefined;
    const voter = this.voterOf(budget, auth.id, line, headings);
    this.checkAgainst(budget, headings, budget.project_rows.map(projectOf), entries, voter);
    const choices = this.choiceColumns(entries);
    const written = await queryRows<{ open: boolean; cast_at: Date | null }>(
      db,
      `WITH budget AS (
         SELECT id FROM budgets WHERE id = $1 AND phase = 'voting' FOR KEY SHARE
       ), ballot AS (
         INSERT INTO budget_ballots (budget_id, voter_key, user_id, voter_id, class_key, channel)
         SELECT id, $2, $3, $4, $5, 'online' FROM budget
         ON CONFLICT (budget_id, voter_key) DO NOTHING
         RETURNING id, cast_at
       ), choices AS (
         INSERT INTO budget_ballot_choices (ballot_id, budget_id, heading_id, project_id, rank)
         SELECT ballot.id, $1, h, p, r
           FROM ballot, unnest($6::uuid[], $7::uuid[], $8::int[]) AS t(h, p, r)
       )
       SELECT EXISTS (SELECT 1 FROM budget) AS open, (SELECT cast_at FROM ballot) AS cast_at`,
      [
        budgetId,
        voter.key,
        auth.id,
        voter.voterId,
        voter.classKey,
        choices.headingIds,
        choices.projectIds,
        choices.ranks,
      ],
    );
    const { open, cast_at: castAt } = written[0]!;
    // The budget left `voting` between the read and the write: say where it is now.
    if (!open) this.requirePhase(await this.budgetRow(db, budgetId), 'voting');
    if (!open || !castAt) return 'exists';
    this.bus.publish([
      domainEvent('budget.ballots_changed', { budgetId, spaceId: budget.space_id }),
    ]);
    // What was written, as `myBallot` reads it back: by heading, each in rank order.
    return {
      ballots: [...entries]
        .sort((a, b) => (a.headingId < b.headingId ? -1 : a.headingId > b.headingId ? 1 : 0))
        .map((e) => ({ headingId: e.headingId, projectIds: [...e.projectIds] })),
      channel: 'online',
      castAt: castAt.toISOString(),
    };
  }

  /**
   * Casts or replaces the voter's online ballot in `work`. The unique key (budget, voter) makes
   * the upsert the one place concurrent submissions meet: the first inserts, the others wait
   * for its row and replace it in turn; a ballot recorded on site is never replaced
   * (`already_voted`).
   */
  private async replaceBallot(
    work: Work,
    auth: AuthUser,
    budgetId: string,
    entries: BallotEntry[],
  ): Promise<void> {
    const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
    this.requirePhase(budget, 'voting');
    await this.bans.assertNotBanned(work.tx, budget.space_id, auth.id);
    const headings = await loadHeadings(work.tx, budgetId);
    const voter = await this.onlineVoter(work.tx, budget, auth.id, headings);
    await this.checkEntries(work.tx, budget, headings, entries, voter);
    const rows = await queryRows<{ id: string }>(
      work.tx,
      `INSERT INTO budget_ballots (budget_id, voter_key, user_id, voter_id, class_key, channel)
       VALUES ($1, $2, $3, $4, $5, 'online')
       ON CONFLICT (budget_id, voter_key) DO UPDATE SET cast_at = now(), class_key = EXCLUDED.class_key
         WHERE budget_ballots.channel = 'online'
       RETURNING id`,
      [budgetId, voter.key, auth.id, voter.voterId, voter.classKey],
    );
    const ballot = rows[0];
    if (!ballot) throw Problem.conflict('already_voted', msg('budgets.already_voted_onsite'));
    await this.writeChoices(work.tx, budgetId, ballot.id, entries);
    work.emit(domainEvent('budget.ballots_changed', { budgetId, spaceId: budget.space_id }));
  }

  async myBallot(auth: AuthUser, budgetId: string): Promise<BallotView> {
    const budget = await this.budgetRow(this.dataSource, budgetId);
    const keys = [`user:${auth.id}`];
    const lines = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT id FROM budget_voters WHERE budget_id = $1 AND user_id = $2`,
      [budget.id, auth.id],
    );
    if (lines[0]) keys.push(`voter:${lines[0].id}`);
    const rows = await queryRows<{ id: string; channel: 'online' | 'onsite'; cast_at: Date }>(
      this.dataSource,
      `SELECT id, channel, cast_at FROM budget_ballots WHERE budget_id = $1 AND voter_key = ANY($2::text[])`,
      [budgetId, keys],
    );
    const ballot = rows[0];
    if (!ballot) return { ballots: [], channel: null, castAt: null };
    const choices = await queryRows<{ heading_id: string; project_id: string }>(
      this.dataSource,
      `SELECT heading_id, project_id FROM budget_ballot_choices WHERE ballot_id = $1 ORDER BY heading_id, rank`,
      [ballot.id],
    );
    const byHeading = new Map<string, string[]>();
    for (const c of choices)
      byHeading.set(c.heading_id, [...(byHeading.get(c.heading_id) ?? []), c.project_id]);
    return {
      ballots: [...byHeading].map(([headingId, projectIds]) => ({ headingId, projectIds })),
      channel: ballot.channel,
      castAt: ballot.cast_at.toISOString(),
    };
  }

  async withdraw(auth: AuthUser, budgetId: string): Promise<BallotView> {
    await this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      this.requirePhase(budget, 'voting');
      const headings = await loadHeadings(work.tx, budgetId);
      const voter = await this.onlineVoter(work.tx, budget, auth.id, headings);
      const rows = await queryRows<{ channel: string }>(
        work.tx,
        `SELECT channel FROM budget_ballots WHERE budget_id = $1 AND voter_key = $2 FOR UPDATE`,
        [budgetId, voter.key],
      );
      if (rows[0]?.channel === 'onsite') {
        throw Problem.conflict('already_voted', msg('budgets.already_voted_onsite'));
      }
      if (!rows[0]) return;
      await work.tx.query(`DELETE FROM budget_ballots WHERE budget_id = $1 AND voter_key = $2`, [
        budgetId,
        voter.key,
      ]);
      work.emit(domainEvent('budget.ballots_changed', { budgetId, spaceId: budget.space_id }));
    });
    return { ballots: [], channel: null, castAt: null };
  }

  /** An officer records a roll line's ballot at a booth; the line then cannot vote online. */
  async castOnsite(
    auth: AuthUser,
    budgetId: string,
    dto: OnsiteBallotDto,
  ): Promise<{ ref: string; ballots: BallotEntry[] }> {
    await this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      this.requirePhase(budget, 'voting');
      if (budget.electorate !== 'roll')
        throw Problem.conflict('conflict', msg('budgets.onsite_roll_only'));
      const lines = await queryRows<{ id: string; heading_id: string | null; class_key: string }>(
        work.tx,
        `SELECT id, heading_id, class_key FROM budget_voters WHERE budget_id = $1 AND ref = $2`,
        [budgetId, dto.ref],
      );
      const line = lines[0];
      if (!line) throw Problem.notFound('Voter');
      const headings = await loadHeadings(work.tx, budgetId);
      const voter: Voter = {
        key: `voter:${line.id}`,
        voterId: line.id,
        classKey: line.class_key,
        heading: headings.find((h) => h.id === line.heading_id) ?? null,
      };
      await this.checkEntries(work.tx, budget, headings, dto.ballots, voter);
      const rows = await queryRows<{ id: string }>(
        work.tx,
        `INSERT INTO budget_ballots (budget_id, voter_key, voter_id, class_key, channel, recorded_by)
         VALUES ($1, $2, $3, $4, 'onsite', $5)
         ON CONFLICT (budget_id, voter_key) DO NOTHING RETURNING id`,
        [budgetId, voter.key, line.id, line.class_key, auth.id],
      );
      const ballot = rows[0];
      if (!ballot)
        throw Problem.conflict('already_voted', msg('budgets.already_voted', { ref: dto.ref }));
      await this.writeChoices(work.tx, budgetId, ballot.id, dto.ballots);
      // The audit names the line and the officer, never what was chosen: the ballot is secret.
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'budget.onsite_ballot',
        targetType: 'budget_voter',
        targetId: line.id,
        after: { ref: dto.ref },
      });
      work.emit(domainEvent('budget.ballots_changed', { budgetId, spaceId: budget.space_id }));
    });
    return { ref: dto.ref, ballots: dto.ballots };
  }

  async paperTotals(auth: AuthUser, budgetId: string, dto: PaperTotalDto): Promise<string> {
    return this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      await this.access.requireFacilitator(auth, budget.space_id, work.tx);
      this.requirePhase(budget, 'voting');
      if (budget.rule_kind === 'ranked')
        throw Problem.conflict('conflict', msg('budgets.paper_ranked'));
      const headings = await loadHeadings(work.tx, budgetId);
      if (!headings.some((h) => h.id === dto.headingId))
        throw Problem.field('headingId', 'unknown_heading');
      const classKey = dto.classKey ?? budget.voter_classes[0]!.key;
      if (!budget.voter_classes.some((c) => c.key === classKey))
        throw Problem.field('classKey', 'unknown_class');
      const projects = new Map((await loadProjects(work.tx, budgetId)).map((p) => [p.id, p]));
      const bad: FieldProblem[] = [];
      const over: FieldProblem[] = [];
      for (const [projectId, n] of Object.entries(dto.counts)) {
        const project = projects.get(projectId);
        const field = `counts.${projectId}`;
        if (!project || project.headingId !== dto.headingId || !onBallot(project.status)) {
          bad.push(fieldProblem(field, 'not_on_ballot', 'is not on the ballot of this heading'));
        } else if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
          bad.push(fieldProblem(field, 'count', 'must be a whole number of 0 or more'));
        } else if (n > dto.ballots) {
          over.push(
            fieldProblem(field, 'max', `must not be greater than ${dto.ballots}`, {
              max: dto.ballots,
            }),
          );
        }
      }
      if (bad.length > 0) throw Problem.badRequest(msg('code.validation_failed'), bad);
      if (over.length > 0) {
        throw new Problem(422, 'unprocessable', msg('budgets.counts_over_ballots'), over);
      }
      let id: string;
      try {
        const rows = await queryRows<{ id: string }>(
          work.tx,
          `INSERT INTO budget_paper_totals (budget_id, station, heading_id, class_key, ballots, counts, entered_by)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id`,
          [
            budgetId,
            dto.station,
            dto.headingId,
            classKey,
            dto.ballots,
            JSON.stringify(dto.counts),
            auth.id,
          ],
        );
        id = rows[0]!.id;
      } catch (error) {
        if (isUniqueViolation(error, 'budget_paper_totals_station_uq')) {
          throw Problem.conflict(
            'already_entered',
            msg('budgets.paper_entered', { station: dto.station }),
          );
        }
        throw error;
      }
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'budget.paper_totals',
        targetType: 'budget_paper',
        targetId: id,
        after: {
          station: dto.station,
          headingId: dto.headingId,
          classKey,
          ballots: dto.ballots,
          counts: dto.counts,
        },
      });
      work.emit(domainEvent('budget.ballots_changed', { budgetId, spaceId: budget.space_id }));
      return id;
    });
  }

  // ---- results ------------------------------------------------------------------------------

  /** Whether counts may be shown: after voting, or during it with a public live tally. */
  static tallyPublic(budget: Pick<BudgetRow, 'phase' | 'live_tally'>): boolean {
    return (
      budget.phase === 'results' ||
      budget.phase === 'execution' ||
      (budget.phase === 'voting' && budget.live_tally)
    );
  }

  requireTallyPublic(budget: BudgetRow): void {
    if (!BudgetsService.tallyPublic(budget)) {
      throw Problem.conflict(
        'results_not_public',
        msg('budgets.results_not_public', { current: term(budget.phase) }),
      );
    }
  }

  /** The results, read in one snapshot so every count is of the same moment. */
  async results(budgetId: string): Promise<ResultsView> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const budget = await this.budgetRow(tx, budgetId);
      this.requireTallyPublic(budget);
      return this.resultsOf(tx, budget);
    });
  }

  async resultsOf(tx: EntityManager, budget: BudgetRow): Promise<ResultsView> {
    const headings = await loadHeadings(tx, budget.id);
    const names = new Map(headings.map((h) => [h.id, h.name]));
    const tally = await tallyBudget(tx, budget);
    return {
      budgetId: budget.id,
      phase: budget.phase,
      final: budget.phase === 'results' || budget.phase === 'execution',
      headings: tally.map((h) => ({ ...h, name: names.get(h.headingId) ?? '' })),
    };
  }

  static readonly PHASES = BUDGET_PHASES;
}
