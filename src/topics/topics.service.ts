import { Injectable } from '@nestjs/common';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { type Page } from '../core/http/pagination';
import { msg, Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck } from '../moderation/bans.guard';
import { AuditService } from '../moderation/audit.service';
import { FollowsRepository } from '../notifications/follows.repository';
import { SpaceAccessService } from '../spaces/space-access.service';
import { SpacesRepository } from '../spaces/spaces.repository';
import {
  type CreateTopicDto,
  type ListTopicsQuery,
  type TopicView,
  type UpdateTopicDto,
  type OwedAnswerItem,
} from './dto/topic.dto';
import { ladderProgress } from './topic-lifecycle';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicResponsesRepository } from './topic-responses.repository';
import { type TopicRow, type TopicScope, TopicsRepository } from './topics.repository';

/**
 * Topics themselves: proposing, reading and searching, editing; and the topic view every other
 * topic service answers with (`get`). Moves, answers, stances and the timeline have their own.
 */
@Injectable()
export class TopicsService {
  constructor(
    private readonly topics: TopicsRepository,
    private readonly events: TopicEventsRepository,
    private readonly answers: TopicResponsesRepository,
    private readonly uow: UnitOfWork,
    private readonly access: SpaceAccessService,
    private readonly bans: BanCheck,
    private readonly audit: AuditService,
    private readonly follows: FollowsRepository,
    private readonly spaces: SpacesRepository,
  ) {}

  async create(auth: AuthUser, spaceId: string, dto: CreateTopicDto): Promise<TopicView> {
    const id = await this.uow.run(async (work) => {
      // An archived space takes no new topic; the space is held so an archive cannot commit
      // between this check and the topic. A space that does not exist is refused below.
      if (await this.spaces.isArchivedHeld(work.tx, spaceId))
        throw Problem.conflict('space_archived', msg('spaces.archived'));
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
      // A proposer hears what becomes of their proposal (they may unfollow it later).
      await this.follows.follow(work.tx, auth.id, 'topic', topicId);
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

  /** The space's unanswered owed answers, earliest due first, for its facilitators. */
  async owedInSpace(auth: AuthUser, spaceId: string): Promise<OwedAnswerItem[]> {
    await this.access.requireSpace(spaceId);
    await this.access.requireFacilitator(auth, spaceId);
    const rows = await this.answers.owedInSpace(spaceId);
    return rows.map((r) => ({
      topicId: r.topic_id,
      title: r.title,
      status: r.status,
      rung: r.rung,
      dueAt: r.due_at.toISOString(),
      overdue: r.overdue,
    }));
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
