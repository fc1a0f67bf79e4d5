import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { DEFAULT_LIMIT, decodeKeyset, type Page, toPage } from '../core/http/pagination';
import { msg, Problem, term } from '../core/http/problem';
import { type Lang } from '../core/http/i18n/lang';
import { renderMessage } from '../core/http/i18n/localize';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck } from '../moderation/bans.guard';
import { AuditService } from '../moderation/audit.service';
import { SpaceAccessService } from '../spaces/space-access.service';
import { type Thresholds } from '../spaces/space.entity';
import {
  type CreateTopicDto,
  type ListTopicsQuery,
  type ResponseDto,
  type StanceDto,
  type TimelineEntry,
  type TimelineQuery,
  type TopicView,
  type TransitionDto,
  type UpdateTopicDto,
} from './dto/topic.dto';
import { LadderService } from './ladder.service';
import { causeMessage, causeOf } from './system-cause';
import { ANSWERABLE_STATUSES, assertManualTransition, ladderProgress } from './topic-lifecycle';
import { appendTopicEvent } from './topic-events';
import { TIMELINE_TYPES } from './topic-event.entity';
import { type Stance } from './topic-participation.entity';
import { type Rung, type TopicStatus } from './topic.entity';

interface TopicRow {
  id: string;
  space_id: string;
  author_id: string;
  author_name: string;
  title: string;
  body: string;
  tags: string[];
  status: TopicStatus;
  rung: Rung;
  agree_count: number;
  comment_count: number;
  participant_count: number;
  stance_for: number;
  stance_against: number;
  stance_neutral: number;
  seq: number;
  proposal_expires_at: Date;
  deliberation_opened_at: Date | null;
  closes_at: Date | null;
  rejected_reason: string | null;
  last_activity_at: Date;
  created_at: Date;
  updated_at: Date;
  thresholds: Thresholds;
  my_agree: boolean | null;
  my_stance: Stance | null;
  created_key: string;
  active_key: string;
  needed_key: number;
}

/**
 * What the next rung still asks of an open topic (agrees before the deliberation, participants
 * during it); NULL for topics that climb no more. The same rule as `ladderProgress`.
 */
const NEEDED = `(CASE
    WHEN t.status IN ('proposed', 'under_review') AND t.rung < 1
      THEN GREATEST(0, (s.thresholds->>'review')::int - t.agree_count)
    WHEN t.status IN ('proposed', 'under_review') AND t.rung < 2
      THEN GREATEST(0, (s.thresholds->>'deliberation')::int - t.agree_count)
    WHEN t.status = 'deliberating' AND t.rung < 3
      THEN GREATEST(0, (s.thresholds->>'response')::int - t.participant_count)
  END)`;

const TOPIC_SELECT = `
  SELECT t.*, u.display_name AS author_name, s.thresholds,
         -- Full-precision keys for cursors (a JS Date would drop the microseconds).
         t.created_at::text AS created_key, t.last_activity_at::text AS active_key,
         ${NEEDED} AS needed_key,
         CASE WHEN $viewer::uuid IS NULL THEN NULL
              ELSE EXISTS (SELECT 1 FROM topic_agrees a WHERE a.topic_id = t.id AND a.user_id = $viewer::uuid) END AS my_agree,
         (SELECT st.stance FROM topic_stances st WHERE st.topic_id = t.id AND st.user_id = $viewer::uuid) AS my_stance
    FROM topics t
    JOIN users u ON u.id = t.author_id
    JOIN spaces s ON s.id = t.space_id`;

/** Escapes LIKE wildcards so a search for "100%" means the text "100%". */
const likeLiteral = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

@Injectable()
export class TopicsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly access: SpaceAccessService,
    private readonly bans: BanCheck,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthUser, spaceId: string, dto: CreateTopicDto): Promise<TopicView> {
    const id = await this.uow.run(async (work) => {
      const spaces: { thresholds: Thresholds }[] = await work.tx.query(
        `SELECT thresholds FROM spaces WHERE id = $1`,
        [spaceId],
      );
      const space = spaces[0];
      if (!space) throw Problem.notFound('Space');
      await this.bans.assertNotBanned(work.tx, spaceId, auth.id);
      const rows: { id: string }[] = await work.tx.query(
        `INSERT INTO topics (space_id, author_id, title, body, tags, proposal_expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING id`,
        [
          spaceId,
          auth.id,
          dto.title,
          dto.body,
          [...new Set(dto.tags ?? [])],
          space.thresholds.proposalWindowDays,
        ],
      );
      const topicId = rows[0]!.id;
      const seq = await appendTopicEvent(work.tx, topicId, 'created', auth.id, {
        title: dto.title,
      });
      work.emit(domainEvent('topic.created', { topicId, spaceId, seq }));
      return topicId;
    });
    return this.get(id, auth);
  }

  /**
   * A page of topics. `scope` narrows it for a person's own page: the topics they proposed,
   * or those they agree with (which only they see).
   */
  async list(
    query: ListTopicsQuery,
    auth?: AuthUser,
    scope: { authorId?: string; agreedBy?: string } = {},
  ): Promise<Page<TopicView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const sort = query.sort ?? 'recent';
    const params: unknown[] = [auth?.id ?? null];
    // A budget project's thread is a topic of its own kind, listed with its budget instead.
    const where: string[] = [`t.kind = 'topic'`];
    const add = (sql: string, ...values: unknown[]): void => {
      let clause = sql;
      for (const value of values) {
        params.push(value);
        clause = clause.replace('?', `$${params.length}`);
      }
      where.push(clause);
    };
    if (scope.authorId) add('t.author_id = ?', scope.authorId);
    if (scope.agreedBy)
      add(
        'EXISTS (SELECT 1 FROM topic_agrees g WHERE g.topic_id = t.id AND g.user_id = ?)',
        scope.agreedBy,
      );
    if (query.spaceId) add('t.space_id = ?', query.spaceId);
    if (query.status) add('t.status = ?', query.status);
    if (query.q) add(`(t.title || ' ' || t.body) ILIKE ?`, likeLiteral(query.q.normalize('NFC')));

    // `near`: open topics by what their next rung still asks (fewest first), so a resident
    // sees where one more agree or voice counts.
    if (sort === 'near') add(`${NEEDED} IS NOT NULL`);
    // Keyset pagination on (sort key, id), both descending (`near` ascending).
    const key = {
      recent: 't.created_at',
      agrees: 't.agree_count',
      active: 't.last_activity_at',
      near: NEEDED,
    }[sort];
    const numeric = sort === 'agrees' || sort === 'near';
    const dir = sort === 'near' ? 'ASC' : 'DESC';
    if (query.cursor) {
      const [value, id] = decodeKeyset(query.cursor, [numeric ? 'int' : 'time', 'uuid']);
      add(
        `(${key}, t.id) ${dir === 'ASC' ? '>' : '<'} (?${numeric ? '::int' : '::timestamptz'}, ?::uuid)`,
        value,
        id,
      );
    }
    params.push(limit + 1);
    const sql = `${TOPIC_SELECT.replace(/\$viewer/g, '$1')}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${key} ${dir}, t.id ${dir} LIMIT $${params.length}`;
    const rows: TopicRow[] = await this.dataSource.query(sql, params);
    const responses = await this.responses(rows.map((r) => r.id));
    return toPage(
      rows,
      limit,
      (row) => this.view(row, responses.get(row.id) ?? null, []),
      (row) => [
        sort === 'agrees'
          ? row.agree_count
          : sort === 'near'
            ? row.needed_key
            : sort === 'recent'
              ? row.created_key
              : row.active_key,
        row.id,
      ],
    );
  }

  async get(id: string, auth?: AuthUser): Promise<TopicView> {
    const rows: TopicRow[] = await this.dataSource.query(
      `${TOPIC_SELECT.replace(/\$viewer/g, '$1')} WHERE t.id = $2`,
      [auth?.id ?? null, id],
    );
    const row = rows[0];
    if (!row) throw Problem.notFound('Topic');
    const owed: { rung: string; due_at: Date; answered_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT rung, due_at, answered_at FROM owed_answers WHERE topic_id = $1 ORDER BY created_at`,
        [id],
      );
    return this.view(
      row,
      (await this.responses([id])).get(id) ?? null,
      owed.map((o) => ({
        rung: o.rung,
        dueAt: o.due_at.toISOString(),
        answeredAt: o.answered_at?.toISOString() ?? null,
      })),
    );
  }

  async update(auth: AuthUser, id: string, dto: UpdateTopicDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      // One read, under the row lock: concurrent edits queue here, and `before` is what the
      // audit row and the unchanged fields are built from.
      const rows: {
        space_id: string;
        status: TopicStatus;
        author_id: string;
        title: string;
        body: string;
        tags: string[];
      }[] = await work.tx.query(
        `SELECT space_id, status, author_id, title, body, tags FROM topics WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const before = rows[0];
      if (!before) throw Problem.notFound('Topic');
      const facilitator = await this.access.isFacilitator(auth, before.space_id, work.tx);
      const author = before.author_id === auth.id;
      if (!facilitator) {
        if (!author) throw Problem.forbidden(msg('topics.edit_forbidden'));
        if (before.status !== 'proposed') {
          throw Problem.conflict('topic_not_open', msg('topics.edit_proposal_only'));
        }
        // Like a comment: an author banned from the space may not write in it.
        await this.bans.assertNotBanned(work.tx, before.space_id, auth.id);
      }
      const after = {
        title: dto.title ?? before.title,
        body: dto.body ?? before.body,
        tags: dto.tags ? [...new Set(dto.tags)] : before.tags,
      };
      await work.tx.query(
        `UPDATE topics SET title = $2, body = $3, tags = $4, updated_at = now() WHERE id = $1`,
        [id, after.title, after.body, after.tags],
      );
      if (!author) {
        await this.audit.record(work.tx, {
          spaceId: before.space_id,
          actorId: auth.id,
          action: 'topic.edit',
          targetType: 'topic',
          targetId: id,
          before: { title: before.title, body: before.body, tags: before.tags },
          after,
        });
      }
    });
    return this.get(id, auth);
  }

  async transition(auth: AuthUser, id: string, dto: TransitionDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, id);
      if (!topic) throw Problem.notFound('Topic');
      await this.access.requireFacilitator(auth, topic.space_id, work.tx);
      assertManualTransition(topic.status, dto.to);
      if (dto.to === 'rejected' && !dto.reason) throw Problem.field('reason', 'reason_reject');
      const belowThreshold =
        dto.to === 'deliberating' && topic.agree_count < topic.thresholds.deliberation;
      if (belowThreshold && !dto.reason) {
        throw Problem.field('reason', 'reason_open');
      }
      let closesAt: Date | undefined;
      if (dto.closesAt !== undefined) {
        if (dto.to !== 'deliberating') throw Problem.field('closesAt', 'closes_at_open_only');
        closesAt = new Date(dto.closesAt);
        if (closesAt.getTime() <= Date.now()) throw Problem.field('closesAt', 'future');
      }
      const from = topic.status;
      await this.ladder.move(work, topic, dto.to, auth.id, dto.reason ?? null, closesAt);
      await this.audit.record(work.tx, {
        spaceId: topic.space_id,
        actorId: auth.id,
        action: `topic.${dto.to === 'deliberating' ? 'open_deliberation' : dto.to === 'closed' ? 'close' : 'reject'}`,
        targetType: 'topic',
        targetId: id,
        reason: dto.reason ?? null,
        before: { status: from },
        after: { status: dto.to, ...(closesAt ? { closesAt: closesAt.toISOString() } : {}) },
      });
    });
    return this.get(id, auth);
  }

  async respond(auth: AuthUser, id: string, dto: ResponseDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, id);
      if (!topic) throw Problem.notFound('Topic');
      await this.access.requireFacilitator(auth, topic.space_id, work.tx);
      if (!ANSWERABLE_STATUSES.includes(topic.status)) {
        throw Problem.conflict(
          'illegal_transition',
          msg('topics.cannot_answer', { status: term(topic.status) }),
        );
      }
      const rows: { id: string }[] = await work.tx.query(
        `INSERT INTO topic_responses (topic_id, author_id, role, body) VALUES ($1, $2, $3, $4) RETURNING id`,
        [id, auth.id, dto.role ?? 'facilitator', dto.body],
      );
      const responseId = rows[0]!.id;
      await work.tx.query(
        `UPDATE owed_answers SET answered_at = now() WHERE topic_id = $1 AND answered_at IS NULL`,
        [id],
      );
      const from = topic.status;
      await this.ladder.move(work, topic, 'answered', auth.id, null);
      const seq = await appendTopicEvent(work.tx, id, 'answered', auth.id, {
        responseId,
        role: dto.role ?? 'facilitator',
      });
      work.emit(
        domainEvent('topic.answered', { topicId: id, spaceId: topic.space_id, responseId, seq }),
      );
      await this.audit.record(work.tx, {
        spaceId: topic.space_id,
        actorId: auth.id,
        action: 'topic.respond',
        targetType: 'topic',
        targetId: id,
        before: { status: from },
        after: { status: 'answered', responseId },
      });
    });
    return this.get(id, auth);
  }

  async setStance(auth: AuthUser, id: string, dto: StanceDto): Promise<TopicView> {
    await this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, id);
      if (!topic) throw Problem.notFound('Topic');
      if (topic.status !== 'deliberating') {
        throw Problem.conflict('topic_not_open', msg('topics.stance_deliberation_only'));
      }
      await this.bans.assertNotBanned(work.tx, topic.space_id, auth.id);
      const previous: { stance: Stance }[] = await work.tx.query(
        `SELECT stance FROM topic_stances WHERE topic_id = $1 AND user_id = $2`,
        [id, auth.id],
      );
      const old = previous[0]?.stance;
      if (old === dto.stance) return;
      await work.tx.query(
        `INSERT INTO topic_stances (topic_id, user_id, stance) VALUES ($1, $2, $3)
         ON CONFLICT (topic_id, user_id) DO UPDATE SET stance = EXCLUDED.stance`,
        [id, auth.id, dto.stance],
      );
      const column = (s: Stance): string =>
        ({ for: 'stance_for', against: 'stance_against', neutral: 'stance_neutral' })[s];
      const counts = await queryRows<{
        stance_for: number;
        stance_against: number;
        stance_neutral: number;
      }>(
        work.tx,
        `UPDATE topics SET ${column(dto.stance)} = ${column(dto.stance)} + 1
           ${old ? `, ${column(old)} = ${column(old)} - 1` : ''}, last_activity_at = now()
         WHERE id = $1 RETURNING stance_for, stance_against, stance_neutral`,
        [id],
      );
      const c = counts[0]!;
      work.emit(
        domainEvent('stance.changed', {
          topicId: id,
          spaceId: topic.space_id,
          counts: { for: c.stance_for, against: c.stance_against, neutral: c.stance_neutral },
        }),
      );
      await this.ladder.participate(work, topic, auth.id);
    });
    return this.get(id, auth);
  }

  /**
   * The public timeline. A move the system made reads its `reason` in `lang`, and carries its
   * `cause` as data (older entries get it from the English they were written with).
   */
  async timeline(
    id: string,
    query: TimelineQuery,
    lang: Lang = 'ko',
  ): Promise<Page<TimelineEntry>> {
    const exists: unknown[] = await this.dataSource.query(`SELECT 1 FROM topics WHERE id = $1`, [
      id,
    ]);
    if (exists.length === 0) throw Problem.notFound('Topic');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? Number(decodeKeyset(query.cursor, ['int'])[0]) : 0;
    const rows: {
      seq: number;
      type: string;
      actor_id: string | null;
      actor_name: string | null;
      data: Record<string, unknown>;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT e.seq, e.type, e.actor_id, u.display_name AS actor_name, e.data, e.created_at
           FROM topic_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.topic_id = $1 AND e.type = ANY($2) AND e.seq > $3
          ORDER BY e.seq LIMIT $4`,
      [id, TIMELINE_TYPES, after, limit + 1],
    );
    return toPage(
      rows,
      limit,
      (r) => {
        const cause = r.type === 'transitioned' ? causeOf(r.data, r.actor_id) : null;
        return {
          seq: r.seq,
          type: r.type,
          actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '' } : null,
          data: cause
            ? { ...r.data, cause, reason: renderMessage(causeMessage(cause), lang) }
            : r.data,
          createdAt: r.created_at.toISOString(),
        };
      },
      (r) => [r.seq],
    );
  }

  private async responses(ids: string[]): Promise<Map<string, TopicView['response']>> {
    if (ids.length === 0) return new Map();
    const rows: {
      id: string;
      topic_id: string;
      body: string;
      role: string;
      author_id: string;
      author_name: string;
      created_at: Date;
    }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (r.topic_id) r.id, r.topic_id, r.body, r.role, r.author_id, u.display_name AS author_name, r.created_at
           FROM topic_responses r JOIN users u ON u.id = r.author_id
          WHERE r.topic_id = ANY($1) ORDER BY r.topic_id, r.created_at DESC`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.topic_id,
        {
          id: r.id,
          body: r.body,
          role: r.role,
          author: { id: r.author_id, displayName: r.author_name },
          createdAt: r.created_at.toISOString(),
        },
      ]),
    );
  }

  private view(
    row: TopicRow,
    response: TopicView['response'],
    owedAnswers: TopicView['owedAnswers'],
  ): TopicView {
    const state = {
      status: row.status,
      rung: row.rung,
      agreeCount: row.agree_count,
      participantCount: row.participant_count,
    };
    return {
      id: row.id,
      spaceId: row.space_id,
      author: { id: row.author_id, displayName: row.author_name },
      title: row.title,
      body: row.body,
      tags: row.tags,
      status: row.status,
      counts: {
        agrees: row.agree_count,
        comments: row.comment_count,
        participants: row.participant_count,
        stances: { for: row.stance_for, against: row.stance_against, neutral: row.stance_neutral },
      },
      ladder: ladderProgress(state, row.thresholds),
      proposalExpiresAt: row.proposal_expires_at.toISOString(),
      deliberationOpenedAt: row.deliberation_opened_at?.toISOString() ?? null,
      closesAt: row.closes_at?.toISOString() ?? null,
      rejectedReason: row.rejected_reason,
      response,
      owedAnswers,
      seq: row.seq,
      myAgree: row.my_agree,
      myStance: row.my_stance,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      lastActivityAt: row.last_activity_at.toISOString(),
    };
  }
}
