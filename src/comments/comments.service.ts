import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { refusedWith } from '../core/database/errors';
import { type DomainEvent, domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { idempotencyScope } from '../core/http/idempotency/idempotency-scope';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import {
  DEFAULT_LIMIT,
  decodeKeyset,
  type Page,
  type PageQuery,
  toPage,
} from '../core/http/pagination';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck, bannedFromSpace, spaceBanInForce } from '../moderation/bans.guard';
import { SpaceAccessService } from '../spaces/space-access.service';
import { LadderService } from '../topics/ladder.service';
import { assertOpen, noLongerOpen } from '../topics/topic-lifecycle';
import { appendTopicEvent } from '../topics/topic-events';
import { type TopicStatus } from '../topics/topic.entity';
import { queryRows } from '../core/database/sql';
import { type NewComment, writeComment, type WrittenComment } from './comment-write';
import { COMMENT_COLUMNS, type CommentRow, type CommentView, toCommentView } from './comment.view';
import {
  type CommentSort,
  type CreateCommentDto,
  type ListCommentsQuery,
  type ListRepliesQuery,
  type UpdateCommentDto,
} from './dto/comment.dto';

/** ORDER BY and keyset comparison for each sort, on (key, id). */
const ORDER: Record<
  CommentSort,
  { key: string; cursorKey: (r: KeyedRow) => string | number; dir: 'ASC' | 'DESC'; cast: string }
> = {
  oldest: { key: 'c.created_at', cursorKey: (r) => r.created_key, dir: 'ASC', cast: 'timestamptz' },
  newest: {
    key: 'c.created_at',
    cursorKey: (r) => r.created_key,
    dir: 'DESC',
    cast: 'timestamptz',
  },
  agrees: { key: 'c.agree_count', cursorKey: (r) => r.agree_count, dir: 'DESC', cast: 'int' },
};

type KeyedRow = CommentRow & { created_key: string };

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

const SELECT_KEYED = `SELECT ${COMMENT_COLUMNS}, c.created_at::text AS created_key`;

@Injectable()
export class CommentsService {
  constructor(
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
   * last step (`writeComment`); on its own it is its own transaction, so the lock is held for the
   * statement and the commit inside PostgreSQL only. Under an Idempotency-Key it runs in a
   * transaction that also marks the key.
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
    const topics = await queryRows<{
      status: TopicStatus;
      banned: boolean;
      banned_until: Date | null;
    }>(
      tx,
      `SELECT t.status, b.user_id IS NOT NULL AS banned, b.until AS banned_until
         FROM topics t ${spaceBanInForce('t.space_id', '$2')}
        WHERE t.id = $1`,
      [topicId, auth.id],
    );
    const topic = topics[0];
    if (!topic) throw Problem.notFound('Topic');
    if (!context.anyStatus) assertOpen(topic.status);
    if (topic.banned) throw bannedFromSpace(topic.banned_until);
    let depth = 0;
    if (dto.parentId) {
      const parents = await queryRows<{ topic_id: string; depth: number; status: string }>(
        tx,
        `SELECT topic_id, depth, status FROM comments WHERE id = $1`,
        [dto.parentId],
      );
      const parent = parents[0];
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
    if (idempotencyScope.getStore()) return this.uow.run((work) => this.writeIn(work, comment));

    const written = await this.write(this.dataSource.manager, comment);
    this.bus.publish([createdEvent(written)]);
    // Committed: what the ladder owes follows in a transaction of its own, under the lock
    // (the scheduler applies a rung a crash left owed, as for topic agrees).
    if (becameDeliberating(written)) await this.ladder.participateLate(topicId, auth.id);
    else await this.ladder.settleIfOwed(topicId, written.topic);
    return toCommentView(written.comment, false);
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
      const written = await writeComment(tx, comment);
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
    const rows: (CommentRow & { space_id: string })[] = await tx.query(
      `SELECT ${COMMENT_COLUMNS}, t.space_id,
              CASE WHEN $2::uuid IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = $2::uuid) END AS my_agree
         FROM comments c JOIN users u ON u.id = c.author_id JOIN topics t ON t.id = c.topic_id WHERE c.id = $1`,
      [id, auth?.id ?? null],
    );
    const row = rows[0];
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
    const rows: CommentRow[] = await this.dataSource.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, toCommentView(row, facilitator)]));
  }

  /** A page of top-level comments, each with its first `replies` replies and how many more. */
  async list(
    topicId: string,
    query: ListCommentsQuery,
    auth?: AuthUser,
  ): Promise<Page<CommentView>> {
    const topics: { space_id: string }[] = await this.dataSource.query(
      `SELECT space_id FROM topics WHERE id = $1`,
      [topicId],
    );
    const topic = topics[0];
    if (!topic) throw Problem.notFound('Topic');
    const facilitator = await this.access.isFacilitator(auth, topic.space_id);
    const sort = query.sort ?? 'oldest';
    const page = await this.page(
      `c.topic_id = $1 AND c.parent_id IS NULL`,
      [topicId],
      sort,
      query,
      facilitator,
      auth,
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
    const replies: (CommentRow & { parent_key: string })[] = await this.dataSource.query(
      `SELECT r.*, r.parent_id AS parent_key FROM unnest($1::uuid[]) AS p(id)
         CROSS JOIN LATERAL (
           SELECT ${COMMENT_COLUMNS},
                  CASE WHEN $3::uuid IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = $3::uuid) END AS my_agree
             FROM comments c JOIN users u ON u.id = c.author_id
            WHERE c.parent_id = p.id ORDER BY c.created_at, c.id LIMIT $2) r`,
      [parentIds, limit, auth?.id ?? null],
    );
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
    const roots: { space_id: string; depth: number }[] = await this.dataSource.query(
      `SELECT t.space_id, c.depth FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1`,
      [commentId],
    );
    const root = roots[0];
    if (!root) throw Problem.notFound('Comment');
    const facilitator = await this.access.isFacilitator(auth, root.space_id);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const args: unknown[] = [commentId, auth?.id ?? null, limit + 1];
    let keyset = '';
    if (query.cursor) {
      const [created, id] = decodeKeyset(query.cursor, ['time', 'uuid']);
      args.push(created, id);
      keyset = `AND (c.created_at, c.id) > ($4::timestamptz, $5::uuid)`;
    }
    const rows: KeyedRow[] = await this.dataSource.query(
      `WITH RECURSIVE below(id) AS (
         SELECT id FROM comments WHERE parent_id = $1
         UNION ALL
         SELECT c.id FROM comments c JOIN below b ON c.parent_id = b.id
       )
       ${SELECT_KEYED},
              CASE WHEN $2::uuid IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = $2::uuid) END AS my_agree
         FROM below b JOIN comments c ON c.id = b.id JOIN users u ON u.id = c.author_id
        WHERE true ${keyset}
        ORDER BY c.created_at, c.id LIMIT $3`,
      args,
    );
    return toPage(
      rows,
      limit,
      (row) => toCommentView(row, facilitator),
      (row) => [row.created_key, row.id],
    );
  }

  /** A person's own comments, newest first, each with the title of its topic. */
  async byAuthor(
    auth: AuthUser,
    query: PageQuery,
  ): Promise<Page<CommentView & { topic: { id: string; title: string } }>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const args: unknown[] = [auth.id, limit + 1];
    let keyset = '';
    if (query.cursor) {
      const [created, id] = decodeKeyset(query.cursor, ['time', 'uuid']);
      args.push(created, id);
      keyset = `AND (c.created_at, c.id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows: (KeyedRow & { topic_title: string })[] = await this.dataSource.query(
      `${SELECT_KEYED}, t.title AS topic_title,
              EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = $1) AS my_agree
         FROM comments c JOIN users u ON u.id = c.author_id JOIN topics t ON t.id = c.topic_id
        WHERE c.author_id = $1 ${keyset}
        ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      args,
    );
    // Their own words, so a hidden one keeps its text for them (with the reason).
    return toPage(
      rows,
      limit,
      (row) => ({
        ...toCommentView(row, true),
        topic: { id: row.topic_id, title: row.topic_title },
      }),
      (row) => [row.created_key, row.id],
    );
  }

  async replies(
    commentId: string,
    query: ListRepliesQuery,
    auth?: AuthUser,
  ): Promise<Page<CommentView>> {
    const parents: { space_id: string }[] = await this.dataSource.query(
      `SELECT t.space_id FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1`,
      [commentId],
    );
    const parent = parents[0];
    if (!parent) throw Problem.notFound('Comment');
    const facilitator = await this.access.isFacilitator(auth, parent.space_id);
    return this.page(
      `c.parent_id = $1`,
      [commentId],
      query.sort ?? 'oldest',
      query,
      facilitator,
      auth,
    );
  }

  async edit(auth: AuthUser, id: string, dto: UpdateCommentDto): Promise<CommentView> {
    await this.uow.run(async (work) => {
      const rows: {
        author_id: string;
        status: string;
        topic_id: string;
        space_id: string;
      }[] = await work.tx.query(
        `SELECT c.author_id, c.status, c.topic_id, t.space_id
           FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1 FOR UPDATE OF c`,
        [id],
      );
      const comment = rows[0];
      if (!comment) throw Problem.notFound('Comment');
      if (comment.author_id !== auth.id) throw Problem.forbidden(msg('comments.edit_forbidden'));
      if (comment.status !== 'visible')
        throw Problem.conflict(
          'conflict',
          msg('comments.edit_status', { status: term(comment.status) }),
        );
      await this.bans.assertNotBanned(work.tx, comment.space_id, auth.id);
      await work.tx.query(`UPDATE comments SET body = $2, edited_at = now() WHERE id = $1`, [
        id,
        dto.body,
      ]);
      const seq = await appendTopicEvent(work.tx, comment.topic_id, 'comment_edited', auth.id, {
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
      const rows: { author_id: string; status: string; topic_id: string; space_id: string }[] =
        await work.tx.query(
          `SELECT c.author_id, c.status, c.topic_id, t.space_id
           FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1 FOR UPDATE OF c`,
          [id],
        );
      const comment = rows[0];
      if (!comment) throw Problem.notFound('Comment');
      if (comment.author_id !== auth.id) throw Problem.forbidden(msg('comments.delete_forbidden'));
      if (comment.status === 'deleted') return;
      await work.tx.query(
        `UPDATE comments SET status = 'deleted', body = '', stance = NULL WHERE id = $1`,
        [id],
      );
      const seq = await appendTopicEvent(work.tx, comment.topic_id, 'comment_deleted', auth.id, {
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

  private async page(
    where: string,
    params: unknown[],
    sort: CommentSort,
    query: { limit?: number; cursor?: string },
    facilitator: boolean,
    auth?: AuthUser,
  ): Promise<Page<CommentView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const order = ORDER[sort];
    const args = [...params];
    let keyset = '';
    if (query.cursor) {
      const [value, id] = decodeKeyset(query.cursor, [
        order.cast === 'int' ? 'int' : 'time',
        'uuid',
      ]);
      args.push(value, id);
      const cmp = order.dir === 'ASC' ? '>' : '<';
      keyset = ` AND (${order.key}, c.id) ${cmp} ($${args.length - 1}::${order.cast}, $${args.length}::uuid)`;
    }
    args.push(auth?.id ?? null, limit + 1);
    const viewer = `$${args.length - 1}::uuid`;
    const rows: KeyedRow[] = await this.dataSource.query(
      `${SELECT_KEYED},
              CASE WHEN ${viewer} IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM comment_agrees a WHERE a.comment_id = c.id AND a.user_id = ${viewer}) END AS my_agree
         FROM comments c JOIN users u ON u.id = c.author_id
        WHERE ${where}${keyset}
        ORDER BY ${order.key} ${order.dir}, c.id ${order.dir}
        LIMIT $${args.length}`,
      args,
    );
    return toPage(
      rows,
      limit,
      (row) => {
        return toCommentView(row, facilitator);
      },
      (row) => [order.cursorKey(row), row.id],
    );
  }
}
