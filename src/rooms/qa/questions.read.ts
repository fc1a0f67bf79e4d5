import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  QUESTION_COLUMNS,
  type QuestionRow,
  type QuestionView,
  toQuestionView,
} from './question.view';

/**
 * Reading a room's questions: what a participant sees when joining (visible and answered
 * ones, most upvoted first) and, for facilitators, those still awaiting approval too.
 */
@Injectable()
export class QuestionsReader {
  constructor(private readonly dataSource: DataSource) {}

  async list(roomId: string, facilitator: boolean): Promise<QuestionView[]> {
    const rows: QuestionRow[] = await this.dataSource.query(
      `SELECT ${QUESTION_COLUMNS} FROM room_questions q JOIN users u ON u.id = q.author_id
        WHERE q.room_id = $1 AND q.status = ANY($2)
        ORDER BY q.highlighted DESC, q.upvotes DESC, q.created_at ASC
        LIMIT 200`,
      [roomId, facilitator ? ['pending', 'visible', 'answered'] : ['visible', 'answered']],
    );
    return rows.map(toQuestionView);
  }

  /** One question of a room as it stands (inside `tx` when given), or undefined. */
  async get(
    roomId: string,
    questionId: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<QuestionView | undefined> {
    const rows: QuestionRow[] = await tx.query(
      `SELECT ${QUESTION_COLUMNS} FROM room_questions q JOIN users u ON u.id = q.author_id
        WHERE q.id = $1 AND q.room_id = $2`,
      [questionId, roomId],
    );
    const row = rows[0];
    return row ? toQuestionView(row) : undefined;
  }
}
