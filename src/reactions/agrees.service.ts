import { Injectable } from '@nestjs/common';
import { type AgreeResult } from '../protocol/live';
import { refusedWith } from '../core/database/errors';
import { GroupedBatchLoader } from '../core/database/batch-loader';
import { domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { CommentsRepository } from '../comments/comments.repository';
import { bannedFromSpace } from '../moderation/bans.guard';
import { LadderService } from '../topics/ladder.service';
import { assertOpen, noLongerOpen } from '../topics/topic-lifecycle';
import { TopicsRepository } from '../topics/topics.repository';
import { AgreesRepository } from './agrees.repository';

export type { AgreeResult } from '../protocol/live';

/** A comment that is not visible takes no agrees. */
const notAgreeable = (status: string): Problem =>
  Problem.conflict('conflict', msg('agrees.comment_status', { status: term(status) }));

/** One user's part of a batch: the answer, or the refusal that is theirs alone. */
type AgreeOutcome = AgreeResult | { refused: Problem };

/**
 * Agrees (공감) with exact counts. The unique primary key decides whether a row is new;
 * only then is the counter moved, in the same transaction and on the locked target row, so
 * retries and races can neither double-count nor lose a count.
 */
@Injectable()
export class AgreesService {
  constructor(
    private readonly agrees: AgreesRepository,
    private readonly topics: TopicsRepository,
    private readonly comments: CommentsRepository,
    private readonly bus: EventBus,
    private readonly ladder: LadderService,
  ) {}

  async setTopicAgree(auth: AuthUser, topicId: string, agreed: boolean): Promise<AgreeResult> {
    const outcome = await this.topicAgrees.get(`${agreed ? '+' : '-'}${topicId}`, auth.id);
    if (!outcome) throw new Error('topic agree batch answered nothing for its user');
    if ('refused' in outcome) throw outcome.refused;
    return outcome;
  }

  /** Topic agrees of one turn, per topic and direction (`+id` / `-id`), one statement each. */
  private readonly topicAgrees = new GroupedBatchLoader<string, string, AgreeOutcome>(
    (group, users) => this.applyTopicAgrees(group.slice(1), group.startsWith('+'), users),
  );

  private async applyTopicAgrees(
    topicId: string,
    agreed: boolean,
    users: string[],
  ): Promise<Map<string, AgreeOutcome>> {
    const topic = await this.agrees
      .setTopicAgrees(topicId, agreed, users)
      .catch((error: unknown) => {
        // The topic stopped taking part between the statement's snapshot and its lock.
        if (refusedWith(error) === 'topic_not_open') throw noLongerOpen();
        throw error;
      });
    if (!topic) throw Problem.notFound('Topic');
    if (agreed) assertOpen(topic.status);
    const changed = new Set(topic.changed);
    const had = new Set(topic.had);
    // A user whose row appeared (or went) after the snapshot, by a concurrent request of theirs
    // in another batch: its count is newer than the snapshot's.
    const raced = users.some((u) => !changed.has(u) && had.has(u) !== agreed);
    const count =
      raced && changed.size === 0 ? await this.topics.agreeCount(topicId) : topic.agree_count;
    const outcomes = new Map<string, AgreeOutcome>();
    for (const user of users) {
      const banned = agreed && topic.bans && user in topic.bans;
      if (banned) {
        const until = topic.bans![user];
        outcomes.set(user, { refused: bannedFromSpace(until ? new Date(until) : null) });
      } else outcomes.set(user, { agreed, agreeCount: count });
    }
    if (changed.size === 0) return outcomes;
    this.bus.publish(
      [...changed].map((userId) =>
        domainEvent('agree.changed', {
          targetType: 'topic',
          targetId: topicId,
          topicId,
          spaceId: topic.space_id,
          userId,
          agreed,
          count: topic.agree_count,
        }),
      ),
    );
    // The counts these agrees left may owe a rung: it is climbed at once, under the lock again.
    await this.ladder.settleIfOwed(topicId, topic);
    return outcomes;
  }

  /**
   * Agrees with a comment, or withdraws one. `inTopic`, when given, is the topic the comment
   * must belong to (a room's `agree:set` may only reach its topic's comments): any other comment
   * is "not found" and nothing is written.
   */
  async setCommentAgree(
    auth: AuthUser,
    commentId: string,
    agreed: boolean,
    inTopic?: string,
  ): Promise<AgreeResult> {
    const group = `${agreed ? '+' : '-'}${commentId}/${inTopic ?? ''}`;
    const outcome = await this.commentAgrees.get(group, auth.id);
    if (!outcome) throw new Error('comment agree batch answered nothing for its user');
    if ('refused' in outcome) throw outcome.refused;
    return outcome;
  }

  /**
   * Comment agrees of one turn, per comment, direction and required topic, one statement each:
   * the same shape as topic agrees (below), on the comment's row. 2,000 people agreeing with
   * one comment at once took the comment's row lock one by one, each in a transaction of its
   * own that held a pool connection while it waited — the pool ran dry and half of them were
   * refused. Now a burst takes the lock once per batch, and a repeat takes none.
   */
  private readonly commentAgrees = new GroupedBatchLoader<string, string, AgreeOutcome>(
    (group, users) => {
      const [commentId, topicId] = group.slice(1).split('/') as [string, string];
      return this.applyCommentAgrees(commentId, topicId || null, group.startsWith('+'), users);
    },
  );

  private async applyCommentAgrees(
    commentId: string,
    topicId: string | null,
    agreed: boolean,
    users: string[],
  ): Promise<Map<string, AgreeOutcome>> {
    const comment = await this.agrees
      .setCommentAgrees(commentId, topicId, agreed, users)
      .catch((error: unknown) => {
        // Hidden or deleted between the statement's snapshot and its lock.
        if (refusedWith(error) === 'comment_not_visible') throw notAgreeable('hidden');
        throw error;
      });
    if (!comment) throw Problem.notFound('Comment');
    if (agreed && comment.status !== 'visible') throw notAgreeable(comment.status);
    const changed = new Set(comment.changed);
    const had = new Set(comment.had);
    const raced = users.some((u) => !changed.has(u) && had.has(u) !== agreed);
    const count =
      raced && changed.size === 0 ? await this.comments.agreeCount(commentId) : comment.agree_count;
    const outcomes = new Map<string, AgreeOutcome>();
    for (const user of users) {
      const banned = agreed && comment.bans && user in comment.bans;
      if (banned) {
        const until = comment.bans![user];
        outcomes.set(user, { refused: bannedFromSpace(until ? new Date(until) : null) });
      } else outcomes.set(user, { agreed, agreeCount: count });
    }
    if (changed.size === 0) return outcomes;
    this.bus.publish(
      [...changed].map((userId) =>
        domainEvent('agree.changed', {
          targetType: 'comment',
          targetId: commentId,
          topicId: comment.topic_id,
          spaceId: comment.space_id,
          userId,
          agreed,
          count: comment.agree_count,
        }),
      ),
    );
    // Agreeing during a deliberation makes one a participant: counted right after, under the
    // topic's lock (which checks the status again), as for a comment posted meanwhile.
    if (agreed && comment.topic_status === 'deliberating')
      await this.ladder.participateLate(comment.topic_id, [...changed]);
    return outcomes;
  }
}
