import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../core/database/sql';
import { banInForce } from '../moderation/bans.guard';
import { OPEN_STATUSES } from '../topics/topic-lifecycle';
import { type TopicStatus } from '../topics/topic.entity';
import { type LockedTopic } from '../topics/topics.repository';

/** What the one-statement topic agree below answers: the topic as its lock left it. */
export type TopicAgreeRow = Omit<LockedTopic, 'id'> & {
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
export interface CommentAgreeRow {
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

/**
 * Every statement on `topic_agrees` and `comment_agrees`. Each is one statement in its own
 * transaction for a batch of users, which also moves the target's counter (and, for a topic in
 * deliberation, its participants) so the target's row lock is taken once, by the last step.
 */
@Injectable()
export class AgreesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds (`agreed`) or withdraws the users' agrees with a topic: AGREE_TOPIC, WITHDRAW_TOPIC. */
  async setTopicAgrees(
    topicId: string,
    agreed: boolean,
    users: string[],
  ): Promise<TopicAgreeRow | undefined> {
    const rows = await queryRows<TopicAgreeRow>(
      this.dataSource.manager,
      agreed ? AGREE_TOPIC : WITHDRAW_TOPIC,
      agreed ? [topicId, users, OPEN_STATUSES] : [topicId, users],
    );
    return rows[0];
  }

  /**
   * Adds or withdraws the users' agrees with a comment (of `topicId`, when given):
   * AGREE_COMMENT, WITHDRAW_COMMENT.
   */
  async setCommentAgrees(
    commentId: string,
    topicId: string | null,
    agreed: boolean,
    users: string[],
  ): Promise<CommentAgreeRow | undefined> {
    const rows = await queryRows<CommentAgreeRow>(
      this.dataSource.manager,
      agreed ? AGREE_COMMENT : WITHDRAW_COMMENT,
      [commentId, users, topicId],
    );
    return rows[0];
  }
}
