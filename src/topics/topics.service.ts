import { Injectable } from '@nestjs/common';
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
import { TIMELINE_TYPES } from './topic-event.entity';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicParticipationRepository } from './topic-participation.repository';
import { TopicResponsesRepository } from './topic-responses.repository';
import { type TopicRow, type TopicScope, TopicsRepository } from './topics.repository';

@Injectable()
export class TopicsService {
  constructor(
    private readonly topics: TopicsRepository,
    private readonly events: TopicEventsRepository,
    private readonly answers: TopicResponsesRepository,
    private readonly participation: TopicParticipationRepository,
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly access: SpaceAccessService,
    private readonly bans: BanCheck,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthUser, spaceId: string, dto: CreateTopicDto): Promise<TopicView> {
    const id = await this.uow.run(async (work) => {
      // A ban needs its space, so a space that does not exist has none: it is refused below.
      await this.bans.assertNotBanned(work.tx, spaceId, auth.id);
      const topicId = await this.topics.insert(work.tx, {
        spaceId,
        authorId: auth.id,
        title: dto.title,
        body: dto.body,
        tags: [...new Set(dto.tags ?? [])],
      });
      if (!topicId) throw Problem.notFound('Space');
      const seq = await this.events.append(work.tx, topicId, 'created', auth.id, {
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
    scope: TopicScope = {},
  ): Promise<Page<TopicView>> {
    const page = await this.topics.page(query, auth?.id ?? null, scope);
    const responses = await this.responses(page.items.map((r) => r.id));
    return {
      ...page,
      items: page.items.map((row) => this.view(row, responses.get(row.id) ?? null, [])),
    };
  }

  async get(id: string, auth?: AuthUser): Promise<TopicView> {
    const row = await this.topics.view(id, auth?.id ?? null);
    if (!row) throw Problem.notFound('Topic');
    const owed = await this.answers.owedOf(id);
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
      const before = await this.topics.lockForEdit(work.tx, id);
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
      await this.topics.updateContent(work.tx, id, after);
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
      const responseId = await this.answers.insert(work.tx, {
        topicId: id,
        authorId: auth.id,
        role: dto.role ?? 'facilitator',
        body: dto.body,
      });
      await this.answers.settleOwed(work.tx, id);
      const from = topic.status;
      await this.ladder.move(work, topic, 'answered', auth.id, null);
      const seq = await this.events.append(work.tx, id, 'answered', auth.id, {
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
      const old = await this.participation.stanceOf(work.tx, id, auth.id);
      if (old === dto.stance) return;
      await this.participation.setStance(work.tx, id, auth.id, dto.stance);
      const c = await this.topics.moveStance(work.tx, id, dto.stance, old);
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
    if (!(await this.topics.exists(id))) throw Problem.notFound('Topic');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? Number(decodeKeyset(query.cursor, ['int'])[0]) : 0;
    const rows = await this.events.timeline(id, TIMELINE_TYPES, after, limit + 1);
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
    const rows = await this.answers.latestOf(ids);
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
