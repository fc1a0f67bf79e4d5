import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AgreeResult } from '../protocol/live';
import { refusedWith } from '../core/database/errors';
import { GroupedBatchLoader } from '../core/database/batch-loader';
import { queryRows } from '../core/database/sql';
import { domainEvent } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { msg, Problem, term } from '../core/http/problem';
import { type AuthUser } from '../identity/auth/auth-user';
import { banInForce, bannedFromSpace } from '../moderation/bans.guard';
import { LadderService, type LockedTopic } from '../topics/ladder.service';
import { assertOpen, noLongerOpen, OPEN_STATUSES } from '../topics/topic-lifecycle';
import { type TopicStatus } from '../topics/topic.entity';

export type { AgreeResult } from '../protocol/live';

/** What the one-statement topic agree below answers: the topic as its lock left it. */
type TopicAgreeRow = Omit<LockedTopic, 'id'> & {
  /** Users whose agree row this statement added (or removed). */
  changed: string[];
  /** Users whose agree row was there in the statement's snapshot. */
  had: string[];
  /** Users banned from the space, with the end of the ban (null: for good). */
  bans: Record<string, string | null> | null;
};

/** The statement's snapshot ($1 topic, $2 users): the topic, the users' bans and agree rows. */
function snapshot(): string {
  return `t AS (
    SELECT t.id, t.space_id, t.status, t.rung, t.agree_count, t.participant_count, s.thresholds
      FROM topics t JOIN spaces s ON s.id = t.space_id WHERE t.id = $1
  ), ban AS (
    SELECT b.user_id, b.until FROM space_bans b JOIN t ON b.space_id = t.space_id
     WHERE b.user_id = ANY($2::uuid[]) AND ${banInForce('b')}
  ), mine AS (
    SELECT user_id FROM topic_agrees WHERE topic_id = $1 AND user_id = ANY($2::uuid[])
  )`;
}

/** The answer row (`TopicAgreeRow`): the locked row when `upd` changed it, else the snapshot. */
function answer(changed: string, ...extra: string[]): string {
  return `SELECT t.space_id, t.thresholds,
         COALESCE(upd.status, t.status) AS status, COALESCE(upd.rung, t.rung) AS rung,
         COALESCE(upd.agree_count, t.agree_count) AS agree_count,
         COALESCE(upd.participant_count, t.participant_count) AS participant_count,
         ARRAY(SELECT user_id FROM ${changed}) AS changed, ARRAY(SELECT user_id FROM mine) AS had,
         (SELECT json_object_agg(user_id, until) FROM ban) AS bans
         ${extra.map((e) => `, ${e}`).join('')}
    FROM t LEFT JOIN upd ON true`;
}

/**
 * Topic agrees are one statement in its own transaction, for every agree with the same topic
 * that arrived in the same turn of the event loop ($2: their users): add the agree rows (the
 * primary key decides which are new) and move the counter by as many — an agree with a
 * deliberating topic also counts its author as a participant. The topic row is locked only by
 * that counter update, the statement's last step, and the commit follows at once inside
 * PostgreSQL: the lock is never held across a round trip to this process, a burst of agrees
 * takes it once, and a repeated agree (a retry) takes no lock and writes nothing. The status is
 * checked on the statement's snapshot and again on the locked row; a topic that stopped taking
 * part in between makes the whole statement refuse (`madang_refuse`), so nothing of it stays.
 */
const AGREE_TOPIC = `
  WITH ${snapshot()}, ins AS (
    INSERT INTO topic_agrees (topic_id, user_id)
    SELECT t.id, u.id FROM t, unnest($2::uuid[]) AS u (id)
     WHERE t.status = ANY($3::varchar[]) AND u.id NOT IN (SELECT user_id FROM ban)
    ON CONFLICT DO NOTHING RETURNING user_id
  ), part AS (
    INSERT INTO topic_participants (topic_id, user_id)
    SELECT t.id, ins.user_id FROM t, ins WHERE t.status = 'deliberating'
    ON CONFLICT DO NOTHING RETURNING 1
  ), upd AS (
    UPDATE topics SET agree_count = agree_count + (SELECT count(*) FROM ins)::int,
           participant_count = participant_count + (SELECT count(*) FROM part)::int,
           last_activity_at = now()
     WHERE id = $1 AND EXISTS (SELECT 1 FROM ins)
    RETURNING status, rung, agree_count, participant_count
  )
  ${answer('ins', `CASE WHEN upd.status <> ALL($3::varchar[]) THEN madang_refuse('topic_not_open') END`)}`;

/** Withdrawing topic agrees: the same shape; withdrawn agrees never undo a crossing. */
const WITHDRAW_TOPIC = `
  WITH ${snapshot()}, del AS (
    DELETE FROM topic_agrees
     WHERE topic_id = (SELECT id FROM t) AND user_id = ANY($2::uuid[]) RETURNING user_id
  ), upd AS (
    UPDATE topics SET agree_count = agree_count - (SELECT count(*) FROM del)::int,
           last_activity_at = now()
     WHERE id = $1 AND EXISTS (SELECT 1 FROM del)
    RETURNING status, rung, agree_count, participant_count
  )
  ${answer('del')}`;

/** What the one-statement comment agree answers: the comment as its lock left it. */
interface CommentAgreeRow {
  topic_id: string;
  space_id: string;
  topic_status: TopicStatus;
  status: string;
  agree_count: number;
  changed: string[];
  had: string[];
  bans: Record<string, string | null> | null;
}

/**
 * The comment statements' snapshot ($1 comment, $2 users, $3 the topic it must be in or null):
 * the comment with its topic, the users' space bans and their agree rows.
 */
const COMMENT_SNAPSHOT = `c AS (
    SELECT c.id, c.topic_id, c.status, c.agree_count, t.space_id, t.status AS topic_status
      FROM comments c JOIN topics t ON t.id = c.topic_id
     WHERE c.id = $1 AND ($3::uuid IS NULL OR c.topic_id = $3::uuid)
  ), ban AS (
    SELECT b.user_id, b.until FROM space_bans b JOIN c ON b.space_id = c.space_id
     WHERE b.user_id = ANY($2::uuid[]) AND ${banInForce('b')}
  ), mine AS (
    SELECT user_id FROM comment_agrees WHERE comment_id = $1 AND user_id = ANY($2::uuid[])
  )`;

const commentAnswer = (changed: string, ...extra: string[]): string =>
  `SELECT c.topic_id, c.space_id, c.topic_status,
          COALESCE(upd.status, c.status) AS status,
          COALESCE(upd.agree_count, c.agree_count) AS agree_count,
          ARRAY(SELECT user_id FROM ${changed}) AS changed, ARRAY(SELECT user_id FROM mine) AS had,
          (SELECT json_object_agg(user_id, until) FROM ban) AS bans
          ${extra.map((e) => `, ${e}`).join('')}
     FROM c LEFT JOIN upd ON true`;

/**
 * Comment agrees, one statement for a batch ($2: the users): the agree rows (the primary key
 * decides which are new), then the counter by as many, the comment row locked by that last step
 * and the commit at once inside PostgreSQL. A comment hidden or deleted between the snapshot and
 * the lock refuses the whole statement, so nothing of it stays.
 */
const AGREE_COMMENT = `
  WITH ${COMMENT_SNAPSHOT}, ins AS (
    INSERT INTO comment_agrees (comment_id, user_id)
    SELECT c.id, u.id FROM c, unnest($2::uuid[]) AS u (id)
     WHERE c.status = 'visible' AND u.id NOT IN (SELECT user_id FROM ban)
    ON CONFLICT DO NOTHING RETURNING user_id
  ), upd AS (
    UPDATE comments SET agree_count = agree_count + (SELECT count(*) FROM ins)::int
     WHERE id = $1 AND EXISTS (SELECT 1 FROM ins)
    RETURNING status, agree_count
  )
  ${commentAnswer('ins', `CASE WHEN upd.status <> 'visible' THEN madang_refuse('comment_not_visible') END`)}`;

/** Withdrawing comment agrees: the same shape; a banned user or a hidden comment may withdraw. */
const WITHDRAW_COMMENT = `
  WITH ${COMMENT_SNAPSHOT}, del AS (
    DELETE FROM comment_agrees
     WHERE comment_id = (SELECT id FROM c) AND user_id = ANY($2::uuid[]) RETURNING user_id
  ), upd AS (
    UPDATE comments SET agree_count = agree_count - (SELECT count(*) FROM del)::int
     WHERE id = $1 AND EXISTS (SELECT 1 FROM del)
    RETURNING status, agree_count
  )
  ${commentAnswer('del')}`;

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
    private readonly dataSource: DataSource,
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
    const rows = await queryRows<TopicAgreeRow>(
      this.dataSource.manager,
      agreed ? AGREE_TOPIC : WITHDRAW_TOPIC,
      agreed ? [topicId, users, OPEN_STATUSES] : [topicId, users],
    ).catch((error: unknown) => {
      // The topic stopped taking part between the statement's snapshot and its lock.
      if (refusedWith(error) === 'topic_not_open') throw noLongerOpen();
      throw error;
    });
    const topic = rows[0];
    if (!topic) throw Problem.notFound('Topic');
    if (agreed) assertOpen(topic.status);
    const changed = new Set(topic.changed);
    const had = new Set(topic.had);
    // A user whose row appeared (or went) after the snapshot, by a concurrent request of theirs
    // in another batch: its count is newer than the snapshot's.
    const raced = users.some((u) => !changed.has(u) && had.has(u) !== agreed);
    const count =
      raced && changed.size === 0 ? await this.currentCount(topicId) : topic.agree_count;
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

  private async currentCount(topicId: string): Promise<number> {
    const rows = await queryRows<{ agree_count: number }>(
      this.dataSource.manager,
      `SELECT agree_count FROM topics WHERE id = $1`,
      [topicId],
    );
    return rows[0]?.agree_count ?? 0;
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
    const rows = await queryRows<CommentAgreeRow>(
      this.dataSource.manager,
      agreed ? AGREE_COMMENT : WITHDRAW_COMMENT,
      [commentId, users, topicId],
    ).catch((error: unknown) => {
      // Hidden or deleted between the statement's snapshot and its lock.
      if (refusedWith(error) === 'comment_not_visible') throw notAgreeable('hidden');
      throw error;
    });
    const comment = rows[0];
    if (!comment) throw Problem.notFound('Comment');
    if (agreed && comment.status !== 'visible') throw notAgreeable(comment.status);
    const changed = new Set(comment.changed);
    const had = new Set(comment.had);
    const raced = users.some((u) => !changed.has(u) && had.has(u) !== agreed);
    const count =
      raced && changed.size === 0 ? await this.currentCommentCount(commentId) : comment.agree_count;
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

  private async currentCommentCount(commentId: string): Promise<number> {
    const rows = await queryRows<{ agree_count: number }>(
      this.dataSource.manager,
      `SELECT agree_count FROM comments WHERE id = $1`,
      [commentId],
    );
    return rows[0]?.agree_count ?? 0;
  }
}
