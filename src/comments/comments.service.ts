import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { refusedWith } from '../core/database/errors';
import { type DomainEvent, domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { type Page, type PageQuery } from '../core/http/pagination';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck, bannedFromSpace, spaceBanInForce } from '../moderation/bans.guard';
import { SpaceAccessService } from '../spaces/space-access.service';
import { LadderService } from '../topics/ladder.service';
import { assertOpen, noLongerOpen } from '../topics/topic-lifecycle';
import { TopicEventsRepository } from '../topics/topic-events.repository';
import { TopicsRepository } from '../topics/topics.repository';
import { type CommentRow, type CommentView, toCommentView } from './comment.view';
import { CommentsRepository, type NewComment, type WrittenComment } from './comments.repository';
import {
  type CreateCommentDto,
  type ListCommentsQuery,
  type ListRepliesQuery,
  type UpdateCommentDto,
} from './dto/comment.dto';

const parentDeleted = (): Problem => Problem.field('parentId', 'parent_deleted');

const createdEvent = ({ comment, topic }: WrittenComment): DomainEvent =>
  domainEvent('comment.created', {
    commentId: comment.id,
    topicId: topic.id,
    spaceId: topic.space_id,
    parentId: comment.parent_id,
    seq: topic.seq,
  });

const becameDeliberating = ({ topic, readStatus }: WrittenComment): boolean =>
  topic.status === 'deliberating' && readStatus !== 'deliberating';

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly topics: TopicsRepository,
    private readonly events: TopicEventsRepository,
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly access: SpaceAccessService,
    private readonly bans: BanCheck,
    private readonly bus: EventBus,
  ) {}

  /**
   * Posts a comment. With `work`, it is written inside the caller's transaction (a live room
   * appends its numbered room event in the same commit); otherwise on its own. `anyStatus` posts
   * to a topic that no longer takes part (a room's unanswered questions are carried to its topic
   * when the room ends, whenever that is).
   *
   * What is only read comes first, unlocked, and every refusal that needs no lock is made before
   * anything is written (a caller may catch it and go on in the same transaction). The write is
   * one statement that takes the topic row lock — which serialises a topic's comments — in its
   * last step (`CommentsRepository.write`); on its own it is its own transaction, so the lock is held for the
   * statement and the commit inside PostgreSQL only — unless the unit of work needs a
   * transaction of its own (`UnitOfWork.runAlone`: under an Idempotency-Key, which it marks in
   * the same commit).
   */
  async create(
    auth: AuthUser,
    topicId: string,
    dto: CreateCommentDto,
    context: {
      roomId?: string;
      work?: Work;
      anyStatus?: boolean;
      /**
       * Runs in `work` after every check, just before the statement that writes the comment and
       * takes the topic's row lock: a room takes its own row lock here, keeping the lock order
       * (room, then topic) while holding it for as little as possible.
       */
      beforeWrite?: () => Promise<void>;
    } = {},
  ): Promise<CommentView> {
    const tx = context.work?.tx ?? this.dataSource.manager;
    // The topic and the author's ban in force, if any (one row per space and user).
    const topic = await this.topics.statusForComment(
      tx,
      topicId,
      auth.id,
      spaceBanInForce('t.space_id', '$2'),
    );
    if (!topic) throw Problem.notFound('Topic');
    if (!context.anyStatus) assertOpen(topic.status);
    if (topic.banned) throw bannedFromSpace(topic.banned_until);
    let depth = 0;
    if (dto.parentId) {
      const parent = await this.comments.parent(tx, dto.parentId);
      if (!parent || parent.topic_id !== topicId)
        throw Problem.field('parentId', 'parent_other_topic');
      if (parent.status === 'deleted') throw parentDeleted();
      depth = parent.depth + 1;
    }
    const comment: NewComment = {
      topicId,
      authorId: auth.id,
      parentId: dto.parentId ?? null,
      depth,
      body: dto.body,
      stance: dto.stance ?? null,
      roomId: context.roomId ?? null,
      mustBeOpen: !context.anyStatus,
    };
    if (context.work) {
      await context.beforeWrite?.();
      return this.writeIn(context.work, comment);
    }
    return this.uow.runAlone(
      async () => {
        const written = await this.write(this.dataSource.manager, comment);
        this.bus.publish([createdEvent(written)]);
        // Committed: what the ladder owes follows in a transaction of its own, under the lock
        // (the scheduler applies a rung a crash left owed, as for topic agrees).
        if (becameDeliberating(written)) await this.ladder.participateLate(topicId, auth.id);
        else await this.ladder.settleIfOwed(topicId, written.topic);
        return toCommentView(written.comment, false);
      },
      (work) => this.writeIn(work, comment),
    );
  }

  /** The comment written inside `work`, with what the ladder owes in the same transaction. */
  private async writeIn(work: Work, comment: NewComment): Promise<CommentView> {
    const written = await this.write(work.tx, comment);
    work.emit(createdEvent(written));
    // A deliberation opened while the statement waited: the comment takes part in it after all.
    if (becameDeliberating(written))
      await this.ladder.participate(work, written.topic, comment.authorId);
    else await this.ladder.climb(work, written.topic);
    return toCommentView(written.comment, false);
  }

  private async write(tx: EntityManager, comment: NewComment): Promise<WrittenComment> {
    try {
      const written = await this.comments.write(tx, comment);
      if (!written) throw Problem.notFound('Topic');
      return written;
    } catch (error) {
      switch (refusedWith(error)) {
        case 'parent_deleted':
          throw parentDeleted();
        case 'topic_not_open':
          throw noLongerOpen();
        case 'topic_gone':
          throw Problem.notFound('Topic');
        default:
          throw error;
      }
    }
  }

  async getOne(
    id: string,
    auth?: AuthUser,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<CommentView> {
    const row = await this.comments.withSpace(tx, id, auth?.id ?? null);
    if (!row) throw Problem.notFound('Comment');
    // Facilitator rights change only what a hidden comment shows: ask only then.
    const facilitator =
      row.status === 'hidden' && (await this.access.isFacilitator(auth, row.space_id, tx));
    return toCommentView(row, facilitator);
  }

  /** Several comments by id, as a viewer with (or without) facilitator rights sees them. */
  async viewsByIds(
    ids: readonly string[],
    facilitator: boolean,
  ): Promise<Map<string, CommentView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.comments.byIds(ids);
    return new Map(rows.map((row) => [row.id, toCommentView(row, facilitator)]));
  }

  /** A page of top-level comments, each with its first `replies` replies and how many more. */
  async list(
    topicId: string,
    query: ListCommentsQuery,
    auth?: AuthUser,
  ): Promise<Page<CommentView>> {
    const spaceId = await this.topics.spaceOf(topicId);
    if (!spaceId) throw Problem.notFound('Topic');
    const facilitator = await this.access.isFacilitator(auth, spaceId);
    const page = this.views(
      await this.comments.topLevel(topicId, query.sort ?? 'oldest', query, auth?.id ?? null),
      facilitator,
    );

    const perParent = query.replies ?? 3;
    // Each level of replies is one query for all its parents (a LATERAL join per parent on
    // the index): `depth` levels cost `depth` queries, whatever the page holds.
    let parents: CommentView[] = page.items;
    for (let level = 1; level <= (query.depth ?? 1); level++) {
      const open = perParent > 0 ? parents.filter((c) => c.replyCount > 0) : [];
      const byParent = await this.firstReplies(
        open.map((c) => c.id),
        perParent,
        facilitator,
        auth,
      );
      for (const item of parents) {
        item.replies = byParent.get(item.id) ?? [];
        item.moreReplies = Math.max(0, item.replyCount - item.replies.length);
      }
      parents = parents.flatMap((c) => c.replies ?? []);
      if (parents.length === 0) break;
    }
    // Below the last nested level, each reply says how many replies it has not shown.
    if ((query.depth ?? 1) > 1)
      for (const item of parents) {
        item.replies = [];
        item.moreReplies = item.replyCount;
      }
    return page;
  }

  /** The first `limit` replies (oldest first) of each of `parentIds`, by parent. */
  private async firstReplies(
    parentIds: string[],
    limit: number,
    facilitator: boolean,
    auth?: AuthUser,
  ): Promise<Map<string, CommentView[]>> {
    const byParent = new Map<string, CommentView[]>();
    if (parentIds.length === 0) return byParent;
    const replies = await this.comments.firstReplies(parentIds, limit, auth?.id ?? null);
    for (const row of replies) {
      const list = byParent.get(row.parent_key) ?? [];
      list.push(toCommentView(row, facilitator));
      byParent.set(row.parent_key, list);
    }
    return byParent;
  }

  /**
   * Every reply below a comment, at any depth, oldest first, paged: where a thread is too
   * deep to indent, its readers get the rest as one list (each reply names its parent).
   */
  async thread(commentId: string, query: PageQuery, auth?: AuthUser): Promise<Page<CommentView>> {
    const root = await this.comments.locate(commentId);
    if (!root) throw Problem.notFound('Comment');
    const facilitator = await this.access.isFacilitator(auth, root.space_id);
    return this.views(await this.comments.below(commentId, query, auth?.id ?? null), facilitator);
  }

  /** A person's own comments, newest first, each with the title of its topic. */
  async byAuthor(
    auth: AuthUser,
    query: PageQuery,
  ): Promise<Page<CommentView & { topic: { id: string; title: string } }>> {
    const page = await this.comments.byAuthor(auth.id, query);
    // Their own words, so a hidden one keeps its text for them (with the reason).
    return {
      ...page,
      items: page.items.map((row) => ({
        ...toCommentView(row, true),
        topic: { id: row.topic_id, title: row.topic_title },
      })),
    };
  }

  async replies(
    commentId: string,
    query: ListRepliesQuery,
    auth?: AuthUser,
  ): Promise<Page<CommentView>> {
    const parent = await this.comments.locate(commentId);
    if (!parent) throw Problem.notFound('Comment');
    const facilitator = await this.access.isFacilitator(auth, parent.space_id);
    return this.views(
      await this.comments.repliesOf(commentId, query.sort ?? 'oldest', query, auth?.id ?? null),
      facilitator,
    );
  }

  async edit(auth: AuthUser, id: string, dto: UpdateCommentDto): Promise<CommentView> {
    await this.uow.run(async (work) => {
      const comment = await this.comments.lockForAuthor(work.tx, id);
      if (!comment) throw Problem.notFound('Comment');
      if (comment.author_id !== auth.id) throw Problem.forbidden(msg('comments.edit_forbidden'));
      if (comment.status !== 'visible')
        throw Problem.conflict(
          'conflict',
          msg('comments.edit_status', { status: term(comment.status) }),
        );
      await this.bans.assertNotBanned(work.tx, comment.space_id, auth.id);
      await this.comments.updateBody(work.tx, id, dto.body);
      const seq = await this.events.append(work.tx, comment.topic_id, 'comment_edited', auth.id, {
        commentId: id,
      });
      work.emit(
        domainEvent('comment.edited', {
          commentId: id,
          topicId: comment.topic_id,
          spaceId: comment.space_id,
          seq,
        }),
      );
    });
    return this.getOne(id, auth);
  }

  /** The author's soft delete: the body goes, a placeholder keeps the thread's shape. */
  async remove(auth: AuthUser, id: string): Promise<void> {
    await this.uow.run(async (work) => {
      const comment = await this.comments.lockForAuthor(work.tx, id);
      if (!comment) throw Problem.notFound('Comment');
      if (comment.author_id !== auth.id) throw Problem.forbidden(msg('comments.delete_forbidden'));
      if (comment.status === 'deleted') return;
      await this.comments.softDelete(work.tx, id);
      const seq = await this.events.append(work.tx, comment.topic_id, 'comment_deleted', auth.id, {
        commentId: id,
      });
      work.emit(
        domainEvent('comment.deleted', {
          commentId: id,
          topicId: comment.topic_id,
          spaceId: comment.space_id,
          seq,
        }),
      );
    });
  }

  /** A page of rows as a viewer with (or without) facilitator rights sees them. */
  private views<Row extends CommentRow>(page: Page<Row>, facilitator: boolean): Page<CommentView> {
    return { ...page, items: page.items.map((row) => toCommentView(row, facilitator)) };
  }
}
