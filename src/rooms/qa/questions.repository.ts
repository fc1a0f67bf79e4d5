import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../../core/database/sql';
import { type GlobalRole } from '../../identity/users/user.entity';
import { type QuestionStatus } from '../room-participation.entity';
import { QUESTION_COLUMNS, type QuestionRow } from './question.view';

/** A question's state as a facilitator's action reads it under the row lock. */
export interface QuestionState {
  status: QuestionStatus;
  highlighted: boolean;
}

/** A question still open when its room ended, with what posting it as a comment needs. */
export interface OpenQuestion {
  id: string;
  room_id: string;
  author_id: string;
  body: string;
  topic_id: string;
  space_id: string;
  display_name: string;
  role: GlobalRole;
}

/** A question's upvote count, with its room. */
export interface QuestionVotesRow {
  id: string;
  room_id: string;
  upvotes: number;
}

/**
 * Every statement on `room_questions`, `room_question_votes`: asking, voting, a facilitator's
 * actions, carrying open questions over to the topic when the room ends, and the counts the
 * minutes show. What a participant sees of the questions is read by QuestionsReader.
 */
@Injectable()
export class QuestionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Asks a question; returns its id. */
  async insert(
    tx: Queryable,
    roomId: string,
    authorId: string,
    body: string,
    status: QuestionStatus,
  ): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO room_questions (room_id, author_id, body, status) VALUES ($1, $2, $3, $4) RETURNING id`,
      [roomId, authorId, body, status],
    );
    return rows[0]!.id;
  }

  /** The user's vote on the question; false when they had voted already (nothing written). */
  async insertVote(tx: Queryable, questionId: string, userId: string): Promise<boolean> {
    const inserted = await queryRows<unknown>(
      tx,
      `INSERT INTO room_question_votes (question_id, user_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING 1`,
      [questionId, userId],
    );
    return inserted.length > 0;
  }

  /**
   * Counts one more vote while the question is still visible; returns the question as this
   * update left it, straight from RETURNING (no second read), or undefined when it is no
   * longer visible.
   */
  async countVote(tx: Queryable, questionId: string): Promise<QuestionRow | undefined> {
    const updated = await queryRows<QuestionRow>(
      tx,
      `UPDATE room_questions q SET upvotes = q.upvotes + 1
           FROM users u
          WHERE q.id = $1 AND q.status = 'visible' AND u.id = q.author_id
          RETURNING ${QUESTION_COLUMNS}`,
      [questionId],
    );
    return updated[0];
  }

  /** The question's state, its row locked FOR UPDATE; undefined when not in this room. */
  async lockState(
    tx: Queryable,
    roomId: string,
    questionId: string,
  ): Promise<QuestionState | undefined> {
    const rows = await queryRows<QuestionState>(
      tx,
      `SELECT status, highlighted FROM room_questions WHERE id = $1 AND room_id = $2 FOR UPDATE`,
      [questionId, roomId],
    );
    return rows[0];
  }

  /** Sets status and highlight; marking it answered stamps when. */
  async setState(tx: Queryable, questionId: string, to: QuestionState): Promise<void> {
    await tx.query(
      `UPDATE room_questions SET status = $2::varchar, highlighted = $3,
                answered_at = CASE WHEN $2::varchar = 'answered' THEN now() ELSE answered_at END
          WHERE id = $1`,
      [questionId, to.status, to.highlighted],
    );
  }

  /** These questions' upvote counts now (missing: deleted). */
  async votes(ids: string[]): Promise<QuestionVotesRow[]> {
    return queryRows<QuestionVotesRow>(
      this.dataSource.manager,
      `SELECT id, room_id, upvotes FROM room_questions WHERE id = ANY($1)`,
      [ids],
    );
  }

  /** Ended rooms with questions not yet carried over to their topic. */
  async roomsWithLeftovers(): Promise<string[]> {
    const rooms = await queryRows<{ room_id: string }>(
      this.dataSource.manager,
      `SELECT DISTINCT q.room_id FROM room_questions q JOIN rooms r ON r.id = q.room_id
          WHERE r.status = 'ended' AND q.comment_id IS NULL AND q.status IN ('visible', 'pending')`,
    );
    return rooms.map((r) => r.room_id);
  }

  /** The ended room's questions still to carry over, oldest first. */
  async toCarryOver(roomId: string): Promise<string[]> {
    const candidates = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `SELECT q.id FROM room_questions q JOIN rooms r ON r.id = q.room_id
        WHERE q.room_id = $1 AND r.status = 'ended' AND q.comment_id IS NULL
          AND q.status IN ('visible', 'pending')
        ORDER BY q.created_at, q.id`,
      [roomId],
    );
    return candidates.map((c) => c.id);
  }

  /**
   * The question, locked FOR UPDATE, while it is still open and not carried over: the guard
   * that makes carrying it over happen once, re-checked on the newest row version once the
   * lock is ours. With its room's topic and space and its author as posting needs them.
   */
  async lockOpen(tx: Queryable, questionId: string): Promise<OpenQuestion | undefined> {
    const rows = await queryRows<OpenQuestion>(
      tx,
      `SELECT q.id, q.room_id, q.author_id, q.body, r.topic_id, r.space_id, u.display_name, u.role
         FROM room_questions q JOIN rooms r ON r.id = q.room_id JOIN users u ON u.id = q.author_id
        WHERE q.id = $1 AND q.comment_id IS NULL AND q.status IN ('visible', 'pending')
        FOR UPDATE OF q`,
      [questionId],
    );
    return rows[0];
  }

  /** The comment the question became on the topic. */
  async linkComment(tx: Queryable, questionId: string, commentId: string): Promise<void> {
    await tx.query(`UPDATE room_questions SET comment_id = $2 WHERE id = $1`, [
      questionId,
      commentId,
    ]);
  }

  /** How many of the room's questions are in each status. */
  async countByStatus(roomId: string): Promise<{ status: string; n: number }[]> {
    return queryRows<{ status: string; n: number }>(
      this.dataSource.manager,
      `SELECT status, count(*)::int AS n FROM room_questions WHERE room_id = $1 GROUP BY status`,
      [roomId],
    );
  }

  /** The room's questions left unanswered (visible or pending), most upvoted first. */
  async unanswered(roomId: string): Promise<QuestionRow[]> {
    return queryRows<QuestionRow>(
      this.dataSource.manager,
      `SELECT ${QUESTION_COLUMNS} FROM room_questions q JOIN users u ON u.id = q.author_id
          WHERE q.room_id = $1 AND q.status IN ('visible', 'pending')
          ORDER BY q.upvotes DESC, q.created_at ASC, q.id ASC`,
      [roomId],
    );
  }
}
