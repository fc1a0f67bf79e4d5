import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { refusedWith } from '../core/database/errors';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { UnitOfWork } from '../core/events/unit-of-work';
import { Problem } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { BanCheck, bannedFromSpace } from '../moderation/bans.guard';
import { LadderService, type LockedTopic } from '../topics/ladder.service';
import { assertOpen, crossings, OPEN_STATUSES } from '../topics/topic-lifecycle';
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

/** What the one-statement topic agree below answers: the topic as its lock left it. */
type TopicAgreeRow = Omit<LockedTopic, 'id'> & {
  changed: boolean;
  /** Whether the user's agree row was there in the statement's snapshot. */
  had: boolean;
  banned: boolean;
  banned_until: Date | null;
};

/** The statement's snapshot ($1 topic, $2 user): the topic, the user's ban and agree row. */
function snapshot(): string {
  return `t AS (
    SELECT t.id, t.space_id, t.status, t.rung, t.agree_count, t.participant_count, s.thresholds
      FROM topics t JOIN spaces s ON s.id = t.space_id WHERE t.id = $1
  ), ban AS (
    SELECT b.until FROM space_bans b JOIN t ON b.space_id = t.space_id
     WHERE b.user_id = $2 AND (b.until IS NULL OR b.until > now())
  ), mine AS (
    SELECT 1 FROM topic_agrees WHERE topic_id = $1 AND user_id = $2
  )`;
}

/** The answer row (`TopicAgreeRow`): the locked row when `upd` changed it, else the snapshot. */
function answer(...extra: string[]): string {
  return `SELECT t.space_id, t.thresholds,
         COALESCE(upd.status, t.status) AS status, COALESCE(upd.rung, t.rung) AS rung,
         COALESCE(upd.agree_count, t.agree_count) AS agree_count,
         COALESCE(upd.participant_count, t.participant_count) AS participant_count,
         upd.status IS NOT NULL AS changed, EXISTS (SELECT 1 FROM mine) AS had,
         EXISTS (SELECT 1 FROM ban) AS banned, (SELECT until FROM ban LIMIT 1) AS banned_until
         ${extra.map((e) => `, ${e}`).join('')}
    FROM t LEFT JOIN upd ON true`;
}

/**
 * A topic agree is one statement in its own transaction: add the agree row (the primary key
 * decides whether it is new) and, only if it is new, move the counter — the agree of a
 * deliberating topic also counts its author as a participant. The topic row is locked only by
 * that counter update, the statement's last step, and the commit follows at once inside
 * PostgreSQL: the lock is never held across a round trip to this process, and a repeated
 * agree (a retry) takes no lock and writes nothing. The status is checked on the statement's
 * snapshot and again on the locked row; a topic that stopped taking part in between makes the
 * whole statement refuse (`madang_refuse`), so nothing of it stays.
 */
const AGREE_TOPIC = `
  WITH ${snapshot()}, ins AS (
    INSERT INTO topic_agrees (topic_id, user_id)
    SELECT t.id, $2 FROM t WHERE t.status = ANY($3::varchar[]) AND NOT EXISTS (SELECT 1 FROM ban)
    ON CONFLICT DO NOTHING RETURNING 1
  ), part AS (
    INSERT INTO topic_participants (topic_id, user_id)
    SELECT t.id, $2 FROM t WHERE t.status = 'deliberating' AND EXISTS (SELECT 1 FROM ins)
    ON CONFLICT DO NOTHING RETURNING 1
  ), upd AS (
    UPDATE topics SET agree_count = agree_count + 1,
           participant_count = participant_count + (SELECT count(*) FROM part)::int,
           last_activity_at = now()
     WHERE id = $1 AND EXISTS (SELECT 1 FROM ins)
    RETURNING status, rung, agree_count, participant_count
  )
  ${answer(`CASE WHEN upd.status <> ALL($3::varchar[]) THEN madang_refuse('topic_not_open') END`)}`;

/** Withdrawing a topic agree: the same shape; withdrawn agrees never undo a crossing. */
const WITHDRAW_TOPIC = `
  WITH ${snapshot()}, del AS (
    DELETE FROM topic_agrees WHERE topic_id = (SELECT id FROM t) AND user_id = $2 RETURNING 1
  ), upd AS (
    UPDATE topics SET agree_count = agree_count - 1, last_activity_at = now()
     WHERE id = $1 AND EXISTS (SELECT 1 FROM del)
    RETURNING status, rung, agree_count, participant_count
  )
  ${answer()}`;

/**
 * Agrees (공감) with exact counts. The unique primary key decides whether a row is new;
 * only then is the counter moved, in the same transaction and on the locked target row, so
 * retries and races can neither double-count nor lose a count.
 */
@Injectable()
export class AgreesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
    private readonly ladder: LadderService,
    private readonly bans: BanCheck,
  ) {}

  async setTopicAgree(auth: AuthUser, topicId: string, agreed: boolean): Promise<AgreeResult> {
    const rows = await queryRows<TopicAgreeRow>(
      this.dataSource.manager,
      agreed ? AGREE_TOPIC : WITHDRAW_TOPIC,
      agreed ? [topicId, auth.id, OPEN_STATUSES] : [topicId, auth.id],
    ).catch((error: unknown) => {
      // The topic stopped taking part between the statement's snapshot and its lock.
      if (refusedWith(error) === 'topic_not_open')
        throw Problem.conflict('topic_not_open', 'This topic no longer takes part.');
      throw error;
    });
    const topic = rows[0];
    if (!topic) throw Problem.notFound('Topic');
    if (agreed) {
      assertOpen(topic.status);
      if (topic.banned) throw bannedFromSpace(topic.banned_until);
    }
    if (!topic.changed) {
      // Nothing to do — but if the row appeared (or went) after the snapshot, a concurrent
      // request of the same user did it and its count is newer than the snapshot's.
      if (topic.had !== agreed) topic.agree_count = await this.currentCount(topicId);
      return { agreed, agreeCount: topic.agree_count };
    }
    this.bus.publish([
      domainEvent('agree.changed', {
        targetType: 'topic',
        targetId: topicId,
        topicId,
        spaceId: topic.space_id,
        userId: auth.id,
        agreed,
        count: topic.agree_count,
      }),
    ]);
    // The counts this agree left may owe a rung: it is climbed at once, under the lock again.
    const state = {
      status: topic.status,
      rung: topic.rung,
      agreeCount: topic.agree_count,
      participantCount: topic.participant_count,
    };
    if (crossings(state, topic.thresholds).length > 0) await this.ladder.settle(topicId);
    return { agreed, agreeCount: topic.agree_count };
  }

  private async currentCount(topicId: string): Promise<number> {
    const rows = await queryRows<{ agree_count: number }>(
      this.dataSource.manager,
      `SELECT agree_count FROM topics WHERE id = $1`,
      [topicId],
    );
    return rows[0]?.agree_count ?? 0;
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
