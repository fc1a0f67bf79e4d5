import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { UnitOfWork } from '../core/events/unit-of-work';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck } from '../moderation/bans.guard';
import { LadderService } from '../topics/ladder.service';
import { assertOpen } from '../topics/topic-lifecycle';
import { type TopicStatus } from '../topics/topic.entity';

export interface AgreeResult {
  agreed: boolean;
  agreeCount: number;
}

/**
 * Adds or removes one user's agree row; true when a row really changed. The primary key
 * makes a duplicate impossible, so this answer is exact under any concurrency.
 */
async function toggleAgree(
  tx: EntityManager,
  target: 'topic' | 'comment',
  targetId: string,
  userId: string,
  agreed: boolean,
): Promise<boolean> {
  // Both names come from the closed union above, never from input.
  const table = `${target}_agrees`;
  const column = `${target}_id`;
  const changed = await queryRows(
    tx,
    agreed
      ? `INSERT INTO ${table} (${column}, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`
      : `DELETE FROM ${table} WHERE ${column} = $1 AND user_id = $2 RETURNING 1`,
    [targetId, userId],
  );
  return changed.length > 0;
}

/**
 * Agrees (공감) with exact counts. The unique primary key decides whether a row is new;
 * only then is the counter moved, in the same transaction and on the locked target row, so
 * retries and races can neither double-count nor lose a count.
 */
@Injectable()
export class AgreesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ladder: LadderService,
    private readonly bans: BanCheck,
  ) {}

  async setTopicAgree(auth: AuthUser, topicId: string, agreed: boolean): Promise<AgreeResult> {
    return this.uow.run(async (work) => {
      const topic = await this.ladder.lock(work, topicId);
      if (!topic) throw Problem.notFound('Topic');
      if (agreed) {
        assertOpen(topic.status);
        await this.bans.assertNotBanned(work.tx, topic.space_id, auth.id);
      }
      if (!(await toggleAgree(work.tx, 'topic', topicId, auth.id, agreed))) {
        return { agreed, agreeCount: topic.agree_count };
      }

      const rows = await queryRows<{ agree_count: number }>(
        work.tx,
        `UPDATE topics SET agree_count = agree_count + $2, last_activity_at = now() WHERE id = $1 RETURNING agree_count`,
        [topicId, agreed ? 1 : -1],
      );
      topic.agree_count = rows[0]!.agree_count;
      work.emit(
        domainEvent('agree.changed', {
          targetType: 'topic',
          targetId: topicId,
          topicId,
          spaceId: topic.space_id,
          userId: auth.id,
          agreed,
          count: topic.agree_count,
        }),
      );
      if (agreed) {
        // An agree counts as taking part only in a deliberation already open: the agree that
        // opens it belongs to the proposal stage.
        const wasDeliberating = topic.status === 'deliberating';
        await this.ladder.climb(work, topic);
        if (wasDeliberating) await this.ladder.participate(work, topic, auth.id);
      }
      return { agreed, agreeCount: topic.agree_count };
    });
  }

  async setCommentAgree(auth: AuthUser, commentId: string, agreed: boolean): Promise<AgreeResult> {
    return this.uow.run(async (work) => {
      const rows: {
        agree_count: number;
        status: string;
        topic_id: string;
        space_id: string;
        topic_status: TopicStatus;
      }[] = await work.tx.query(
        `SELECT c.agree_count, c.status, c.topic_id, t.space_id, t.status AS topic_status
             FROM comments c JOIN topics t ON t.id = c.topic_id
            WHERE c.id = $1 FOR UPDATE OF c`,
        [commentId],
      );
      const comment = rows[0];
      if (!comment) throw Problem.notFound('Comment');
      if (agreed) {
        if (comment.status !== 'visible')
          throw Problem.conflict('conflict', `A ${comment.status} comment cannot be agreed with.`);
        await this.bans.assertNotBanned(work.tx, comment.space_id, auth.id);
      }
      if (!(await toggleAgree(work.tx, 'comment', commentId, auth.id, agreed))) {
        return { agreed, agreeCount: comment.agree_count };
      }
      const updated = await queryRows<{ agree_count: number }>(
        work.tx,
        `UPDATE comments SET agree_count = agree_count + $2 WHERE id = $1 RETURNING agree_count`,
        [commentId, agreed ? 1 : -1],
      );
      const count = updated[0]!.agree_count;
      work.emit(
        domainEvent('agree.changed', {
          targetType: 'comment',
          targetId: commentId,
          topicId: comment.topic_id,
          spaceId: comment.space_id,
          userId: auth.id,
          agreed,
          count,
        }),
      );
      if (agreed && comment.topic_status === 'deliberating') {
        const topic = await this.ladder.lock(work, comment.topic_id);
        if (topic) await this.ladder.participate(work, topic, auth.id);
      }
      return { agreed, agreeCount: count };
    });
  }
}
