import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/http/pagination';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { SpaceAccessService } from '../spaces/space-access.service';
import { SpacesRepository } from '../spaces/spaces.repository';
import { type BudgetPhase, type ProjectStatus, type RuleKind } from './budget-rules';
import { ruleOf } from './budget-tally';
import { type BudgetRow } from './budgets.repository';
import { type ListProjectsQuery } from './dto/budget.dto';

export interface HeadingView {
  id: string;
  name: string;
  amount: number;
  group: string | null;
  maxChoices: number | null;
  projectCount: number;
}

export interface BudgetView {
  id: string;
  spaceId: string;
  title: string;
  description: string;
  totalAmount: number;
  rule: { kind: RuleKind; maxChoices: number | null; minSpendRatio: number | null };
  electorate: 'open' | 'roll';
  voterClasses: { key: string; name: string; weight: number }[];
  liveTally: boolean;
  phase: BudgetPhase;
  phases: { phase: string; startsAt?: string; endsAt?: string }[];
  roomId: string | null;
  headings: HeadingView[];
  projectCounts: Record<ProjectStatus | 'total', number>;
  timeline: {
    seq: number;
    type: string;
    data: Record<string, unknown>;
    actorName: string | null;
    createdAt: string;
  }[];
  /** For the caller: may they manage it, are they on its roll, have they voted. */
  viewer: {
    canManage: boolean;
    onRoll: boolean;
    voted: boolean;
    channel: 'online' | 'onsite' | null;
  };
  createdAt: string;
}

export interface ProjectView {
  id: string;
  budgetId: string;
  headingId: string;
  headingName: string;
  topicId: string;
  proposer: { id: string; displayName: string };
  title: string;
  summary: string;
  body: string;
  amount: number;
  /** The reviewed cost when the review gave one, else the amount asked. */
  cost: number;
  category: string | null;
  location: string | null;
  status: ProjectStatus;
  /** The thread's counts: supports (agrees) and comments. Never vote counts. */
  agreeCount: number;
  commentCount: number;
  myAgree: boolean | null;
  review: {
    feasible: boolean;
    cost: number | null;
    explanation: string;
    reviewedAt: string;
  } | null;
  milestones: { id: string; title: string; body: string | null; date: string; progress: number }[];
  createdAt: string;
}

/** A station's paper totals as the office lists them: who entered what, never the counts. */
export interface PaperEntryView {
  id: string;
  station: string;
  headingId: string;
  headingName: string;
  classKey: string;
  ballots: number;
  enteredBy: { id: string; displayName: string };
  createdAt: string;
}

interface ProjectRow {
  id: string;
  budget_id: string;
  heading_id: string;
  heading_name: string;
  topic_id: string;
  proposer_id: string;
  proposer_name: string;
  title: string;
  summary: string;
  body: string;
  amount: string;
  category: string | null;
  location: string | null;
  status: ProjectStatus;
  created_at: Date;
  agree_count: number;
  comment_count: number;
  my_agree: boolean | null;
  feasible: boolean | null;
  cost: string | null;
  explanation: string | null;
  reviewed_at: Date | null;
}

const PROJECT_SELECT = `
  SELECT p.*, h.name AS heading_name, u.display_name AS proposer_name, t.agree_count, t.comment_count,
         CASE WHEN $1::uuid IS NULL THEN NULL
              ELSE EXISTS (SELECT 1 FROM topic_agrees a WHERE a.topic_id = t.id AND a.user_id = $1::uuid) END AS my_agree,
         r.feasible, r.cost, r.explanation, r.reviewed_at
    FROM budget_projects p
    JOIN budget_headings h ON h.id = p.heading_id
    JOIN users u ON u.id = p.proposer_id
    JOIN topics t ON t.id = p.topic_id
    LEFT JOIN budget_project_reviews r ON r.project_id = p.id`;

/** The public reads of budgets and projects: never a vote count (see results for those). */
@Injectable()
export class BudgetQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: SpaceAccessService,
    private readonly spaces: SpacesRepository,
  ) {}

  async budget(id: string, auth?: AuthUser): Promise<BudgetView> {
    const rows = await queryRows<BudgetRow>(
      this.dataSource,
      `SELECT * FROM budgets WHERE id = $1`,
      [id],
    );
    const budget = rows[0];
    if (!budget) throw Problem.notFound('Budget');
    return (await this.views([budget], auth))[0]!;
  }

  /** The space of a room (through its topic), to link a budget's assembly to a room of its own space. */
  async roomSpace(db: Queryable, roomId: string): Promise<string | undefined> {
    const rooms = await queryRows<{ space_id: string }>(
      db,
      `SELECT t.space_id FROM rooms r JOIN topics t ON t.id = r.topic_id WHERE r.id = $1`,
      [roomId],
    );
    return rooms[0]?.space_id;
  }

  async list(spaceId: string, auth?: AuthUser): Promise<{ items: BudgetView[]; nextCursor: null }> {
    if (!(await this.spaces.exists(this.dataSource, spaceId))) throw Problem.notFound('Space');
    const rows = await queryRows<BudgetRow>(
      this.dataSource,
      `SELECT * FROM budgets WHERE space_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`,
      [spaceId],
    );
    return { items: await this.views(rows, auth), nextCursor: null };
  }

  private async views(budgets: BudgetRow[], auth?: AuthUser): Promise<BudgetView[]> {
    const ids = budgets.map((b) => b.id);
    if (ids.length === 0) return [];
    const [headings, counts, events, viewer] = await Promise.all([
      queryRows<{
        id: string;
        budget_id: string;
        name: string;
        amount: string;
        group_name: string | null;
        max_choices: number | null;
        project_count: number;
      }>(
        this.dataSource,
        `SELECT h.*, (SELECT count(*)::int FROM budget_projects p WHERE p.heading_id = h.id) AS project_count
           FROM budget_headings h WHERE h.budget_id = ANY($1::uuid[])
          ORDER BY h.group_name NULLS FIRST, h.created_at, h.id`,
        [ids],
      ),
      queryRows<{ budget_id: string; status: ProjectStatus; n: number }>(
        this.dataSource,
        `SELECT budget_id, status, count(*)::int AS n FROM budget_projects WHERE budget_id = ANY($1::uuid[]) GROUP BY 1, 2`,
        [ids],
      ),
      queryRows<{
        budget_id: string;
        seq: number;
        type: string;
        data: Record<string, unknown>;
        actor_name: string | null;
        created_at: Date;
      }>(
        this.dataSource,
        `SELECT e.budget_id, e.seq, e.type, e.data, u.display_name AS actor_name, e.created_at
           FROM budget_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.budget_id = ANY($1::uuid[]) ORDER BY e.seq`,
        [ids],
      ),
      auth
        ? queryRows<{ budget_id: string; on_roll: boolean; channel: 'online' | 'onsite' | null }>(
            this.dataSource,
            `SELECT b.id AS budget_id,
                    EXISTS (SELECT 1 FROM budget_voters v WHERE v.budget_id = b.id AND v.user_id = $2) AS on_roll,
                    (SELECT bb.channel FROM budget_ballots bb
                      WHERE bb.budget_id = b.id AND (bb.voter_key = 'user:' || $2::text
                         OR bb.voter_key IN (SELECT 'voter:' || v.id FROM budget_voters v WHERE v.budget_id = b.id AND v.user_id = $2))
                      LIMIT 1) AS channel
               FROM budgets b WHERE b.id = ANY($1::uuid[])`,
            [ids, auth.id],
          )
        : Promise.resolve([]),
    ]);
    const views: BudgetView[] = [];
    for (const b of budgets) {
      const projectCounts = {
        submitted: 0,
        feasible: 0,
        unfeasible: 0,
        selected: 0,
        not_selected: 0,
        total: 0,
      };
      for (const c of counts.filter((c) => c.budget_id === b.id)) {
        projectCounts[c.status] = c.n;
        projectCounts.total += c.n;
      }
      const mine = viewer.find((v) => v.budget_id === b.id);
      views.push({
        id: b.id,
        spaceId: b.space_id,
        title: b.title,
        description: b.description,
        totalAmount: Number(b.total_amount),
        rule: ruleOf(b),
        electorate: b.electorate,
        voterClasses: b.voter_classes,
        liveTally: b.live_tally,
        phase: b.phase,
        phases: b.phases,
        roomId: b.room_id,
        headings: headings
          .filter((h) => h.budget_id === b.id)
          .map((h) => ({
            id: h.id,
            name: h.name,
            amount: Number(h.amount),
            group: h.group_name,
            maxChoices: h.max_choices,
            projectCount: h.project_count,
          })),
        projectCounts,
        timeline: events
          .filter((e) => e.budget_id === b.id)
          .map((e) => ({
            seq: e.seq,
            type: e.type,
            data: e.data,
            actorName: e.actor_name,
            createdAt: e.created_at.toISOString(),
          })),
        viewer: {
          canManage: await this.access.isFacilitator(auth, b.space_id),
          onRoll: mine?.on_roll ?? false,
          voted: !!mine?.channel,
          channel: mine?.channel ?? null,
        },
        createdAt: b.created_at.toISOString(),
      });
    }
    return views;
  }

  /**
   * The paper totals entered so far, for the budget's facilitators: which stations, headings and
   * classes are in, and how many ballots each counted. The counts per project stay out, as every
   * count does before results (the results route gives them when they are public).
   */
  async paperEntries(budgetId: string, auth: AuthUser): Promise<{ items: PaperEntryView[] }> {
    const budgets = await queryRows<{ space_id: string }>(
      this.dataSource,
      `SELECT space_id FROM budgets WHERE id = $1`,
      [budgetId],
    );
    if (!budgets[0]) throw Problem.notFound('Budget');
    await this.access.requireFacilitator(auth, budgets[0].space_id);
    const rows = await queryRows<{
      id: string;
      station: string;
      heading_id: string;
      heading_name: string;
      class_key: string;
      ballots: number;
      entered_by: string;
      entered_name: string;
      created_at: Date;
    }>(
      this.dataSource,
      `SELECT t.id, t.station, t.heading_id, h.name AS heading_name, t.class_key, t.ballots,
              t.entered_by, u.display_name AS entered_name, t.created_at
         FROM budget_paper_totals t
         JOIN budget_headings h ON h.id = t.heading_id
         JOIN users u ON u.id = t.entered_by
        WHERE t.budget_id = $1 ORDER BY t.created_at, t.id`,
      [budgetId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        station: r.station,
        headingId: r.heading_id,
        headingName: r.heading_name,
        classKey: r.class_key,
        ballots: r.ballots,
        enteredBy: { id: r.entered_by, displayName: r.entered_name },
        createdAt: r.created_at.toISOString(),
      })),
    };
  }

  async projects(
    budgetId: string,
    query: ListProjectsQuery,
    auth?: AuthUser,
  ): Promise<Page<ProjectView>> {
    const budgets = await queryRows(this.dataSource, `SELECT 1 FROM budgets WHERE id = $1`, [
      budgetId,
    ]);
    if (budgets.length === 0) throw Problem.notFound('Budget');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.cursor ? Number(decodeCursor(query.cursor, 1)[0]) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw Problem.field('cursor', 'cursor');
    const params: unknown[] = [auth?.id ?? null, budgetId];
    const where = ['p.budget_id = $2'];
    if (query.headingId) {
      params.push(query.headingId);
      where.push(`p.heading_id = $${params.length}`);
    }
    if (query.status) {
      params.push(query.status);
      where.push(`p.status = $${params.length}`);
    }
    // `random` is stable per viewer: the order of a hash of the project and the viewer, so a
    // resident paging through sees each project once and nobody is always first.
    const sort = query.sort ?? 'random';
    let order =
      sort === 'amount'
        ? `p.amount, p.created_at, p.id`
        : sort === 'oldest'
          ? `p.created_at, p.id`
          : `p.created_at DESC, p.id DESC`;
    if (sort === 'random') {
      params.push(auth?.id ?? 'anonymous');
      order = `md5(p.id::text || $${params.length}::text), p.id`;
    }
    params.push(limit + 1, offset);
    const rows = await queryRows<ProjectRow>(
      this.dataSource,
      `${PROJECT_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order}
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map((r) => this.projectView(r, []));
    return { items, nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null };
  }

  async project(id: string, auth?: AuthUser): Promise<ProjectView> {
    const rows = await queryRows<ProjectRow>(this.dataSource, `${PROJECT_SELECT} WHERE p.id = $2`, [
      auth?.id ?? null,
      id,
    ]);
    const row = rows[0];
    if (!row) throw Problem.notFound('Project');
    const milestones = await queryRows<{
      id: string;
      title: string;
      body: string | null;
      date: string;
      progress: number;
    }>(
      this.dataSource,
      `SELECT id, title, body, to_char(date, 'YYYY-MM-DD') AS date, progress FROM budget_milestones
        WHERE project_id = $1 ORDER BY date, created_at`,
      [id],
    );
    return this.projectView(row, milestones);
  }

  private projectView(r: ProjectRow, milestones: ProjectView['milestones']): ProjectView {
    return {
      id: r.id,
      budgetId: r.budget_id,
      headingId: r.heading_id,
      headingName: r.heading_name,
      topicId: r.topic_id,
      proposer: { id: r.proposer_id, displayName: r.proposer_name },
      title: r.title,
      summary: r.summary,
      body: r.body,
      amount: Number(r.amount),
      cost: Number(r.cost ?? r.amount),
      category: r.category,
      location: r.location,
      status: r.status,
      agreeCount: r.agree_count,
      commentCount: r.comment_count,
      myAgree: r.my_agree,
      review:
        r.feasible === null
          ? null
          : {
              feasible: r.feasible,
              cost: r.cost === null ? null : Number(r.cost),
              explanation: r.explanation ?? '',
              reviewedAt: r.reviewed_at!.toISOString(),
            },
      milestones,
      createdAt: r.created_at.toISOString(),
    };
  }
}
