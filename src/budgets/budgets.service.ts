import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { GroupedBatchLoader, GroupedBatchWriter } from '../core/database/batch-loader';
import { isUniqueViolation } from '../core/database/errors';
import { type Queryable } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { msg, Problem, type FieldProblem, term } from '../core/http/problem';
import { type FieldRuleKey } from '../core/http/i18n/messages';
import { type AuthUser } from '../identity/auth/auth-user';
import { type BudgetTally } from '../protocol/live';
import { AuditService } from '../moderation/audit.service';
import { BanCheck, bannedFromSpace } from '../moderation/bans.guard';
import { SpaceAccessService } from '../spaces/space-access.service';
import { SpacesRepository } from '../spaces/spaces.repository';
import { FollowsRepository } from '../notifications/follows.repository';
import { TopicEventsRepository } from '../topics/topic-events.repository';
import { TopicsRepository } from '../topics/topics.repository';
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
import {
  type BallotContext,
  BudgetBallotsRepository,
  type FirstBallot,
  type RollLine,
} from './budget-ballots.repository';
import { BudgetNoticesRepository } from './budget-notices.repository';
import { BudgetProjectsRepository } from './budget-projects.repository';
import { BudgetQueries } from './budget-queries';
import {
  headingOf,
  loadHeadings,
  loadProjects,
  type ProjectFacts,
  projectOf,
  ruleOf,
  tallyBudget,
} from './budget-tally';
import { type BudgetLock, type BudgetRow, BudgetsRepository } from './budgets.repository';
import {
  type BallotDto,
  type CreateBudgetDto,
  type HeadingDto,
  type MilestoneDto,
  type OnsiteBallotDto,
  type PaperTotalDto,
  type PhaseDateDto,
  type ProjectDto,
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

/** Where the voter stands: the key their one ballot is kept under, their class and heading. */
interface Voter {
  key: string;
  voterId: string | null;
  classKey: string;
  heading: HeadingInfo | null;
}

/** A first ballot in its turn's batch, with the space its event is published for. */
type QueuedBallot = FirstBallot & { spaceId: string };

/** What the batch wrote of one first ballot: `castAt` null when its voter already had one. */
interface FirstCast {
  open: boolean;
  castAt: Date | null;
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
    private readonly budgetsRepo: BudgetsRepository,
    private readonly projects: BudgetProjectsRepository,
    private readonly ballots: BudgetBallotsRepository,
    private readonly queries: BudgetQueries,
    private readonly topics: TopicsRepository,
    private readonly topicEvents: TopicEventsRepository,
    private readonly spaces: SpacesRepository,
  ) {}

  /**
   * A rush of first ballots before a close shares its reads and writes per budget and per turn
   * of the event loop: one read of the budget, its headings and projects with every voter's ban
   * and roll line, and one statement writing every ballot (one lock on the budget row, one
   * commit), as topic agrees share theirs. Each request still gets its own answer or refusal.
   */
  private readonly firstContexts = new GroupedBatchLoader<string, string, BallotContext | null>(
    async (budgetId, userIds) => {
      const found = await this.ballots.ballotContexts(budgetId, userIds);
      // null: no such budget, for every voter of the batch.
      return found ?? new Map(userIds.map((u) => [u, null]));
    },
  );
  private readonly firstWrites = new GroupedBatchWriter<string, QueuedBallot, FirstCast>(
    async (budgetId, queued) => {
      // A voter's second submission in the same turn is not written with the first: it finds
      // the first's ballot and replaces it (`replaceBallot`), as if it had come a moment later.
      const seen = new Set<string>();
      const firsts = queued.map((b) => {
        if (seen.has(b.voter.key)) return false;
        seen.add(b.voter.key);
        return true;
      });
      const { open, castAt } = await this.ballots.castFirst(
        budgetId,
        queued.filter((_b, i) => firsts[i]),
      );
      if (castAt.size > 0) {
        this.bus.publish([
          domainEvent('budget.ballots_changed', { budgetId, spaceId: queued[0]!.spaceId }),
        ]);
      }
      return queued.map((b, i) => ({
        open,
        castAt: firsts[i] ? (castAt.get(b.voter.key) ?? null) : null,
      }));
    },
  );

  // ---- budgets ------------------------------------------------------------------------------

  async budgetRow(db: Queryable, id: string, lock: BudgetLock = ''): Promise<BudgetRow> {
    const budget = await this.budgetsRepo.row(db, id, lock);
    if (!budget) throw Problem.notFound('Budget');
    return budget;
  }

  /** The budget under `lock`, for one of its space's facilitators (a 403 for anyone else). */
  private async facilitatedBudget(
    work: Work,
    auth: AuthUser,
    id: string,
    lock: BudgetLock,
  ): Promise<BudgetRow> {
    const budget = await this.budgetRow(work.tx, id, lock);
    await this.access.requireFacilitator(auth, budget.space_id, work.tx);
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
      if (!(await this.spaces.exists(work.tx, spaceId))) throw Problem.notFound('Space');
      await this.access.requireFacilitator(auth, spaceId, work.tx);
      const id = await this.budgetsRepo.insert(work.tx, {
        spaceId,
        createdBy: auth.id,
        title: dto.title,
        description: dto.description ?? '',
        totalAmount: dto.totalAmount,
        rule: dto.rule,
        electorate: dto.electorate,
        voterClasses: classes,
        liveTally: dto.liveTally ?? false,
        phases: dto.phases ?? [],
      });
      await this.budgetsRepo.appendEvent(work.tx, id, 'created', auth.id, { phase: 'proposals' });
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

  async update(auth: AuthUser, id: string, dto: UpdateBudgetDto): Promise<void> {
    if (dto.voterClasses) this.checkClasses(dto.voterClasses);
    if (dto.rule) this.checkRule(dto.rule);
    if (dto.phases) this.checkPhases(dto.phases);
    await this.uow.run(async (work) => {
      const budget = await this.facilitatedBudget(work, auth, id, 'FOR UPDATE');
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
        if ((await this.queries.roomSpace(work.tx, dto.roomId)) !== budget.space_id)
          throw Problem.field('roomId', 'room_other_space');
      }
      if (!(await this.budgetsRepo.update(work.tx, id, dto))) return;
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
      const budget = await this.facilitatedBudget(work, auth, id, 'FOR UPDATE');
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
      await this.projects.markSelected(work.tx, budget.id, selected);
      await this.notices.selected(work.tx, budget.id, actorId);
    }
    await this.budgetsRepo.setPhase(work.tx, budget.id, to);
    await this.notices.phase(work.tx, budget.id, actorId, budget.phase, to);
    const seq = await this.budgetsRepo.appendEvent(work.tx, budget.id, 'phase', actorId, {
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
      const budget = await this.facilitatedBudget(work, auth, budgetId, 'FOR UPDATE');
      this.requireBefore(budget, 'voting');
      let id: string;
      try {
        id = await this.budgetsRepo.insertHeading(work.tx, budgetId, dto);
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

  async createProject(auth: AuthUser, budgetId: string, dto: ProjectDto): Promise<string> {
    return this.uow.run(async (work) => {
      const budget = await this.budgetRow(work.tx, budgetId, 'FOR KEY SHARE');
      this.requirePhase(budget, 'proposals');
      await this.bans.assertNotBanned(work.tx, budget.space_id, auth.id);
      if (!(await this.budgetsRepo.headingExists(work.tx, budgetId, dto.headingId)))
        throw Problem.field('headingId', 'unknown_heading');
      // The project's thread is a topic of its own (see `insertProjectThread`).
      const topicId = await this.topics.insertProjectThread(work.tx, {
        spaceId: budget.space_id,
        authorId: auth.id,
        title: dto.title,
        body: `${dto.summary}\n\n${dto.body}`,
      });
      const seq = await this.topicEvents.append(work.tx, topicId, 'created', auth.id, {
        title: dto.title,
      });
      const projectId = await this.projects.insert(work.tx, {
        budgetId,
        headingId: dto.headingId,
        topicId,
        proposerId: auth.id,
        title: dto.title,
        summary: dto.summary,
        body: dto.body,
        amount: dto.amount,
        category: dto.category,
        location: dto.location,
      });
      // A proposer hears what becomes of the project (its thread) and of the budget's phases.
      await this.follows.follow(work.tx, auth.id, 'topic', topicId);
      await this.follows.follow(work.tx, auth.id, 'budget', budgetId);
      work.emit(domainEvent('topic.created', { topicId, spaceId: budget.space_id, seq }));
      return projectId;
    });
  }

  async review(auth: AuthUser, projectId: string, dto: ReviewDto): Promise<void> {
    await this.uow.run(async (work) => {
      const project = await this.projects.lockForReview(work.tx, projectId);
      if (!project) throw Problem.notFound('Project');
      const budget = await this.facilitatedBudget(work, auth, project.budget_id, 'FOR KEY SHARE');
      this.requirePhase(budget, 'review');
      await this.projects.saveReview(work.tx, projectId, {
        reviewerId: auth.id,
        feasible: dto.feasible,
        cost: dto.cost,
        explanation: dto.explanation,
      });
      const status = dto.feasible ? 'feasible' : 'unfeasible';
      await this.projects.setStatus(work.tx, projectId, status);
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
      const projectBudget = await this.projects.budgetOf(work.tx, projectId);
      if (!projectBudget) throw Problem.notFound('Project');
      const budget = await this.facilitatedBudget(work, auth, projectBudget, 'FOR KEY SHARE');
      this.requirePhase(budget, 'execution');
      const day = new Date(`${dto.date}T00:00:00Z`);
      if (Number.isNaN(day.getTime()) || !day.toISOString().startsWith(dto.date)) {
        throw Problem.field('date', 'day');
      }
      const id = await this.budgetsRepo.insertMilestone(work.tx, projectId, dto, auth.id);
      await this.audit.record(work.tx, {
        spaceId: budget.space_id,
        actorId: auth.id,
        action: 'project.milestone',
        targetType: 'budget_project',
        targetId: projectId,
        after: { ...dto },
      });
      return id;
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
      const budget = await this.facilitatedBudget(work, auth, budgetId, 'FOR KEY SHARE');
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
      const rows = await this.ballots.mergeRoll(
        work.tx,
        budgetId,
        accepted.map((a) => ({
          ref: a.ref,
          headingId: a.headingId,
          classKey: a.classKey,
          codeHash: hashCode(a.code),
        })),
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
      let line: { ref: string; heading_id: string | null; class_key: string } | undefined;
      try {
        line = await this.ballots.claimLine(work.tx, budgetId, hash, auth.id);
      } catch (error) {
        if (isUniqueViolation(error, 'budget_voters_user_uq')) {
          throw Problem.conflict('code_claimed', msg('budgets.already_claimed_line'));
        }
        throw error;
      }
      if (!line) {
        if (!(await this.ballots.codeKnown(work.tx, budgetId, hash)))
          throw Problem.notFound('Code');
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
    const line = await this.ballots.lineOf(tx, budget.id, userId);
    return this.voterOf(budget, userId, line, headings);
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

  /**
   * Casts or replaces the voter's online ballot, whole. A voter's first ballot — nearly every
   * ballot of a rush before the close — is one read and one statement (`castFirst`), each shared
   * by the first ballots of the same turn of the event loop; a change,
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
   * The voter's first ballot. What the checks need is read first, unlocked, in one query shared
   * with the turn's other first ballots of the budget (`firstContexts`): the budget, the voter's
   * ban and roll line, the headings and projects (which no longer change once voting has
   * begun). The write is one statement, its own transaction, shared the same way
   * (`firstWrites`): it takes the budget row FOR KEY SHARE and finds it still in `voting` (a
   * phase move, FOR UPDATE, waits for it or it for the move, as in `replaceBallot`), inserts the
   * ballot unless the voter has one, and its choices with it. 'exists': the voter has a ballot;
   * nothing was written.
   */
  private async castFirst(
    auth: AuthUser,
    budgetId: string,
    entries: BallotEntry[],
  ): Promise<BallotView | 'exists'> {
    const budget = await this.firstContexts.get(budgetId, auth.id);
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
    const { open, castAt } = await this.firstWrites.submit(budgetId, {
      userId: auth.id,
      spaceId: budget.space_id,
      voter,
      entries,
    });
    // The budget left `voting` between the read and the write: say where it is now.
    if (!open) this.requirePhase(await this.budgetRow(this.dataSource.manager, budgetId), 'voting');
    if (!open || !castAt) return 'exists';
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
    const ballotId = await this.ballots.upsertOnline(work.tx, budgetId, auth.id, voter);
    if (!ballotId) throw Problem.conflict('already_voted', msg('budgets.already_voted_onsite'));
    await this.ballots.writeChoices(work.tx, budgetId, ballotId, entries);
    work.emit(domainEvent('budget.ballots_changed', { budgetId, spaceId: budget.space_id }));
  }

  async myBallot(auth: AuthUser, budgetId: string): Promise<BallotView> {
    const budget = await this.budgetRow(this.dataSource, budgetId);
    const keys = [`user:${auth.id}`];
    const line = await this.ballots.lineOf(this.dataSource.manager, budget.id, auth.id);
    if (line) keys.push(`voter:${line.id}`);
    const ballot = await this.ballots.ballotOf(budgetId, keys);
    if (!ballot) return { ballots: [], channel: null, castAt: null };
    const choices = await this.ballots.choicesOf(ballot.id);
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
      const channel = await this.ballots.lockChannel(work.tx, budgetId, voter.key);
      if (channel === 'onsite') {
        throw Problem.conflict('already_voted', msg('budgets.already_voted_onsite'));
      }
      if (!channel) return;
      await this.ballots.delete(work.tx, budgetId, voter.key);
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
      const budget = await this.facilitatedBudget(work, auth, budgetId, 'FOR KEY SHARE');
      this.requirePhase(budget, 'voting');
      if (budget.electorate !== 'roll')
        throw Problem.conflict('conflict', msg('budgets.onsite_roll_only'));
      const line = await this.ballots.lineByRef(work.tx, budgetId, dto.ref);
      if (!line) throw Problem.notFound('Voter');
      const headings = await loadHeadings(work.tx, budgetId);
      const voter: Voter = {
        key: `voter:${line.id}`,
        voterId: line.id,
        classKey: line.class_key,
        heading: headings.find((h) => h.id === line.heading_id) ?? null,
      };
      await this.checkEntries(work.tx, budget, headings, dto.ballots, voter);
      const ballotId = await this.ballots.insertOnsite(work.tx, budgetId, voter, auth.id);
      if (!ballotId)
        throw Problem.conflict('already_voted', msg('budgets.already_voted', { ref: dto.ref }));
      await this.ballots.writeChoices(work.tx, budgetId, ballotId, dto.ballots);
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
      const budget = await this.facilitatedBudget(work, auth, budgetId, 'FOR KEY SHARE');
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
        id = await this.ballots.insertPaperTotals(work.tx, budgetId, {
          station: dto.station,
          headingId: dto.headingId,
          classKey,
          ballots: dto.ballots,
          counts: dto.counts,
          enteredBy: auth.id,
        });
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
